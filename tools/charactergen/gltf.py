"""Writes the character as a glTF 2.0 binary (GLB): nodes for the joints, one skin with
inverse bind matrices, a skinned mesh node per body piece, and one animation per clip
(STEP samplers holding a key at every frame; constant channels hold one key)."""

from __future__ import annotations

import json
import math
import struct

from charactergen import clips as clipdefs
from charactergen.body import build_pieces
from charactergen.mesh import MeshBuilder
from charactergen.skeleton import BODY_NAMES as NAMES
from charactergen.skeleton import INDEX, PARENT, POSITION, local_offset

#: Colours a plain glTF viewer shows; the game recolours every region per variant.
REGION_COLOURS = {
    "skin": (0.72, 0.53, 0.42), "top": (0.35, 0.38, 0.45), "legs": (0.16, 0.2, 0.32), "shoes": (0.08, 0.08, 0.08),
    "hair": (0.12, 0.09, 0.06), "hat": (0.5, 0.1, 0.1), "eyes": (0.05, 0.04, 0.04), "mouth": (0.4, 0.15, 0.14),
    "glasses": (0.05, 0.05, 0.06),
}

FLOAT, UBYTE, USHORT, UINT = 5126, 5121, 5123, 5125


def quat_from_euler(x: float, y: float, z: float) -> tuple[float, float, float, float]:
    """q = qy · qx · qz (degrees): twist/roll first, then pitch, then yaw. glTF order (x, y, z, w)."""
    def axis(ax: int, deg: float) -> tuple[float, float, float, float]:
        h = math.radians(deg) / 2
        v = [0.0, 0.0, 0.0]
        v[ax] = math.sin(h)
        return (v[0], v[1], v[2], math.cos(h))

    def mul(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, float, float, float]:
        ax, ay, az, aw = a
        bx, by, bz, bw = b
        return (aw * bx + ax * bw + ay * bz - az * by, aw * by - ax * bz + ay * bw + az * bx,
                aw * bz + ax * by - ay * bx + az * bw, aw * bw - ax * bx - ay * by - az * bz)

    return mul(mul(axis(1, y), axis(0, x)), axis(2, z))


class _Bin:
    def __init__(self) -> None:
        self.data = bytearray()
        self.views: list[dict] = []
        self.accessors: list[dict] = []

    def accessor(self, values: list, ctype: int, atype: str, fmt: str, *, minmax: bool = False,
                 target: int | None = None) -> int:
        while len(self.data) % 4:
            self.data.append(0)
        start = len(self.data)
        flat = [c for v in values for c in (v if isinstance(v, tuple) else (v,))]
        self.data += struct.pack(f"<{len(flat)}{fmt}", *flat)
        view = {"buffer": 0, "byteOffset": start, "byteLength": len(self.data) - start}
        if target is not None:
            view["target"] = target
        self.views.append(view)
        acc = {"bufferView": len(self.views) - 1, "componentType": ctype, "count": len(values), "type": atype}
        if minmax:
            width = len(values[0]) if isinstance(values[0], tuple) else 1
            cols = [[v[i] if isinstance(v, tuple) else v for v in values] for i in range(width)]
            acc["min"] = [min(c) for c in cols]
            acc["max"] = [max(c) for c in cols]
        self.accessors.append(acc)
        return len(self.accessors) - 1


def key_times(count: int) -> list[float]:
    """Key times for ``count`` frames at FPS. Each key sits a hair before its frame time and
    the samplers are STEP, so a loader sampling at FPS (panda3d-gltf does) reads every frame
    exactly, whatever its interpolation does; Actor frame blending smooths between them."""
    return [0.0] + [_r(i / clipdefs.FPS - 1e-4) for i in range(1, count)]


def _r(v: float) -> float:
    return round(v, 6) + 0.0  # no negative zeros: the same bytes on every platform


def _channel(b: _Bin, samplers: list, channels: list, times: tuple[int, int], node: int, path: str,
             values: list[tuple[float, ...]], *, skip_if: tuple[float, ...] | None) -> None:
    """Adds a sampler and channel; a value that never changes gets one key (or none when it
    equals ``skip_if``, the rest pose)."""
    t_acc, t_once = times
    if all(max(abs(a - c) for a, c in zip(v, values[0])) < 1e-6 for v in values):
        if skip_if is not None and max(abs(a - c) for a, c in zip(values[0], skip_if)) < 1e-6:
            return
        values, t_acc = values[:1], t_once
    kind = "VEC4" if len(values[0]) == 4 else "VEC3"
    samplers.append({"input": t_acc, "output": b.accessor(values, FLOAT, kind, "f"), "interpolation": "STEP"})
    channels.append({"sampler": len(samplers) - 1, "target": {"node": node, "path": path}})


