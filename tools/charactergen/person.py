"""One built-in character from the MakeHuman data: a shaped, re-posed body skinned to the
standard skeleton, with eyes, teeth, tongue, a mouth cavity, eyelashes, eyebrows, clothing,
hair and shoe shells made from the body's own regions (offset along its normals), the
items a look calls for, and the ARKit face targets the engine drives.

Every part is a :class:`Part` named ``slot.option.region`` as before: the engine colours
each by its region from the look's appearance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from charactergen import human_data as hd
from charactergen import shape
from charactergen.skeleton import HEIGHT, INDEX, NAMES

#: The face targets written (both sides summed where ARKit has Left/Right): what the engine drives.
FACE_TARGETS = (
    "jawOpen", "jawForward", "mouthClose", "mouthFunnel", "mouthPucker", "mouthSmile", "mouthFrown", "mouthPress",
    "mouthStretch", "mouthUpperUp", "mouthLowerDown", "mouthRollLower", "mouthShrugUpper", "browDown", "browInnerUp",
    "browOuterUp", "eyeBlink", "eyeWide", "eyeSquint", "noseSneer", "cheekSquint",
)
SIDED = {"mouthSmile", "mouthFrown", "mouthPress", "mouthStretch", "mouthUpperUp", "mouthLowerDown", "browDown",
         "browOuterUp", "eyeBlink", "eyeWide", "eyeSquint", "noseSneer", "cheekSquint"}

#: game-engine rig bone (prefix) to the standard skeleton's joint.
BONE_MAP = {"pelvis": "Hips", "spine_01": "Spine", "spine_02": "Chest", "spine_03": "Chest", "clavicle": "Chest",
            "neck_01": "Neck", "head": "Head", "upperarm": "UpperArm", "lowerarm": "LowerArm", "hand": "Hand",
            "thumb": "Hand", "index": "Hand", "middle": "Hand", "ring": "Hand", "pinky": "Hand",
            "thigh": "UpperLeg", "calf": "LowerLeg", "foot": "Foot", "ball": "Foot", "Root": "Hips"}


def _our_joint(bone: str) -> str:
    base, _, side = bone.rpartition("_")
    if side in ("l", "r") and base:
        stem = base.rstrip("0123456789_") if base.rstrip("0123456789_") in BONE_MAP else base
        if BONE_MAP[stem] == "Chest":
            return "Chest"
        return ("Left" if side == "l" else "Right") + BONE_MAP[stem]
    return BONE_MAP[bone]


@dataclass
class Part:
    name: str
    positions: np.ndarray
    normals: np.ndarray
    joints: np.ndarray  # (N, 4) uint8
    weights: np.ndarray  # (N, 4) float
    triangles: np.ndarray  # (M, 3) int
    morphs: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # name: (rows, deltas)

    @property
    def region(self) -> str:
        return self.name.rsplit(".", 1)[1]


@dataclass
class Look:
    """What the build needs of a manifest look."""

    gender: float
    age: float
    build: str
    ancestry: tuple[float, float, float]
    hair: str
    sleeves: str
    items: tuple[str, ...]
    legwear: str = "trousers"


def triangles(polys: list[tuple[int, ...]]) -> np.ndarray:
    out = []
    for p in polys:
        out.append((p[0], p[1], p[2]))
        if len(p) == 4:
            out.append((p[0], p[2], p[3]))
    return np.array(out, dtype=np.int64)


def vertex_normals(v: np.ndarray, tris: np.ndarray) -> np.ndarray:
    n = np.zeros_like(v)
    fn = np.cross(v[tris[:, 1]] - v[tris[:, 0]], v[tris[:, 2]] - v[tris[:, 0]])
    for k in range(3):
        np.add.at(n, tris[:, k], fn)
    length = np.linalg.norm(n, axis=1, keepdims=True)
    return n / np.where(length > 0, length, 1.0)


class Builder:
    """Shapes the body for a look and cuts it into parts."""

    def __init__(self, look: Look) -> None:
        self.look = look
        body = shape.Body(gender=look.gender, age=look.age, build=look.build, ancestry=look.ancestry)
        v = shape.shaped_vertices(body)
        v, heads = shape.repose_arms(v)
        mesh = hd.base_mesh()
        body_idx = np.unique(triangles(mesh.faces["body"]))
        floor = v[body_idx, 1].min()
        top = v[body_idx, 1].max()
        self.sole = 0.018  # shoes lift the body off the ground
        self.scale = (HEIGHT - self.sole) / (top - floor)
        origin = np.array([0.0, floor, 0.0])
        self.v = (v - origin) * self.scale + np.array([0.0, self.sole, 0.0])
        self.heads = {k: (p - origin) * self.scale + np.array([0.0, self.sole, 0.0]) for k, p in heads.items()}
        self.faces = mesh.faces
        bones, w = shape.rig_weights()
        ours = np.zeros((len(self.v), len(NAMES)))
        for j, b in enumerate(bones):
            ours[:, INDEX[_our_joint(b)]] += w[:, j]
        self.weights = ours
        self.dominant_bone = np.array(bones)[np.argmax(w, axis=1)]
        self.body_tris = triangles(mesh.faces["body"])
        self.normals = vertex_normals(self.v, self.body_tris)
        self.joint_positions = self._joints()
        self.face = {}
        for name in FACE_TARGETS:
            sides = (f"{name}Left", f"{name}Right") if name in SIDED else (name,)
            total = np.zeros_like(self.v)
            for s in sides:
                idx, delta = hd.face_unit(s)
                np.add.at(total, idx, delta * self.scale)
            self.face[name] = total

    # ------------------------------------------------------------------ skeleton

    def _joints(self) -> dict[str, np.ndarray]:
        h = self.heads
        g = hd.group_centre
        out = {"Root": np.zeros(3), "Hips": h["pelvis"], "Spine": h["spine_01"], "Chest": h["spine_02"],
               "Neck": h["neck_01"], "Head": h["head"], "Jaw": self._at(g(hd.base_mesh().vertices, "joint-jaw"))}
        for side, pre in (("l", "Left"), ("r", "Right")):
            out[f"{pre}UpperArm"] = h[f"upperarm_{side}"]
            out[f"{pre}LowerArm"] = h[f"lowerarm_{side}"]
            out[f"{pre}Hand"] = h[f"hand_{side}"]
            out[f"{pre}UpperLeg"] = h[f"thigh_{side}"]
            out[f"{pre}LowerLeg"] = h[f"calf_{side}"]
            out[f"{pre}Foot"] = h[f"foot_{side}"]
            out[f"{pre}Eye"] = self.v[hd.vertex_groups()[f"helper-{side}-eye"]].mean(axis=0)
        out["Jaw"] = np.array([0.0, out["Jaw"][1], out["Jaw"][2]])
        return out

    def _at(self, base_point: np.ndarray) -> np.ndarray:
        """A base-mesh point (e.g. a joint cube's centre) on this body: the nearest vertex's offset."""
        base = hd.base_mesh().vertices
        i = int(np.argmin(np.linalg.norm(base - base_point, axis=1)))
        return self.v[i] + (base_point - base[i]) * self.scale

    # --------------------------------------------------------------------- parts

    def part(self, name: str, idx_tris: np.ndarray, offset: float = 0.0, *, normals: np.ndarray | None = None,
             positions: np.ndarray | None = None, morph: bool = True, flip: bool = False) -> Part:
        """A part from base-mesh triangles: its vertices re-indexed, pushed ``offset`` metres
        along the body normals, skin weights and face targets carried over."""
        used, inverse = np.unique(idx_tris, return_inverse=True)
        tris = inverse.reshape(-1, 3)
        if flip:
            tris = tris[:, ::-1]
        src_n = self.normals if normals is None else normals
        pos = (self.v if positions is None else positions)[used] + src_n[used] * offset
        nrm = vertex_normals(pos, tris) if normals is None or flip else src_n[used]
        j, w = self._top4(self.weights[used])
        morphs = {}
        if morph:
            for fname, delta in self.face.items():
                d = delta[used]
                rows = np.nonzero(np.abs(d).max(axis=1) > 2e-5)[0]
                if len(rows):
                    morphs[fname] = (rows, d[rows])
        return Part(name, pos, nrm, j, w, tris, morphs)

    @staticmethod
    def _top4(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(-w, axis=1, kind="stable")[:, :4]
        top = np.take_along_axis(w, order, axis=1)
        top = np.where(top > 0.01, top, 0.0)
        top = top / np.maximum(top.sum(axis=1, keepdims=True), 1e-12)
        order = np.where(top > 0, order, 0)
        return order.astype(np.uint8), top

    def bone_of(self, tris: np.ndarray) -> np.ndarray:
        """The rig bone most of each triangle's corners follow (its first corner breaks ties)."""
        return self.dominant_bone[tris[:, 0]]

    def y_of(self, tris: np.ndarray) -> np.ndarray:
        return self.v[tris].mean(axis=1)[:, 1]
