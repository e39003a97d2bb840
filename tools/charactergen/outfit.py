"""The parts of one character: skin, clothing/shoe/hair shells cut from the body's regions,
eyes, mouth, eyebrows, beard and items. Node names are ``slot.look.region``."""

from __future__ import annotations

import math

import numpy as np

from charactergen import human_data as hd
from charactergen.mesh import MeshBuilder, box, ellipsoid
from charactergen.person import Builder, Look, Part, triangles
from charactergen.skeleton import INDEX

TORSO = {"spine_01", "spine_02", "spine_03", "clavicle_l", "clavicle_r", "pelvis", "Root"}
HEAD = {"head", "neck_01"}


def _is(bones: np.ndarray, names: set[str]) -> np.ndarray:
    return np.isin(bones, sorted(names))


def _prefix(bones: np.ndarray, *stems: str) -> np.ndarray:
    return np.array([any(b.startswith(s) for s in stems) for b in bones])


def interior(tris: np.ndarray, mask: np.ndarray, rings: int = 1) -> np.ndarray:
    """The triangles of ``mask`` none of whose corners touch a triangle outside it (``rings``
    times over): skin that a shell covers with a margin, so its cut edge never shows a gap."""
    out = mask.copy()
    for _ in range(rings):
        edge = np.zeros(int(tris.max()) + 1, dtype=bool)
        edge[np.unique(tris[~out])] = True
        out &= ~edge[tris].any(axis=1)
    return out


def from_builder(b: Builder, m: MeshBuilder, name: str, morph_from: str | None = None) -> Part:
    """A procedural MeshBuilder piece as a Part (weights as the builder set them)."""
    pos = np.array(m.positions, dtype=np.float64)
    part = Part(name, pos, np.array(m.normals), np.array(m.joints, dtype=np.uint8), np.array(m.weights),
                np.array(m.indices, dtype=np.int64).reshape(-1, 3))
    if morph_from is not None:  # ride on the nearest body vertex's face targets (a beard on the chin)
        near = np.array([int(np.argmin(np.linalg.norm(b.v[:13380] - p, axis=1))) for p in pos])
        for fname, delta in b.face.items():
            d = delta[near]
            rows = np.nonzero(np.abs(d).max(axis=1) > 2e-5)[0]
            if len(rows):
                part.morphs[fname] = (rows, d[rows])
    return part


def _eye(b: Builder, side: str) -> dict[str, MeshBuilder]:
    """An eyeball at the helper eye's centre: pupil, iris and sclera as separate regions."""
    joint = "LeftEye" if side == "l" else "RightEye"
    c = b.joint_positions[joint]
    helper = b.v[hd.vertex_groups()[f"helper-{side}-eye"]]
    r = float(np.linalg.norm(helper - c, axis=1).mean())
    out = {k: MeshBuilder(k) for k in ("pupil", "iris", "sclera")}
    rings, segs = 14, 16
    w = ((joint, 1.0),)
    for i in range(rings):
        t0, t1 = math.pi * i / rings, math.pi * (i + 1) / rings
        region = "pupil" if i < 1 else "iris" if i < 3 else "sclera"
        m = out[region]
        for s in range(segs):
            a0, a1 = 2 * math.pi * s / segs, 2 * math.pi * (s + 1) / segs
            quad = []
            for t, a in ((t0, a0), (t1, a0), (t1, a1), (t0, a1)):
                n = (math.sin(t) * math.cos(a), math.sin(t) * math.sin(a), math.cos(t))
                quad.append(m.add((c[0] + r * n[0], c[1] + r * n[1], c[2] + r * n[2]), n, w))
            m.quad(quad[0], quad[1], quad[2], quad[3])
    return out


def _cavity(b: Builder) -> MeshBuilder:
    """A dark mouth cavity behind the lips, facing inward: seen only through the open mouth."""
    mouth = b._at(hd.group_centre(hd.base_mesh().vertices, "joint-mouth"))
    m = MeshBuilder("cavity")
    ellipsoid(m, (0.0, mouth[1] - 0.012, mouth[2] - 0.03), (0.026, 0.026, 0.03), (("Head", 1.0),), rings=6, segments=10)
    m.indices = [i for t in range(0, len(m.indices), 3) for i in (m.indices[t], m.indices[t + 2], m.indices[t + 1])]
    m.normals = [(-x, -y, -z) for x, y, z in m.normals]
    return m


