"""A subject's body for hit tests: capsules per zone (head, torso, arms, legs) for each posture.

The engine animates the subject's figure; the core cannot depend on that, so hit tests
use this deterministic stand-in that follows the subject's *posture* (standing, hands
up, kneeling, sitting, prone …), position and heading. Capsules are segments with a
radius, in the subject's own frame: x to its right, y where it faces, z up, metres
from the point between its feet. A 1.75 m adult.

Geometry is plain numpy: :func:`ray_hit` finds where a ray (a probe, a bullet, a
baton's length) first meets a body, :func:`in_cone` whether points lie in a cone (a
light's beam, a spray's stream).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: The zones a hit can land on (what the review shows and the subject reacts to).
ZONES = ("head", "torso", "arms", "legs")

Capsule = tuple[str, tuple[float, float, float], tuple[float, float, float], float]


def _mirror(zone: str, a: tuple[float, float, float], b: tuple[float, float, float], r: float) -> list[Capsule]:
    """A left and a right limb from the right one (x > 0)."""
    return [(zone, a, b, r), (zone, (-a[0], a[1], a[2]), (-b[0], b[1], b[2]), r)]


_HEAD = ("head", (0.0, 0.0, 1.57), (0.0, 0.0, 1.7), 0.11)
_TORSO = ("torso", (0.0, 0.0, 0.98), (0.0, 0.0, 1.38), 0.17)
_LEGS = _mirror("legs", (0.1, 0.0, 0.9), (0.1, 0.0, 0.06), 0.075)
_STANDING = [_HEAD, _TORSO, *_LEGS]

#: Capsules per posture. Postures not listed stand (``relaxed``).
POSTURE_CAPSULES: dict[str, list[Capsule]] = {
    "relaxed": [*_STANDING, *_mirror("arms", (0.22, 0.0, 1.42), (0.25, 0.04, 0.82), 0.05)],
    "arms_crossed": [*_STANDING, *_mirror("arms", (0.21, 0.02, 1.42), (0.08, 0.2, 1.18), 0.05)],
    "agitated": [*_STANDING, *_mirror("arms", (0.22, 0.0, 1.42), (0.28, 0.12, 0.9), 0.05)],
    "fists": [*_STANDING, *_mirror("arms", (0.2, 0.0, 1.42), (0.16, 0.35, 1.3), 0.05)],
    "attacking": [*_STANDING, *_mirror("arms", (0.2, 0.05, 1.42), (0.14, 0.55, 1.4), 0.05)],
    "hands_up": [*_STANDING, *_mirror("arms", (0.22, 0.0, 1.42), (0.3, 0.05, 1.95), 0.05)],
    "kneeling": [
        ("head", (0.0, 0.0, 1.1), (0.0, 0.0, 1.22), 0.11),
        ("torso", (0.0, 0.0, 0.55), (0.0, 0.0, 0.92), 0.17),
        *_mirror("legs", (0.1, 0.0, 0.5), (0.1, 0.05, 0.08), 0.075),
        *_mirror("legs", (0.1, 0.05, 0.08), (0.1, -0.4, 0.07), 0.06),
        *_mirror("arms", (0.22, 0.0, 0.96), (0.3, 0.05, 1.45), 0.05),
    ],
    "sitting": [
        ("head", (0.0, -0.05, 1.12), (0.0, -0.05, 1.24), 0.11),
        ("torso", (0.0, -0.05, 0.55), (0.0, -0.05, 0.95), 0.17),
        *_mirror("legs", (0.1, -0.05, 0.45), (0.1, 0.4, 0.45), 0.075),
        *_mirror("legs", (0.1, 0.4, 0.45), (0.1, 0.45, 0.06), 0.06),
        *_mirror("arms", (0.22, -0.05, 0.95), (0.22, 0.25, 0.6), 0.05),
    ],
    "prone": [
        ("head", (0.0, 0.72, 0.12), (0.0, 0.86, 0.12), 0.11),
        ("torso", (0.0, 0.05, 0.14), (0.0, 0.55, 0.14), 0.16),
        *_mirror("legs", (0.1, 0.0, 0.1), (0.1, -0.85, 0.08), 0.075),
        *_mirror("arms", (0.25, 0.6, 0.07), (0.35, 1.1, 0.06), 0.05),
    ],
    "collapsed": [
        ("head", (0.0, 0.72, 0.14), (0.0, 0.86, 0.14), 0.11),
        ("torso", (0.0, 0.05, 0.17), (0.0, 0.55, 0.17), 0.17),
        *_mirror("legs", (0.1, 0.0, 0.1), (0.15, -0.85, 0.08), 0.075),
        *_mirror("arms", (0.3, 0.5, 0.08), (0.45, 0.2, 0.06), 0.05),
    ],
}
#: Eyes sit this far in front of the head's axis.
EYE_FORWARD = 0.08


@dataclass(frozen=True, slots=True)
class Body:
    """A subject's capsules in world coordinates: ``zones[i]`` spans ``a[i]``–``b[i]`` with ``r[i]``."""

    subject: str
    zones: tuple[str, ...]
    a: np.ndarray
    b: np.ndarray
    r: np.ndarray
    eyes: np.ndarray
    forward: np.ndarray  # where the subject faces (unit, on the ground)


