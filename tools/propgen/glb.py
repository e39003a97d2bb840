"""Writes a prop (:class:`propgen.mesh.Mesh`) as glTF 2.0 binary: one node, one mesh with a
primitive per material (metallic-roughness, emissive where it glows), y up as glTF wants.
Deterministic: sorted JSON keys, float32 data in a fixed order."""

from __future__ import annotations

import json
import struct

import numpy as np

from propgen.mesh import Mesh

FLOAT, USHORT, UINT = 5126, 5123, 5125
ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963
#: Panda's z-up frame to glTF's y-up one: (x, y, z) -> (x, z, -y), a rotation (winding kept).
TO_GLTF = np.array([[1, 0, 0], [0, 0, 1], [0, -1, 0]], float)


def srgb_to_linear(c: float) -> float:
    """glTF's colour factors are linear; the props are authored in sRGB like the scenes."""
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _r(v: float) -> float:
    return round(float(v), 6)


def to_glb(mesh: Mesh, extras: dict | None = None) -> bytes:
    data = bytearray()
    views: list[dict] = []
    accessors: list[dict] = []

    def add(block: np.ndarray, ctype: int, atype: str, target: int, minmax: bool = False) -> int:
        while len(data) % 4:
            data.append(0)
        views.append({"buffer": 0, "byteOffset": len(data), "byteLength": block.nbytes, "target": target})
        data.extend(block.tobytes())
        acc = {"bufferView": len(views) - 1, "componentType": ctype, "count": int(len(block)), "type": atype}
        if minmax:
            acc["min"] = [float(v) for v in block.min(axis=0)]
            acc["max"] = [float(v) for v in block.max(axis=0)]
        accessors.append(acc)
        return len(accessors) - 1

    primitives, materials = [], []
    for name, parts in mesh.parts.items():
        offset, pos, nor, idx = 0, [], [], []
        for p in parts:
            pos.append(p.positions)
            nor.append(p.normals)
            idx.append(p.faces + offset)
            offset += len(p.positions)
        positions = (np.concatenate(pos) @ TO_GLTF.T).astype("<f4")
        normals = np.concatenate(nor) @ TO_GLTF.T
        normals = (normals / np.linalg.norm(normals, axis=1)[:, None]).astype("<f4")
        faces = np.concatenate(idx).reshape(-1)
        faces = faces.astype("<u2" if offset < 65536 else "<u4")
        attrs = {"POSITION": add(positions, FLOAT, "VEC3", ARRAY_BUFFER, minmax=True),
                 "NORMAL": add(normals, FLOAT, "VEC3", ARRAY_BUFFER)}
        indices = add(faces, USHORT if offset < 65536 else UINT, "SCALAR", ELEMENT_ARRAY_BUFFER)
        primitives.append({"attributes": attrs, "indices": indices, "material": len(materials), "mode": 4})
        m = mesh.materials[name]
        linear = [_r(srgb_to_linear(c)) for c in m.color]
        material = {"name": m.name, "pbrMetallicRoughness": {
            "baseColorFactor": [*linear, 1.0], "metallicFactor": _r(m.metallic), "roughnessFactor": _r(m.roughness)}}
        if m.emissive:
            material["emissiveFactor"] = linear
        materials.append(material)
    while len(data) % 4:
        data.append(0)
    gltf = {
        "asset": {"version": "2.0", "generator": "Talkdown tools/make_props.py"},
        "scene": 0, "scenes": [{"nodes": [0]}],
        "nodes": [{"name": mesh.name, "mesh": 0}],
        "meshes": [{"name": mesh.name, "primitives": primitives}],
        "materials": materials, "accessors": accessors, "bufferViews": views,
        "buffers": [{"byteLength": len(data)}],
    }
    if extras:
        gltf["asset"]["extras"] = extras
    text = json.dumps(gltf, separators=(",", ":"), sort_keys=True).encode("utf-8")
    text += b" " * (-len(text) % 4)
    body = struct.pack("<II", len(text), 0x4E4F534A) + text + struct.pack("<II", len(data), 0x004E4942) + bytes(data)
    return struct.pack("<III", 0x46546C67, 2, 12 + len(body)) + body