def _coarse(part: Part, grid: float) -> Part:
    """A shoe needs no toes: the part merged onto a ``grid``-metre lattice (half the triangles),
    which leaves room in the budget for collars, hems and hat cuffs."""
    from charactergen.lod import cluster

    c = cluster(part, grid)
    return part if c is None else Part(part.name, c.positions, c.normals, c.joints, c.weights, c.triangles)


def _boundary(idx_tris: np.ndarray) -> list[tuple[int, int]]:
    """The open edges of a region of body triangles (body vertex indices), each as its
    triangle runs it, in a deterministic order."""
    edges = np.concatenate([idx_tris[:, [0, 1]], idx_tris[:, [1, 2]], idx_tris[:, [2, 0]]])
    have = {(int(a), int(b)) for a, b in edges}
    return sorted((int(a), int(b)) for a, b in edges if (int(b), int(a)) not in have)


def _band(b: Builder, name: str, edges: list[tuple[int, int]], outer: np.ndarray, inner: np.ndarray) -> Part:
    """A strip along ``edges`` from the ``outer`` positions (of every body vertex) to the
    ``inner`` ones, seen from both sides: it closes the gap between a shell's cut edge and
    the body under it (a hat's rim, a collar, a hem), so nobody sees into the head."""
    verts = sorted({v for e in edges for v in e})
    at = {v: i for i, v in enumerate(verts)}
    n = len(verts)
    pos = np.concatenate([outer[verts], inner[verts]])
    nrm = np.concatenate([b.normals[verts], b.normals[verts]])
    j, w = b._top4(b.weights[verts])
    tris = []
    for a, c in edges:
        ia, ic = at[a], at[c]
        tris += [(ia, ic, n + ic), (ia, n + ic, n + ia), (ia, n + ic, ic), (ia, n + ia, n + ic)]
    return Part(name, pos, nrm, np.concatenate([j, j]), np.concatenate([w, w]), np.array(tris, dtype=np.int64))


def _hat_rim(b: Builder, edges: list[tuple[int, int]], lift: float, level: float) -> list[Part]:
    """A hat's cuff: from its cut edge down to a level line (``level`` metres up), then in to
    the head, so the edge reads as a straight band instead of the triangles it was cut on."""
    shell = b.v + b.normals * lift
    cuff = shell.copy()
    cuff[:, 1] = np.minimum(cuff[:, 1], level)
    return [_band(b, "hatrim.look.hat", edges, shell, cuff),
            _band(b, "hatrim_in.look.hat", edges, cuff, b.v - b.normals * 0.001)]


def _smooth_edge(b: Builder, edges: list[tuple[int, int]], select) -> list[tuple[int, int]]:
    return [e for e in edges if select(b.v[e[0]]) and select(b.v[e[1]])]