@lru_cache(maxsize=None)
def _local(posture: str) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]:
    caps = POSTURE_CAPSULES.get(posture, POSTURE_CAPSULES["relaxed"])
    zones = tuple(c[0] for c in caps)
    a = np.array([c[1] for c in caps], dtype=float)
    b = np.array([c[2] for c in caps], dtype=float)
    r = np.array([c[3] for c in caps], dtype=float)
    for arr in (a, b, r):
        arr.setflags(write=False)
    return zones, a, b, r


def _rotation(heading: float) -> np.ndarray:
    """Local (x right, y forward) to world for a heading in degrees CCW from +y."""
    h = math.radians(heading)
    c, s = math.cos(h), math.sin(h)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


@lru_cache(maxsize=None)
def local_eyes(posture: str) -> tuple[float, float, float]:
    """Where the eyes are in the subject's own frame, for a posture."""
    zones, a, b, _r = _local(posture)
    head = next(i for i, z in enumerate(zones) if z == "head")
    mid = (a[head] + b[head]) / 2.0
    off = (0.0, 0.05, -0.05) if posture in ("prone", "collapsed") else (0.0, EYE_FORWARD, 0.0)
    return (float(mid[0] + off[0]), float(mid[1] + off[1]), float(mid[2] + off[2]))


def eyes_at(posture: str, position: tuple[float, float], heading: float) -> tuple[float, float, float]:
    """The eyes in the world (plain math: this runs every step for every subject in a beam)."""
    x, y, z = local_eyes(posture)
    h = math.radians(heading)
    c, s = math.cos(h), math.sin(h)
    return (position[0] + c * x - s * y, position[1] + s * x + c * y, z)


def body_of(subject: str, posture: str, position: tuple[float, float], heading: float) -> Body:
    """The subject's capsules placed in the world."""
    zones, a, b, r = _local(posture)
    rot = _rotation(heading)
    offset = np.array([position[0], position[1], 0.0])
    eyes_local = np.array(local_eyes(posture))
    return Body(subject, zones, a @ rot.T + offset, b @ rot.T + offset, r, eyes_local @ rot.T + offset,
                rot @ np.array([0.0, 1.0, 0.0]))


def direction(heading: float, pitch: float) -> np.ndarray:
    """Unit vector for a heading (degrees CCW from +y) and a pitch (degrees up)."""
    h, p = math.radians(heading), math.radians(pitch)
    return np.array([-math.sin(h) * math.cos(p), math.cos(h) * math.cos(p), math.sin(p)])


