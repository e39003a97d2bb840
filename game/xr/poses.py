"""Poses between OpenXR and the world, as plain math (no device, no engine).

OpenXR's stage space is right-handed with y up and -z forward; the world (Panda3D and
the core) has z up and +y forward. The trainee's play area is placed at the scenario's
start: stage (0, 0) is the trainee's starting spot and stage forward their starting
heading, so the trainee walks the room and nothing else moves the camera.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def quat_rotate(q: tuple[float, float, float, float], v: tuple[float, float, float]) -> np.ndarray:
    """``v`` rotated by the unit quaternion ``q`` = (x, y, z, w)."""
    x, y, z, w = q
    u = np.array([x, y, z])
    vv = np.asarray(v, dtype=float)
    return 2.0 * (u @ vv) * u + (w * w - u @ u) * vv + 2.0 * w * np.cross(u, vv)


def xr_to_world_vector(v: np.ndarray | tuple[float, float, float]) -> np.ndarray:
    """A direction from OpenXR axes (x right, y up, -z forward) to world axes (x right, z up, +y forward)."""
    return np.array([v[0], -v[2], v[1]], dtype=float)


@dataclass(frozen=True, slots=True)
class Pose:
    """A pose in the world: ``position`` (metres, z up), unit ``forward`` and ``up``."""

    position: tuple[float, float, float]
    forward: tuple[float, float, float]
    up: tuple[float, float, float]

    @property
    def heading(self) -> float:
        f = self.forward
        return math.degrees(math.atan2(-f[0], f[1]))

    @property
    def pitch(self) -> float:
        return math.degrees(math.asin(max(-1.0, min(1.0, self.forward[2]))))

    @property
    def roll(self) -> float:
        """Degrees clockwise seen from behind (the convention of ``HandMove``)."""
        h, p = math.radians(self.heading), math.radians(self.pitch)
        up0 = np.array([math.sin(h) * math.sin(p), -math.cos(h) * math.sin(p), math.cos(p)])
        right = np.cross(np.asarray(self.forward), up0)
        return math.degrees(math.atan2(float(np.asarray(self.up) @ right), float(np.asarray(self.up) @ up0)))


@dataclass(frozen=True, slots=True)
class StageAnchor:
    """Where the play area lies in the world: its origin on the ground and its heading."""

    origin: tuple[float, float] = (0.0, 0.0)
    heading: float = 0.0

    def _rot(self) -> np.ndarray:
        h = math.radians(self.heading)
        c, s = math.cos(h), math.sin(h)
        return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])

    def pose(self, position: tuple[float, float, float], orientation: tuple[float, float, float, float]) -> Pose:
        """An OpenXR stage-space pose (position, quaternion x y z w) in the world."""
        rot = self._rot()
        p = rot @ xr_to_world_vector(position) + np.array([self.origin[0], self.origin[1], 0.0])
        f = rot @ xr_to_world_vector(quat_rotate(orientation, (0.0, 0.0, -1.0)))
        u = rot @ xr_to_world_vector(quat_rotate(orientation, (0.0, 1.0, 0.0)))
        return Pose(_t(p), _t(f), _t(u))


def _t(v: np.ndarray) -> tuple[float, float, float]:
    return (float(v[0]), float(v[1]), float(v[2]))
