"""A character posed on the CPU, as the engine's skinning poses it: forward kinematics over
the standard skeleton (rest rotations are identity; a pose gives each joint's local euler
angles, as :mod:`charactergen.clips` writes them) and linear blend skinning of a part.

For checks at build and test time — where a clip's pose puts the hands, whether the
forearms of a pose sink into the torso — not for the game."""

from __future__ import annotations

import numpy as np

from charactergen.gltf import quat_from_euler
from charactergen.skeleton import INDEX, NAMES, PARENT


def _matrix(q: tuple[float, float, float, float]) -> np.ndarray:
    x, y, z, w = q
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                     [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                     [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])


def joints_posed(joints: dict[str, np.ndarray], pose: dict) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(world rotation, world position) of every joint for ``pose`` (root_t moves the root)."""
    rot: dict[str, np.ndarray] = {}
    pos: dict[str, np.ndarray] = {}
    for name in NAMES:
        parent = PARENT[name]
        local = _matrix(quat_from_euler(*pose.get(name, (0.0, 0.0, 0.0))))
        rest = np.asarray(joints[name], dtype=np.float64)
        if parent is None:
            rot[name], pos[name] = local, rest + np.asarray(pose.get("root_t", (0.0, 0.0, 0.0)))
        else:
            rot[name] = rot[parent] @ local
            pos[name] = pos[parent] + rot[parent] @ (rest - np.asarray(joints[parent], dtype=np.float64))
    return rot, pos


def skin(part, joints: dict[str, np.ndarray], pose: dict) -> np.ndarray:
    """The part's vertex positions in ``pose`` (linear blend skinning)."""
    rot, pos = joints_posed(joints, pose)
    out = np.zeros_like(part.positions, dtype=np.float64)
    for name in NAMES:
        rest = np.asarray(joints[name], dtype=np.float64)
        moved = (part.positions - rest) @ rot[name].T + pos[name]
        w = np.where(part.joints == INDEX[name], part.weights, 0.0).sum(axis=1)[:, None]
        out += w * moved
    return out


def main_joint(part) -> np.ndarray:
    """Each vertex's most weighted joint (an index of the skeleton)."""
    return part.joints[np.arange(len(part.joints)), np.argmax(part.weights, axis=1)]


def sunk(parts, joints: dict[str, np.ndarray], pose: dict, limbs: tuple[str, ...], into: tuple[str, ...],
         *, within: float = 0.05) -> np.ndarray:
    """How deep (metres, positive) each vertex of the ``limbs`` joints lies under the surface of
    the ``into`` joints' clothing or skin in ``pose``: the nearest such vertex's normal says
    which side is in. Vertices further than ``within`` from that surface count 0."""
    limb_j, into_j = [INDEX[n] for n in limbs], [INDEX[n] for n in into]
    arm, body, normals = [], [], []
    for p in parts:
        if not (p.name.endswith(".skin") or p.name.startswith("top.")):
            continue
        posed = skin(p, joints, pose)
        main = main_joint(p)
        arm.append(posed[np.isin(main, limb_j)])
        if p.name.startswith(("top.", "body.")):
            sel = np.isin(main, into_j)
            body.append(posed[sel])
            normals.append(p.normals[sel])  # the torso barely turns in these poses: rest normals
    a, t, n = np.concatenate(arm), np.concatenate(body), np.concatenate(normals)
    depth = np.zeros(len(a))
    for start in range(0, len(a), 512):
        chunk = a[start:start + 512]
        d2 = ((chunk[:, None, :] - t[None, :, :]) ** 2).sum(axis=2)
        i = d2.argmin(axis=1)
        d = -((chunk - t[i]) * n[i]).sum(axis=1)
        near = np.sqrt(d2[np.arange(len(chunk)), i]) < within
        depth[start:start + 512] = np.where(near, np.maximum(d, 0.0), 0.0)
    return depth
