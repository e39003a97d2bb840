"""What ``talkdown import-asset`` checks before it converts anything: the file is what it
claims (a GLB that is not truncated, JSON that parses, buffers and textures inside the
asset's folder, no absurd sizes), then its measurements against what the game expects
(units, up axis, triangle budgets, degenerate and non-manifold geometry, textures, a
skeleton and the standard clips for characters). Every finding says how to fix it.
"""

from __future__ import annotations

import binascii
import json
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_ELEMENTS = 20_000_000  # per accessor
TEXTURE_WARN_PX = 4096
TEXTURE_MAX_PX = 16384
#: (warn above, refuse above) triangles per kind
TRIANGLE_BUDGETS = {"character": (30_000, 150_000), "prop": (20_000, 200_000), "environment": (300_000, 3_000_000)}
#: what a kind's largest size should be, metres (a person, a cup to a van, a room to a town)
SIZE_RANGES = {"character": (1.0, 2.4), "prop": (0.02, 25.0), "environment": (1.0, 5000.0)}
STANDARD_CLIPS = ("idle", "idle_agitated", "pace", "walk", "run", "turn", "talk", "gesture", "shout", "hands_up",
                  "kneel", "prone", "sit", "arms_crossed", "fists", "point", "draw_weapon", "attack", "flinch",
                  "fall", "collapse")
COMPONENT_BYTES = {5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4}
TYPE_COUNT = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}


class Refused(Exception):
    """The file cannot be imported; the message is one line with the fix."""


@dataclass
class Findings:
    warnings: list[str] = field(default_factory=list)
    triangles: int = 0
    bounds: tuple[tuple[float, float, float], tuple[float, float, float]] | None = None
    clips: list[str] = field(default_factory=list)
    has_skeleton: bool = False
    face: list[str] = field(default_factory=list)  # the face controls the engine can drive


@dataclass
class GltfDoc:
    data: dict[str, Any]
    binary: bytes  # the GLB's BIN chunk (empty for .gltf)
    folder: Path


def read_gltf(path: Path) -> GltfDoc:
    """Parses a .glb or .gltf structurally, refusing truncated, oversized or escaping files."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Refused(f"{size // 2**20} MiB is more than the {MAX_FILE_BYTES // 2**20} MiB an asset may be: "
                      "decimate it or split it")
    raw = path.read_bytes()
    if path.suffix.lower() == ".glb":
        if len(raw) < 20 or raw[:4] != b"glTF":
            raise Refused("not a GLB file (no 'glTF' header): export it again as glTF Binary (.glb)")
        _, version, length = struct.unpack_from("<4sII", raw, 0)
        if version != 2:
            raise Refused(f"glTF version {version}: only glTF 2.0 is read; re-export with a current exporter")
        if length != len(raw):
            raise Refused(f"the file is truncated or padded: its header says {length} bytes, it has {len(raw)}; "
                          "copy or export it again")
        jlen, jtype = struct.unpack_from("<II", raw, 12)
        if jtype != 0x4E4F534A or 20 + jlen > len(raw) or jlen > MAX_JSON_BYTES:
            raise Refused("the GLB's JSON chunk is missing or runs past the end of the file: export it again")
        text = raw[20:20 + jlen]
        binary = b""
        at = 20 + jlen
        if at + 8 <= len(raw):
            blen, btype = struct.unpack_from("<II", raw, at)
            if btype == 0x004E4942:
                if at + 8 + blen > len(raw):
                    raise Refused("the GLB's binary chunk runs past the end of the file: export it again")
                binary = raw[at + 8:at + 8 + blen]
    else:
        if size > MAX_JSON_BYTES:
            raise Refused("the .gltf JSON is larger than 64 MiB: export as .glb instead")
        text, binary = raw, b""
    try:
        data = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Refused(f"the glTF JSON does not parse ({exc}): export it again") from None
    if not isinstance(data, dict) or str(data.get("asset", {}).get("version", "")).split(".")[0] != "2":
        raise Refused("not a glTF 2.0 document (asset.version is not 2.x): re-export with a current exporter")
    return GltfDoc(data, binary, path.parent)


def check_uri(uri: str, folder: Path) -> Path | None:
    """The file a buffer or image URI names, or None for an embedded ``data:`` URI. Refuses
    URIs that leave the asset's folder (``..``, absolute paths, other schemes)."""
    if uri.startswith("data:"):
        return None
    if "://" in uri or uri.startswith(("/", "\\")) or ":" in uri.split("/")[0]:
        raise Refused(f"the URI {uri!r} points outside the asset's folder: keep textures and buffers beside the "
                      "model and refer to them by relative name")
    target = (folder / unquote(uri)).resolve()
    if folder.resolve() not in target.parents:
        raise Refused(f"the URI {uri!r} escapes the asset's folder: keep textures and buffers beside the model")
    return target