def build_gltf(pieces: dict[str, MeshBuilder] | None = None) -> tuple[dict, bytes]:
    """The glTF JSON and its binary buffer."""
    pieces = build_pieces() if pieces is None else pieces
    b = _Bin()
    nodes: list[dict] = []
    for name in NAMES:
        node: dict = {"name": name}
        t = local_offset(name)
        if any(t):
            node["translation"] = [_r(c) for c in t]
        kids = [INDEX[n] for n in NAMES if PARENT[n] == name]
        if kids:
            node["children"] = kids
        nodes.append(node)
    ibm = []
    for name in NAMES:
        p = POSITION[name]
        ibm.append((1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, _r(-p[0]), _r(-p[1]), _r(-p[2]), 1.0))
    skin = {"name": "humanoid", "joints": list(range(len(NAMES))), "skeleton": 0,
            "inverseBindMatrices": b.accessor(ibm, FLOAT, "MAT4", "f")}
    regions = sorted({n.rsplit(".", 1)[1] for n in pieces})
    materials = [{"name": r, "pbrMetallicRoughness": {"baseColorFactor": [*REGION_COLOURS[r], 1.0],
                                                     "metallicFactor": 0.0, "roughnessFactor": 0.85}}
                 for r in regions]
    meshes = []
    for name, m in pieces.items():
        region = name.rsplit(".", 1)[1]
        attrs = {
            "POSITION": b.accessor(m.positions, FLOAT, "VEC3", "f", minmax=True, target=34962),
            "NORMAL": b.accessor([tuple(_r(c) for c in n) for n in m.normals], FLOAT, "VEC3", "f", target=34962),
            "JOINTS_0": b.accessor(m.joints, UBYTE, "VEC4", "B", target=34962),
            "WEIGHTS_0": b.accessor([tuple(_r(c) for c in w) for w in m.weights], FLOAT, "VEC4", "f", target=34962),
        }
        big = len(m.positions) > 65535
        ind = b.accessor(m.indices, UINT if big else USHORT, "SCALAR", "I" if big else "H", target=34963)
        meshes.append({"name": name, "primitives": [{"attributes": attrs, "indices": ind,
                                                      "material": regions.index(region)}]})
        nodes.append({"name": name, "mesh": len(meshes) - 1, "skin": 0})
    animations = []
    t_once = b.accessor([0.0], FLOAT, "SCALAR", "f", minmax=True)
    for clip in clipdefs.STANDARD_CLIPS:
        poses = clipdefs.frames(clip)
        t_acc = b.accessor(key_times(len(poses)), FLOAT, "SCALAR", "f", minmax=True)
        samplers, channels = [], []

        for joint in NAMES:
            rots = [tuple(_r(c) for c in quat_from_euler(*p.get(joint, (0.0, 0.0, 0.0)))) for p in poses]
            _channel(b, samplers, channels, (t_acc, t_once), INDEX[joint], "rotation", rots, skip_if=(0.0, 0.0, 0.0, 1.0))
        root = local_offset("Root")
        moves = [tuple(_r(root[i] + p.get("root_t", (0.0, 0.0, 0.0))[i]) for i in range(3)) for p in poses]
        _channel(b, samplers, channels, (t_acc, t_once), 0, "translation", moves, skip_if=None)
        animations.append({"name": clip, "samplers": samplers, "channels": channels})
    while len(b.data) % 4:
        b.data.append(0)
    # The skinned pieces sit at the scene's root beside the skeleton, as glTF wants (the
    # engine's loader gathers them into one character: game/engine/gltf_files.py).
    gltf = {
        "asset": {"version": "2.0", "generator": "Talkdown tools/make_character.py"},
        "scene": 0,
        "scenes": [{"name": "humanoid", "nodes": [0, *range(len(NAMES), len(nodes))]}],
        "nodes": nodes, "skins": [skin], "meshes": meshes, "materials": materials,
        "animations": animations, "accessors": b.accessors, "bufferViews": b.views,
        "buffers": [{"byteLength": len(b.data)}],
        "extras": {"talkdown": {"clips": list(clipdefs.STANDARD_CLIPS), "forward": "+z", "height": 1.78}},
    }
    return gltf, bytes(b.data)


def to_glb(gltf: dict, binary: bytes) -> bytes:
    text = json.dumps(gltf, separators=(",", ":"), sort_keys=True).encode("utf-8")
    text += b" " * (-len(text) % 4)
    body = struct.pack("<II", len(text), 0x4E4F534A) + text + struct.pack("<II", len(binary), 0x004E4942) + binary
    return struct.pack("<III", 0x46546C67, 2, 12 + len(body)) + body