def _segment_distances(p0: np.ndarray, d: np.ndarray, length: float, a: np.ndarray, b: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Closest distance between the segment ``p0 + t*d`` (0 ≤ t ≤ length, |d| = 1) and each
    segment ``a[i]``–``b[i]``; returns (distances, t at the closest point). After Ericson,
    *Real-Time Collision Detection*, 5.1.9, over all segments at once."""
    e = b - a
    r = p0 - a
    ee = np.einsum("ij,ij->i", e, e)
    de = e @ d
    dr = r @ d
    er = np.einsum("ij,ij->i", e, r)
    denom = ee - de * de  # |d|^2 * |e|^2 - (d.e)^2 with |d| = 1
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(denom > 1e-12, (de * er - dr * ee) / np.where(denom > 1e-12, denom, 1.0), 0.0)
    t = np.clip(t, 0.0, length)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(ee > 1e-12, (t * de + er) / np.where(ee > 1e-12, ee, 1.0), 0.0)
    s = np.clip(s, 0.0, 1.0)
    # with s clamped, t is recomputed for the clamped point on the capsule's axis
    t = np.clip(np.einsum("ij,j->i", a + s[:, None] * e - p0, d), 0.0, length)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.clip(np.where(ee > 1e-12, (t * de + er) / np.where(ee > 1e-12, ee, 1.0), 0.0), 0.0, 1.0)
    closest_ray = p0 + t[:, None] * d
    closest_cap = a + s[:, None] * e
    dist = np.linalg.norm(closest_ray - closest_cap, axis=1)
    return dist, t


@dataclass(frozen=True, slots=True)
class RayHit:
    """Where a ray met a body: the ``subject``, the ``zone``, the ``point`` and its ``distance`` along the ray."""

    subject: str
    zone: str
    point: tuple[float, float, float]
    distance: float


def ray_hit(origin: np.ndarray, dirn: np.ndarray, length: float, bodies: list[Body]) -> RayHit | None:
    """The first body zone the segment from ``origin`` along unit ``dirn`` (``length`` metres) meets.
    All bodies' capsules are tested in one vectorised pass."""
    if not bodies:
        return None
    a = np.concatenate([b.a for b in bodies]) if len(bodies) > 1 else bodies[0].a
    b_ = np.concatenate([b.b for b in bodies]) if len(bodies) > 1 else bodies[0].b
    r = np.concatenate([b.r for b in bodies]) if len(bodies) > 1 else bodies[0].r
    dist, t = _segment_distances(origin, dirn, length, a, b_)
    inside = dist <= r
    if not inside.any():
        return None
    # entry point: back off from the closest approach along the ray by the chord's half
    entry = np.where(inside, np.maximum(0.0, t - np.sqrt(np.maximum(r**2 - dist**2, 0.0))), np.inf)
    i = int(np.argmin(entry))
    for body in bodies:
        if i < len(body.zones):
            p = origin + entry[i] * dirn
            return RayHit(body.subject, body.zones[i], (float(p[0]), float(p[1]), float(p[2])), float(entry[i]))
        i -= len(body.zones)
    return None  # unreachable


def in_cone(origin: np.ndarray, dirn: np.ndarray, half_angle_deg: float, reach: float, points: np.ndarray) -> np.ndarray:
    """Which ``points`` (n×3) lie within ``half_angle_deg`` of the unit axis ``dirn`` from
    ``origin`` and no farther than ``reach``."""
    v = np.atleast_2d(points) - origin
    dist = np.linalg.norm(v, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = np.where(dist > 1e-9, (v @ dirn) / np.where(dist > 1e-9, dist, 1.0), 1.0)
    return (dist <= reach) & (cos >= math.cos(math.radians(half_angle_deg)))


def faces(body_heading: float, body_position: tuple[float, float], point: tuple[float, float], half_angle: float = 90.0) -> bool:
    """Whether a subject at ``body_position`` facing ``body_heading`` has ``point`` in front of it."""
    dx, dy = point[0] - body_position[0], point[1] - body_position[1]
    to = math.degrees(math.atan2(-dx, dy))
    return abs((to - body_heading + 180.0) % 360.0 - 180.0) <= half_angle