def build_parts(look: Look) -> tuple[Builder, list[Part]]:
    b = Builder(look)
    j = b.joint_positions
    tris = b.body_tris
    bones = b.bone_of(tris)
    y = b.y_of(tris)
    centroid = b.v[tris].mean(axis=1)
    waist = j["Hips"][1] + 0.05
    ankle = (j["LeftFoot"][1] + j["LeftLowerLeg"][1] * 0.0) + 0.06
    elbow = j["LeftLowerArm"][1]
    shoulder = j["LeftUpperArm"][1]
    arms = _prefix(bones, "upperarm")
    forearms = _prefix(bones, "lowerarm")
    legs_b = _prefix(bones, "thigh", "calf")
    feet_b = _prefix(bones, "foot", "ball")
    torso = _is(bones, TORSO)
    collar = _is(bones, {"neck_01"}) & (y < j["Neck"][1] + 0.005)
    top = (torso & (y > waist)) | collar
    if look.sleeves == "short":
        top |= arms & (y > elbow + (shoulder - elbow) * 0.45)
    else:
        top |= arms | (forearms & (y > j["LeftHand"][1] + 0.03))
    shoes = feet_b | (_prefix(bones, "calf") & (y < ankle))
    legs = ((torso & (y <= waist)) | legs_b) & ~shoes & ~top
    skin = ~interior(tris, top | legs | shoes, 1)
    head_skin = skin & _is(bones, HEAD)
    eye_l, eye_r = j["LeftEye"], j["RightEye"]
    eye_y, eye_z = eye_l[1], eye_l[2]
    head_tris = _is(bones, HEAD)
    mouth = b._at(hd.group_centre(hd.base_mesh().vertices, "joint-mouth"))
    beard = np.zeros(len(tris), dtype=bool)
    if "beard" in look.items:
        lips = (np.abs(centroid[:, 0]) < 0.03) & (np.abs(y - mouth[1]) < 0.008)
        top_edge = mouth[1] + 0.013 - 0.3 * np.maximum(0.0, np.abs(centroid[:, 0]) - 0.02)
        beard = head_tris & (y < top_edge) & (y > mouth[1] - 0.085) & (centroid[:, 2] > j["Neck"][2] - 0.005) \
            & (np.abs(centroid[:, 0]) < 0.07) & ~lips
        for _ in range(2):  # close the holes and bays a cut by triangles leaves (the cheeks' islands)
            grown = head_tris & np.isin(tris, np.unique(tris[beard])).any(axis=1) & ~lips
            beard = interior(tris, grown, 1) | beard
    crown = np.zeros(len(tris), dtype=bool)
    if "cap" in look.items or "beanie" in look.items:
        crown = head_tris & (y > eye_y + (0.03 if "cap" in look.items else 0.022))
    scalp = np.zeros(len(tris), dtype=bool)
    if look.hair in ("short", "cropped", "long", "bun"):
        scalp = _scalp(b, tris, bones, y, centroid, 0.045, 0.075)
    hidden = interior(tris, beard | crown | scalp, 1)  # skin under a beard or a hat is never seen: left out
    # The top stands off the body: close at the shoulders, looser down to a hem that hangs
    # 2.5 cm out and a collar that stands up round the neck.
    v = b.v
    below_chest = np.clip((j["Chest"][1] + 0.12 - v[:, 1]) / 0.3, 0.0, 1.0)
    top_off = 0.011 + 0.012 * below_chest * below_chest
    top_pos = v + b.normals * top_off[:, None]
    parts = [
        b.part("head.look.skin", tris[head_skin & ~hidden]),
        b.part("body.look.skin", tris[skin & ~head_skin], morph=False),
        b.part("top.look.top", tris[top], 0.0, positions=top_pos, morph=False),
        b.part("legs.look.legs", tris[legs], 0.008, morph=False),
        _coarse(b.part("feet.look.shoes", tris[shoes], 0.011, morph=False), 0.012),
    ]
    edges = _boundary(tris[top])
    up = np.array([0.0, 1.0, 0.0])
    neck = _smooth_edge(b, edges, lambda p: p[1] > shoulder - 0.02 and abs(p[0]) < 0.09)
    if neck:  # a collar: up to a smooth neckline (lower in front), standing a little off the neck
        line = j["Neck"][1] + 0.01 - 0.012 * np.clip((v[:, 2] - j["Neck"][2]) / 0.06, 0.0, 1.0)
        rim = top_pos + up * np.maximum(line - v[:, 1], 0.004)[:, None] + b.normals * 0.004
        parts.append(_band(b, "collar.look.top", neck, rim, top_pos))
        parts.append(_band(b, "collar_in.look.top", neck, rim, v - b.normals * 0.001))
    hem = _smooth_edge(b, edges, lambda p: p[1] < waist + 0.04)
    if hem:  # a loose hem: down to a level line and out, over the waistband
        low = top_pos + up * (waist - 0.03 - v[:, 1])[:, None] * 1.0 + b.normals * 0.006
        low[:, 1] = np.minimum(low[:, 1], top_pos[:, 1])
        parts.append(_band(b, "hem.look.top", hem, top_pos, low))
        # (no inner band: from a standing officer's eyes the hem is seen from above)
    if beard.any():
        parts.append(b.part("beard.look.hair", tris[beard], 0.004))
    faces = b.faces
    for group, name in (("helper-upper-teeth", "teeth.upper.teeth"), ("helper-lower-teeth", "teeth.lower.teeth"),
                        ("helper-tongue", "tongue.look.mouth")):
        parts.append(b.part(name, triangles(faces[group])))
    lashes = np.concatenate([triangles(faces[g]) for g in sorted(faces) if "eyelashes" in g])
    parts.append(b.part("lashes.look.lashes", lashes, normals=None))
    for side in ("l", "r"):
        for region, m in _eye(b, side).items():
            parts.append(from_builder(b, m, f"eye_{side}.look.{region}"))
    parts.append(from_builder(b, _cavity(b), "mouth.look.cavity", morph_from="jaw"))
    front = centroid[:, 2] > eye_z - 0.03
    dx = np.minimum(np.abs(centroid[:, 0] - eye_l[0]), np.abs(centroid[:, 0] - eye_r[0]))
    arch = eye_y + 0.0155 - 0.006 * (dx / 0.024) ** 2  # the brow arches over the eye and thins outward
    brow = head_tris & front & (np.abs(y - arch) < 0.0045 - 0.0015 * (dx / 0.024)) & (dx < 0.024) & (np.abs(centroid[:, 0]) > 0.01)
    parts.append(b.part("brows.look.brows", tris[brow], 0.0015))
    parts += _hair(b, look, tris, bones, y, centroid)
    head_top = b.v[np.unique(tris[head_tris])][:, 1].max()
    if "cap" in look.items:
        parts.append(b.part("hat.cap.hat", tris[crown], 0.016, morph=False))
        parts += _hat_rim(b, _boundary(tris[crown]), 0.016, eye_y + 0.028)
        m = MeshBuilder("brim")
        zc = b.v[np.unique(tris[head_tris])][:, 2].max()
        box(m, (0.0, eye_y + 0.036, zc + 0.025), (0.17, 0.008, 0.08), (("Head", 1.0),))
        parts.append(from_builder(b, m, "hat.brim.hat"))
    if "beanie" in look.items:
        parts.append(b.part("hat.beanie.hat", tris[crown], 0.014, morph=False))
        parts += _hat_rim(b, _boundary(tris[crown]), 0.014, eye_y + 0.02)
    if "glasses" in look.items:
        parts.append(from_builder(b, _glasses(eye_l, eye_r, tris, b), "glasses.look.glasses"))
    del head_top
    return b, [p for p in parts if len(p.triangles)]


