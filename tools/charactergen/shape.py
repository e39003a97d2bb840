"""A body shape from MakeHuman's macro targets (gender, age, ancestry, weight, muscle, height),
weighted the way MakeHuman mixes them, and a re-pose of its A-pose arms to hang down, so the
standard clips (authored for a skeleton with arms at the sides) fit it unchanged.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from charactergen import human_data as hd

#: build name: (weight, muscle), MakeHuman's 0..1 macro values.
BUILDS = {"slim": (0.2, 0.4), "average": (0.5, 0.5), "heavy": (0.95, 0.55), "athletic": (0.45, 0.9)}
ANCESTRIES = {"african": (1.0, 0.0, 0.0), "asian": (0.0, 1.0, 0.0), "european": (0.0, 0.0, 1.0),
              "mixed": (0.34, 0.33, 0.33)}


@dataclass(frozen=True)
class Body:
    gender: float = 1.0  # 0 female .. 1 male
    age: float = 30.0  # years
    build: str = "average"
    height: float = 0.5  # MakeHuman's height macro (0 short .. 1 tall), proportions only: the game scales
    ancestry: tuple[float, float, float] = ANCESTRIES["mixed"]  # african, asian, european


def _two(value: float, low: str, mid: str | None, high: str) -> dict[str, float]:
    """Weights of a macro's anchors at 0, 0.5 and 1 (or 0 and 1 with no middle)."""
    v = min(1.0, max(0.0, value))
    if mid is None:
        return {low: 1.0 - v, high: v}
    if v < 0.5:
        return {low: 1.0 - 2 * v, mid: 2 * v}
    return {mid: 2.0 - 2 * v, high: 2 * v - 1.0}


def age_weights(years: float) -> dict[str, float]:
    """MakeHuman's age macro: baby 1 y, child 11 y, young 25 y, old 90 y."""
    y = min(90.0, max(11.0, years))
    if y < 25.0:
        t = (y - 11.0) / 14.0
        return {"child": 1.0 - t, "young": t}
    t = (y - 25.0) / 65.0
    return {"young": 1.0 - t, "old": t}


def macro_targets(body: Body) -> list[tuple[str, float]]:
    """(target path, weight) for every macro target this body uses, in a fixed order."""
    weight, muscle = BUILDS[body.build]
    genders = {"female": 1.0 - body.gender, "male": body.gender}
    ages = age_weights(body.age)
    muscles = _two(muscle, "minmuscle", "averagemuscle", "maxmuscle")
    weights = _two(weight, "minweight", "averageweight", "maxweight")
    heights = {"minheight": max(0.0, 0.5 - body.height) * 2, "maxheight": max(0.0, body.height - 0.5) * 2}
    total = sum(body.ancestry) or 1.0
    races = dict(zip(("african", "asian", "caucasian"), (a / total for a in body.ancestry)))
    out: list[tuple[str, float]] = []
    for g, wg in genders.items():
        for a, wa in ages.items():
            for r, wr in races.items():
                out.append((f"macrodetails/{r}-{g}-{a}", wg * wa * wr))
            for m, wm in muscles.items():
                for w, ww in weights.items():
                    base = wg * wa * wm * ww
                    out.append((f"macrodetails/universal-{g}-{a}-{m}-{w}", base))
                    for h, wh in heights.items():
                        out.append((f"macrodetails/height/{g}-{a}-{m}-{w}-{h}", base * wh))
    return [(p, w) for p, w in out if w > 1e-6]


def shaped_vertices(body: Body) -> np.ndarray:
    v = hd.base_mesh().vertices.copy()
    for path, w in macro_targets(body):
        idx, delta = hd.target(path)
        if len(idx):
            np.add.at(v, idx, delta * w)
    return v


def _rotation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The smallest rotation taking direction ``a`` to ``b``."""
    a = a / np.linalg.norm(a)
    b = b / np.linalg.norm(b)
    axis = np.cross(a, b)
    s, c = np.linalg.norm(axis), float(np.dot(a, b))
    if s < 1e-9:
        return np.eye(3)
    k = axis / s
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + kx * s + kx @ kx * (1 - c)


@functools.cache
def _weight_matrix() -> tuple[tuple[str, ...], np.ndarray]:
    """(bones, (V, bones) weights) of the game-engine rig, rows summing to 1."""
    weights = hd.skin_weights()
    bones = tuple(sorted(weights))
    n = len(hd.base_mesh().vertices)
    m = np.zeros((n, len(bones)))
    for j, b in enumerate(bones):
        for v, w in weights[b]:
            m[v, j] += w
    total = m.sum(axis=1, keepdims=True)
    head = bones.index("head")
    m[total[:, 0] == 0, head] = 1.0  # the few unweighted helper vertices ride with the head
    return bones, m / np.maximum(m.sum(axis=1, keepdims=True), 1e-12)


def rig_weights() -> tuple[tuple[str, ...], np.ndarray]:
    return _weight_matrix()


ARM_CHAIN = ("upperarm", "lowerarm", "hand", "thumb", "index", "middle", "ring", "pinky")


def repose_arms(v: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Linear-blend skins the A-pose arms to hang straight down beside the body. Returns the
    vertices and the rig's joint heads after the re-pose (bone: position)."""
    bones, w = _weight_matrix()
    heads = {b: hd.joint_position(v, b) for b in hd.rig() if b != "Root"}
    moved = dict(heads)
    transforms = {b: (np.eye(3), np.zeros(3)) for b in bones}  # x' = R x + t
    down = np.array([0.0, -1.0, 0.0])
    for side in ("l", "r"):
        sh, el, wr = heads[f"upperarm_{side}"], heads[f"lowerarm_{side}"], heads[f"hand_{side}"]
        r1 = _rotation(el - sh, down + np.array([0.07 if side == "l" else -0.07, 0.0, 0.0]))
        t1 = sh - r1 @ sh
        el2 = r1 @ el + t1
        wr1 = r1 @ wr + t1
        r2 = _rotation(wr1 - el2, down + np.array([0.02 if side == "l" else -0.02, 0.0, 0.02]))
        r21 = r2 @ r1
        t21 = el2 - r2 @ el2 + r2 @ t1
        for b in bones:
            part = b.rsplit("_", 1)
            if len(part) != 2 or part[1] != side:
                continue
            name = part[0].rstrip("0123456789_")
            if name == "upperarm":
                transforms[b] = (r1, t1)
            elif name in ARM_CHAIN:
                transforms[b] = (r21, t21)
    out = np.zeros_like(v)
    for j, b in enumerate(bones):
        r, t = transforms[b]
        col = w[:, j]
        if not col.any():
            continue
        out += col[:, None] * (v @ r.T + t)
    for b, p in heads.items():
        r, t = transforms.get(b, (np.eye(3), np.zeros(3)))
        moved[b] = r @ p + t
    return out, moved
