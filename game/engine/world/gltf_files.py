"""Loads .glb characters through panda3d-gltf's converter after two fixes in memory:

- sparse accessors (the built-in characters' face targets) are expanded to dense ones:
  panda3d-gltf 1.3 reads every accessor through a buffer view and has no sparse support;
- skinned meshes at the scene's root (where glTF wants them) are put under one node with
  their skeleton, so panda3d-gltf makes one Character of them, morph sliders included.
"""

from __future__ import annotations

import dataclasses
import io
import struct
from pathlib import Path

import numpy as np

_DTYPES = {5120: "i1", 5121: "u1", 5122: "<i2", 5123: "<u2", 5125: "<u4", 5126: "<f4"}
_WIDTH = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT4": 16}


def has_sparse(path: Path) -> bool:
    """Whether the (.glb) file's JSON uses sparse accessors."""
    try:
        with open(path, "rb") as f:
            head = f.read(20)
            if head[:4] != b"glTF" or len(head) < 20:
                return False
            length = struct.unpack("<I", head[12:16])[0]
            return b'"sparse"' in f.read(length)
    except (OSError, struct.error):
        return False


def is_glb(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(20)
    except OSError:
        return False
    return head[:4] == b"glTF" and len(head) == 20


def densify(gltf: dict, binary: bytearray) -> None:
    """Rewrites every sparse accessor of ``gltf`` as a dense one appended to ``binary``. A
    primitive's morph targets share one interleaved buffer view: Panda keeps a vertex array
    per buffer view, and a face with a score of targets in separate arrays does not draw."""
    views = gltf["bufferViews"]
    dense_of: dict[int, np.ndarray] = {}
    for i, acc in enumerate(gltf.get("accessors", [])):
        sparse = acc.pop("sparse", None)
        if sparse is None:
            continue
        width = _WIDTH[acc["type"]]
        dtype = np.dtype(_DTYPES[acc["componentType"]])

        def read(view_index: int, offset: int, count: int, dt: np.dtype, w: int) -> np.ndarray:
            v = views[view_index]
            start = v.get("byteOffset", 0) + offset
            return np.frombuffer(bytes(binary[start:start + count * dt.itemsize * w]), dtype=dt).reshape(count, w)

        if "bufferView" in acc:
            dense = read(acc["bufferView"], acc.get("byteOffset", 0), acc["count"], dtype, width).copy()
        else:
            dense = np.zeros((acc["count"], width), dtype=dtype)
        idx = sparse["indices"]
        rows = read(idx["bufferView"], idx.get("byteOffset", 0), sparse["count"],
                    np.dtype(_DTYPES[idx["componentType"]]), 1)[:, 0]
        val = sparse["values"]
        dense[rows] = read(val["bufferView"], val.get("byteOffset", 0), sparse["count"], dtype, width)
        dense_of[i] = dense
    accessors = gltf.get("accessors", [])
    for mesh in gltf.get("meshes", []):
        for prim in mesh.get("primitives", []):
            group = [a for t in prim.get("targets", []) for a in t.values() if a in dense_of]
            group = list(dict.fromkeys(group))
            counts = {dense_of[a].shape[0] for a in group}
            if not group or len(counts) != 1 or any(dense_of[a].dtype != np.float32 for a in group):
                continue
            block = np.concatenate([dense_of.pop(a) for a in group], axis=1)
            _append(views, binary, block, stride=block.shape[1] * 4)
            for k, a in enumerate(group):
                accessors[a]["bufferView"] = len(views) - 1
                accessors[a]["byteOffset"] = 12 * k if block.shape[1] == 3 * len(group) else 0
    for a, dense in dense_of.items():
        _append(views, binary, dense)
        accessors[a]["bufferView"] = len(views) - 1
        accessors[a].pop("byteOffset", None)
    gltf["buffers"][0]["byteLength"] = len(binary)


def _append(views: list, binary: bytearray, block: np.ndarray, stride: int | None = None) -> None:
    while len(binary) % 4:
        binary.append(0)
    view = {"buffer": 0, "byteOffset": len(binary), "byteLength": block.nbytes}
    if stride is not None:
        view["byteStride"] = stride
    views.append(view)
    binary += np.ascontiguousarray(block).tobytes()


def _settings():
    from gltf import GltfSettings
    from panda3d.core import ConfigVariableBool, ConfigVariableInt, ConfigVariableString

    settings = GltfSettings()
    kinds = {"str": ConfigVariableString, "bool": ConfigVariableBool, "int": ConfigVariableInt}
    for f in dataclasses.fields(settings):
        kind = kinds.get(f.type if isinstance(f.type, str) else f.type.__name__)
        if kind is not None:
            setattr(settings, f.name, kind("gltf-" + f.name.replace("_", "-"), getattr(settings, f.name)).get_value())
    return settings


def load_glb(path: Path):
    """A NodePath of the model in ``path`` (a .glb): sparse accessors expanded, root-level
    skinned meshes gathered into their character."""
    from gltf._converter import Converter
    from gltf.parseutils import parse_glb_data
    from panda3d.core import Filename, NodePath

    data = parse_glb_data(io.BytesIO(path.read_bytes()))
    binary = bytearray(data["buffers"][0]["_glb_bin"])
    densify(data, binary)
    data["buffers"][0]["_glb_bin"] = bytes(binary)
    converter = Converter(Filename.from_os_specific(str(path)), settings=_settings())
    wrap_skinned_roots(data)
    converter.update(data)
    return NodePath(converter.active_scene.node())


def wrap_skinned_roots(gltf: dict) -> None:
    """Puts a scene's root-level skinned meshes and their skeleton under one new node, in memory.
    glTF wants skinned meshes at the root (their parents' transforms do not apply to them);
    panda3d-gltf makes one Character, with the meshes' morph sliders, only of a subtree that
    holds the skeleton and the meshes together."""
    nodes = gltf.get("nodes", [])
    for scene in gltf.get("scenes", []):
        roots = scene.get("nodes", [])
        skinned = [n for n in roots if "skin" in nodes[n] and "mesh" in nodes[n]]
        if len(skinned) < 1 or len(roots) < 2:
            continue
        nodes.append({"name": scene.get("name", "character"), "children": list(roots)})
        scene["nodes"] = [len(nodes) - 1]


load_sparse_glb = load_glb