def _buffer_lengths(doc: GltfDoc) -> list[int]:
    lengths = []
    for i, buf in enumerate(doc.data.get("buffers", [])):
        declared = int(buf.get("byteLength", 0))
        if "uri" not in buf:
            if declared > len(doc.binary):
                raise Refused(f"buffer {i} says {declared} bytes but the GLB holds {len(doc.binary)}: export it again")
            lengths.append(declared)
            continue
        target = check_uri(buf["uri"], doc.folder)
        if target is not None:
            if not target.is_file():
                raise Refused(f"buffer file {buf['uri']!r} is missing: copy it beside the model")
            if target.stat().st_size < declared:
                raise Refused(f"buffer file {buf['uri']!r} is shorter than declared: export it again")
        lengths.append(declared)
    return lengths


def _check_accessors(doc: GltfDoc, lengths: list[int]) -> None:
    views = doc.data.get("bufferViews", [])
    for i, view in enumerate(views):
        b = view.get("buffer", -1)
        if not 0 <= b < len(lengths) or view.get("byteOffset", 0) + view.get("byteLength", 0) > lengths[b]:
            raise Refused(f"bufferView {i} runs past its buffer: the file is corrupt; export it again")
    for i, acc in enumerate(doc.data.get("accessors", [])):
        count = int(acc.get("count", 0))
        if count > MAX_ELEMENTS:
            raise Refused(f"accessor {i} claims {count:,} elements: decimate the model (at most {MAX_ELEMENTS:,})")
        if "bufferView" not in acc:
            continue
        v = acc["bufferView"]
        if not 0 <= v < len(views):
            raise Refused(f"accessor {i} names a bufferView that does not exist: the file is corrupt")
        width = COMPONENT_BYTES.get(acc.get("componentType"), 0) * TYPE_COUNT.get(acc.get("type"), 0)
        if width == 0:
            raise Refused(f"accessor {i} has an unknown component type: the file is corrupt")
        stride = views[v].get("byteStride", width)
        need = acc.get("byteOffset", 0) + (count - 1) * stride + width if count else 0
        if need > views[v].get("byteLength", 0):
            raise Refused(f"accessor {i} reads past its bufferView: the file is corrupt; export it again")