def _scalp(b: Builder, tris: np.ndarray, bones: np.ndarray, y: np.ndarray, centroid: np.ndarray,
           front: float, back: float) -> np.ndarray:
    """Head triangles above a hairline that runs ``front`` metres above the eyes at the
    forehead down to ``back`` metres below them at the nape, leaving the ears out."""
    j = b.joint_positions
    eye_y = j["LeftEye"][1]
    hz = j["Head"][2]
    line = y - _hairline(b, y, centroid[:, 2], front, back, centroid[:, 0])
    ears = (np.abs(centroid[:, 0]) > 0.058) & (y < eye_y + 0.015) & (y > eye_y - 0.05) & (np.abs(centroid[:, 2] - hz) < 0.045)
    return np.isin(bones, ["head", "neck_01"]) & (y > line) & ~ears


def _hairline(b: Builder, y: np.ndarray, z: np.ndarray, front: float = 0.045, back: float = 0.075,
              x: np.ndarray | None = None) -> np.ndarray:
    """How far above the hairline each point (height ``y``, depth ``z``, across ``x``) is: it
    runs ``front`` metres above the eyes at the forehead, curving up a little at the temples
    and down the sides to sideburns before the ears, to ``back`` below them at the nape."""
    j = b.joint_positions
    eye_y, eye_z = j["LeftEye"][1], j["LeftEye"][2]
    hz = j["Head"][2]
    t = np.clip((z - (hz - 0.06)) / ((eye_z - 0.025) - (hz - 0.06)), 0.0, 1.0)
    line = eye_y - back + (front + back) * t
    if x is not None:
        ax = np.abs(x)
        temple = np.clip((ax - 0.025) / 0.02, 0.0, 1.0) * np.clip((0.062 - ax) / 0.012, 0.0, 1.0)
        side = np.clip((ax - 0.055) / 0.012, 0.0, 1.0) * np.clip((z - (hz - 0.02)) / 0.05, 0.0, 1.0)
        line = line + 0.008 * temple * t - 0.05 * side
    return y - line