def image_size(head: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG or JPEG header, without decoding the pixels."""
    if head[:8] == b"\x89PNG\r\n\x1a\n" and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    if head[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(head):
            if head[i] != 0xFF:
                return None
            marker, seg = head[i + 1], struct.unpack(">H", head[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                h, w = struct.unpack(">HH", head[i + 5:i + 9])
                return w, h
            i += 2 + seg
    return None


HEAD_BYTES = 65536  # enough of an image to find its size (PNG: 24 bytes; JPEG: its SOF segment)


def data_uri_head(uri: str, limit: int = HEAD_BYTES) -> tuple[bytes, int]:
    """The first ``limit`` bytes of a ``data:`` URI's payload and its whole decoded size,
    decoding only that much (a 40000² PNG's header is read without decoding the image)."""
    meta, _, payload = uri[5:].partition(",")
    if meta.endswith(";base64"):
        quads = payload[:(limit // 3 + 1) * 4].strip()
        try:
            head = binascii.a2b_base64(quads[:len(quads) - len(quads) % 4])
        except binascii.Error:
            head = b""
        return head[:limit], len(payload.rstrip("=")) * 3 // 4
    return unquote_to_bytes(payload[:limit * 3])[:limit], len(payload)


def _buffer_head(doc: GltfDoc, index: int, start: int, length: int) -> bytes:
    """``length`` bytes (at most HEAD_BYTES) at ``start`` of buffer ``index``: the GLB's BIN
    chunk, a ``data:`` URI or a file beside the model."""
    buffers = doc.data.get("buffers", [])
    if not 0 <= index < len(buffers):
        return b""
    n = min(HEAD_BYTES, length)
    uri = buffers[index].get("uri")
    if uri is None:
        return doc.binary[start:start + n]
    target = check_uri(uri, doc.folder)
    if target is None:
        meta, _, payload = uri[5:].partition(",")
        if meta.endswith(";base64"):
            first = start // 3 * 4  # decode only the quads that hold [start, start + n)
            quads = payload[first:first + (n // 3 + 2) * 4].strip()
            try:
                chunk = binascii.a2b_base64(quads[:len(quads) - len(quads) % 4])
            except binascii.Error:
                return b""
            return chunk[start - first // 4 * 3:][:n]
        return unquote_to_bytes(payload)[start:start + n]
    with open(target, "rb") as f:
        f.seek(start)
        return f.read(n)


def check_textures(doc: GltfDoc, findings: Findings) -> None:
    """Every image's size from its header, wherever it is (a file beside the model, a
    ``data:`` URI, a bufferView of any buffer), against the same limits, before anything decodes it."""
    views = doc.data.get("bufferViews", [])
    for i, image in enumerate(doc.data.get("images", [])):
        label = image.get("name") or (image.get("uri", "")[:40] if "uri" in image else "") or f"image {i}"
        if "uri" in image:
            target = check_uri(image["uri"], doc.folder)
            if target is None:  # embedded as a data: URI: the same limits as a file
                head, nbytes = data_uri_head(image["uri"])
            else:
                if not target.is_file():
                    raise Refused(f"texture {image['uri']!r} is missing: copy it beside the model")
                with open(target, "rb") as f:
                    head = f.read(HEAD_BYTES)
                nbytes = target.stat().st_size
        elif "bufferView" in image and 0 <= image["bufferView"] < len(views):
            view = views[image["bufferView"]]
            nbytes = view.get("byteLength", 0)
            head = _buffer_head(doc, view.get("buffer", -1), view.get("byteOffset", 0), nbytes)
        else:
            continue
        size = image_size(head)
        if size is None:
            findings.warnings.append(f"texture {label!r} is not a PNG or JPEG the checker can read: convert it to PNG")
            continue
        w, h = size
        if w > TEXTURE_MAX_PX or h > TEXTURE_MAX_PX or (w * h > 64 * nbytes * 1024 and w * h > 2**24):
            raise Refused(f"texture {label!r} is {w}x{h}: refused (at most {TEXTURE_MAX_PX} a side); "
                          "scale it to 2048 or less")
        if w > TEXTURE_WARN_PX or h > TEXTURE_WARN_PX:
            findings.warnings.append(f"texture {label!r} is {w}x{h}: scale it to 2048 or less to save memory")


def inspect_gltf(path: Path) -> tuple[GltfDoc, Findings]:
    doc = read_gltf(path)
    lengths = _buffer_lengths(doc)
    _check_accessors(doc, lengths)
    findings = Findings()
    check_textures(doc, findings)
    findings.has_skeleton = bool(doc.data.get("skins"))
    findings.clips = [a.get("name") or f"animation{i}" for i, a in enumerate(doc.data.get("animations", []))]
    findings.face = face_of(doc.data)
    return doc, findings


def face_of(data: dict[str, Any]) -> list[str]:
    """Which face controls a glTF character gives the engine: ARKit-named morph targets
    (``jawOpen``, ``eyeBlinkLeft`` ...), eye joints, a jaw joint."""
    from game.engine.world.face_rig import face_controls

    names = {n for m in data.get("meshes", []) if isinstance(m, dict)
             for n in (m.get("extras") or {}).get("targetNames", []) if isinstance(n, str)}
    out = face_controls(names)
    nodes = data.get("nodes", [])
    joints = {str(nodes[j].get("name", "")).lower() for s in data.get("skins", []) for j in s.get("joints", [])
              if isinstance(j, int) and 0 <= j < len(nodes)}
    if any(j.endswith("lefteye") for j in joints) and any(j.endswith("righteye") for j in joints):
        out.append("eye joints")
    if "jawOpen" not in out and any(j.endswith("jaw") for j in joints):
        out.append("jaw joint")
    return out


def measure(mesh: Any, kind: str, findings: Findings, *, up: str) -> None:
    """Triangles, bounds (z up, metres), degenerate and non-manifold faces of a trimesh mesh."""
    import numpy as np

    faces = int(len(mesh.faces))
    findings.triangles = faces
    if faces == 0:
        raise Refused("the file has no triangles: export the mesh (not only an armature or empties)")
    lo, hi = mesh.bounds
    if up == "y":  # glTF/OBJ space: y up, z toward the viewer -> Panda: x, -z, y
        lo, hi = (lo[0], -hi[2], lo[1]), (hi[0], -lo[2], hi[1])
    findings.bounds = (tuple(round(float(v), 4) for v in lo), tuple(round(float(v), 4) for v in hi))  # type: ignore[assignment]
    warn, refuse = TRIANGLE_BUDGETS[kind]
    if faces > refuse:
        raise Refused(f"{faces:,} triangles is over the {kind} limit of {refuse:,}: decimate it "
                      "(Blender: Decimate modifier)")
    if faces > warn:
        findings.warnings.append(f"{faces:,} triangles is over the {kind} budget of {warn:,}: decimate it for VR frame rates")
    degenerate = np.count_nonzero(mesh.area_faces < 1e-12)
    if degenerate:
        findings.warnings.append(f"{degenerate} degenerate (zero-area) triangle(s): merge by distance in your "
                                 "modelling tool (Blender: Mesh > Clean Up > Merge by Distance)")
    edges = np.sort(mesh.edges, axis=1)
    if len(edges):
        _, counts = np.unique(edges, axis=0, return_counts=True)
        shared = int(np.count_nonzero(counts > 2))
        if shared:
            findings.warnings.append(f"{shared} non-manifold edge(s) shared by more than two faces: "
                                     "Blender: Select > All by Trait > Non Manifold, then fix")


def check_fit(kind: str, findings: Findings, scale: float, source_up: str) -> None:
    """Units and up axis: the model's size and which way it stands, against its kind."""
    assert findings.bounds is not None
    lo, hi = findings.bounds
    ext = [(hi[i] - lo[i]) * scale for i in range(3)]
    low, high = SIZE_RANGES[kind]
    biggest = max(ext)
    hint = "the up axis is" if kind == "character" else "it is"
    if biggest > high:
        factor = 0.01 if biggest / 100 <= high and biggest / 100 >= low else None
        fix = f"export in metres or pass --scale {factor}" if factor else "export in metres or pass --scale"
        raise Refused(f"{biggest:.4g} m across is too big for a {kind} ({low}–{high} m): {hint} in the wrong units; {fix}")
    if biggest < low:
        factor = 100 if low <= biggest * 100 <= high else None
        fix = f"export in metres or pass --scale {factor}" if factor else "export in metres or pass --scale"
        raise Refused(f"{biggest:.4g} m across is too small for a {kind} ({low}–{high} m): wrong units; {fix}")
    if kind == "character" and ext[2] < max(ext[0], ext[1]):
        other = "z" if source_up == "y" else "y"
        raise Refused(f"the character lies down ({ext[2]:.2f} m tall, {max(ext[0], ext[1]):.2f} m long): it was "
                      f"exported {other}-up; export +Y up (Blender glTF: '+Y Up' on) or pass --up {other}")


def check_clips(findings: Findings, clip_map: dict[str, str]) -> dict[str, str]:
    """For characters: the skeleton, the artist's clip map and which standard clips are there.
    Returns the clip map completed with clips whose names already match (any case)."""
    if not findings.has_skeleton:
        raise Refused("a character needs a skeleton: export the armature with the mesh "
                      "(Blender glTF: Include > Armature, Data > Skinning)")
    names = set(findings.clips)
    for std, theirs in clip_map.items():
        if std not in STANDARD_CLIPS:
            raise Refused(f"--clip-map names {std!r}, not a standard clip ({', '.join(STANDARD_CLIPS)})")
        if theirs not in names:
            raise Refused(f"--clip-map {std}={theirs}: the file has no clip {theirs!r} (it has: "
                          f"{', '.join(sorted(names)) or 'none'})")
    out = dict(clip_map)
    lower = {n.lower().split("|")[-1]: n for n in names}
    for std in STANDARD_CLIPS:
        if std not in out and std not in names and std in lower:
            out[std] = lower[std]
    missing = [c for c in STANDARD_CLIPS if c not in out and c not in names]
    if "idle" in missing:
        findings.warnings.append("no 'idle' clip: the character will stand in its bind pose; add one or map it "
                                 "with --clip-map idle=NAME")
    if missing:
        findings.warnings.append(f"{len(missing)} standard clip(s) missing ({', '.join(missing)}): the game uses "
                                 "idle instead; map yours with --clip-map STANDARD=NAME")
    return out