def _hair_shell(b: Builder, lift: float, volume: float) -> np.ndarray:
    """Every body vertex pushed out along its normal by ``lift`` at the hairline, growing
    smoothly by ``volume`` over the first 6 cm above it (more on the crown than the fringe)."""
    v = b.v
    eye_y = b.joint_positions["LeftEye"][1]
    above = np.clip(_hairline(b, v[:, 1], v[:, 2], x=v[:, 0]) / 0.05, 0.0, 1.0)
    grow = above * above * (3.0 - 2.0 * above)
    crown = np.clip((v[:, 1] - (eye_y + 0.03)) / 0.07, 0.0, 1.0)  # volume on top; the sides hug the head
    front = np.clip((v[:, 2] - b.joint_positions["Head"][2]) / 0.09, 0.0, 1.0)  # toward the forehead
    off = lift + volume * grow * (0.25 + 0.75 * crown) * (1.0 - 0.45 * front)
    return v + b.normals * off[:, None]


def _hair(b: Builder, look: Look, tris: np.ndarray, bones: np.ndarray, y: np.ndarray, centroid: np.ndarray) -> list[Part]:
    if look.hair == "none":
        return []
    j = b.joint_positions
    eye_y = j["LeftEye"][1]
    out = []
    scalp = _scalp(b, tris, bones, y, centroid, 0.045, 0.075)
    if look.hair == "balding":
        top = y > eye_y + 0.06
        front = centroid[:, 2] > j["Head"][2] - 0.02
        out.append(b.part("hair.look.hair", tris[scalp & ~(top & front) & ~(y > eye_y + 0.085)], 0.002, morph=False))
    else:
        # Hair lies flat at its edge and gains volume toward the crown, so the hairline shows no
        # rim (the old uniform lift read as a bowl set on the head); the fringe stays close.
        lift, volume = {"cropped": (0.0015, 0.003), "short": (0.002, 0.011), "long": (0.003, 0.012),
                        "bun": (0.0025, 0.008)}.get(look.hair, (0.002, 0.008))
        out.append(b.part("hair.look.hair", tris[scalp], 0.0, positions=_hair_shell(b, lift, volume), morph=False))
    if look.hair == "long":
        back = np.isin(bones, ["head", "neck_01", "spine_03", "spine_02", "clavicle_l", "clavicle_r"]) \
            & (centroid[:, 2] < j["Neck"][2] - 0.02) & (y > j["LeftUpperArm"][1] - 0.12) & (y < eye_y - 0.06) \
            & (np.abs(centroid[:, 0]) < 0.12)
        out.append(b.part("hair.long.hair", tris[back], 0.022, morph=False))
    if look.hair == "bun":
        m = MeshBuilder("bun")
        pts = b.v[np.unique(tris[scalp])]
        ellipsoid(m, (0.0, float(pts[:, 1].max()) - 0.045, float(pts[:, 2].min()) - 0.018), (0.042, 0.04, 0.038),
                  (("Head", 1.0),), rings=6, segments=10)
        out.append(from_builder(b, m, "hair.bun.hair"))
    return out


def _glasses(eye_l: np.ndarray, eye_r: np.ndarray, tris: np.ndarray, b: Builder) -> MeshBuilder:
    m = MeshBuilder("glasses")
    w = (("Head", 1.0),)
    z = eye_l[2] + 0.022
    for c in (eye_l, eye_r):
        x, yy = c[0], c[1] - 0.002
        for dx, dy, sx, sy in ((0, 0.014, 0.046, 0.004), (0, -0.013, 0.046, 0.004), (0.022, 0, 0.004, 0.03), (-0.022, 0, 0.004, 0.03)):
            box(m, (x + dx, yy + dy, z), (sx, sy, 0.004), w)
        side = 1.0 if c[0] > 0 else -1.0
        box(m, (x + side * 0.025, yy + 0.01, z - 0.05), (0.003, 0.004, 0.1), w)
    box(m, (0.0, eye_l[1] + 0.004, z), (abs(eye_l[0] - eye_r[0]) - 0.046, 0.004, 0.004), w)
    del tris, b
    return m


def triangle_count(parts: list[Part]) -> int:
    return sum(len(p.triangles) for p in parts)


__all__ = ["INDEX", "build_parts", "triangle_count"]
