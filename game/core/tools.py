"""The force options as physics: plain functions of where a tool is and where it points.

Figures (ranges, cone angles, the CEW's probe angle and spread, OC onset, baton speed)
are :class:`ToolSpecs`, loaded from ``input/tools.yaml`` so an agency can tune them;
the defaults here are that file's values. Every function takes numpy vectors in world
metres (z up) and the subjects' :class:`~game.core.body.Body` capsules, and returns
what it hit — the simulation journals it and lets the subject react.

- flashlight: a cone; :func:`eyes_lit` says whether a subject's eyes are in it (and
  the subject faces the light).
- OC spray: a narrow cone with a range; :func:`oc_target` finds the face it reaches;
  its effect comes after ``onset`` seconds, scaled by :func:`oc_strength` (intoxicated
  or psychotic subjects may barely react).
- CEW: two probes at a fixed angle apart (:func:`cew_shot`); incapacitation needs both
  to connect on one subject, at least ``min_spread`` apart, within range; a ``cycle``.
- baton: the rod from the grip, swung at a speed (:func:`baton_strike`).
- firearm: hitscan (:func:`firearm_shot`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import numpy as np

from game.core.body import Body, RayHit, direction, eyes_at, in_cone, ray_hit
from game.core.world import TraineeState


@dataclass(frozen=True, slots=True)
class FlashlightSpec:
    reach: float = 15.0  # metres the beam dazzles at
    cone_deg: float = 10.0  # half-angle of the bright part of the beam


@dataclass(frozen=True, slots=True)
class OcSpec:
    reach: float = 3.5  # a stream, about 3–4 m
    cone_deg: float = 10.0  # half-angle of the stream (a cone pattern)
    onset: float = 2.0  # seconds until it takes effect
    duration: float = 20.0  # seconds a full-strength dose keeps the eyes shut
    #: Multipliers on the effect for subjects with these profile triggers.
    resistance: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"intoxicated": 0.35, "hears_voices": 0.5}))
    #: Below this strength the spray hurts but does not stop the subject.
    subdues_at: float = 0.5


@dataclass(frozen=True, slots=True)
class CewSpec:
    reach: float = 7.6  # a 25-ft cartridge
    probe_angle_deg: float = 8.0  # the lower probe flies this far below the upper one
    min_spread: float = 0.1  # metres between the probes for neuromuscular incapacitation
    cycle: float = 5.0  # seconds a cycle lasts (and incapacitates)


@dataclass(frozen=True, slots=True)
class BatonSpec:
    length: float = 0.6  # metres from the grip to the tip
    min_speed: float = 2.5  # m/s of the hand for a swing to count as a strike
    fall_speed: float = 7.0  # m/s: a leg strike this hard takes the subject down
    desktop_speed: float = 6.0  # the speed of a strike made with a key
    desktop_reach: float = 1.6  # metres from the trainee's body a key strike reaches
    cooldown: float = 0.4  # seconds before the same hand strikes again


@dataclass(frozen=True, slots=True)
class FirearmSpec:
    reach: float = 50.0


@dataclass(frozen=True, slots=True)
class ToolSpecs:
    flashlight: FlashlightSpec = field(default_factory=FlashlightSpec)
    oc_spray: OcSpec = field(default_factory=OcSpec)
    cew: CewSpec = field(default_factory=CewSpec)
    baton: BatonSpec = field(default_factory=BatonSpec)
    firearm: FirearmSpec = field(default_factory=FirearmSpec)
    #: With no tracked hand (desktop, scripts), a tool is held this high (metres; the light at
    #: the cheek, a "neck index" hold) and this far forward, and aims where the head looks.
    hold_height: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(
        {"flashlight": 1.55, "oc_spray": 1.45, "cew": 1.4, "baton": 1.3, "firearm": 1.4}))
    hold_forward: float = 0.45


DEFAULT_TOOLS = ToolSpecs()


def aim_ray(trainee: TraineeState, hand: str, tool: str, specs: ToolSpecs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the tool in ``hand`` is and points: (origin, unit direction, the tool's up axis).
    A tracked hand gives its own pose; otherwise the tool is held in front of the chest and
    aims where the head looks (the desktop and scripted trainee)."""
    pose = trainee.hand_poses.get(hand)
    if pose is not None:
        dirn = direction(pose.heading, pose.pitch)
        up0 = direction(pose.heading, pose.pitch + 90.0)
        right = np.cross(dirn, up0)
        r = math.radians(pose.roll)
        return np.array(pose.position, dtype=float), dirn, up0 * math.cos(r) + right * math.sin(r)
    dirn = direction(trainee.heading, trainee.pitch)
    flat = direction(trainee.heading, 0.0)
    origin = np.array([trainee.position[0], trainee.position[1], specs.hold_height.get(tool, 1.4)])
    return origin + flat * specs.hold_forward, dirn, direction(trainee.heading, trainee.pitch + 90.0)


def beam_in_eyes(trainee: TraineeState, hand: str, subject_posture: str, subject_position: tuple[float, float],
                 subject_heading: float, specs: ToolSpecs) -> bool:
    """:func:`eyes_lit` for the flashlight in ``hand``, in plain math (the simulation asks it
    every step for every subject while a light is out)."""
    spec = specs.flashlight
    ex, ey, ez = eyes_at(subject_posture, subject_position, subject_heading)
    pose = trainee.hand_poses.get(hand)
    if pose is not None:
        ox, oy, oz = pose.position
        heading, pitch = pose.heading, pose.pitch
    else:
        h0 = math.radians(trainee.heading)
        ox = trainee.position[0] - math.sin(h0) * specs.hold_forward
        oy = trainee.position[1] + math.cos(h0) * specs.hold_forward
        oz = specs.hold_height.get("flashlight", 1.55)
        heading, pitch = trainee.heading, trainee.pitch
    vx, vy, vz = ex - ox, ey - oy, ez - oz
    dist = math.sqrt(vx * vx + vy * vy + vz * vz)
    if dist > spec.reach or dist < 1e-9:
        return dist < 1e-9
    h, p = math.radians(heading), math.radians(pitch)
    dx, dy, dz = -math.sin(h) * math.cos(p), math.cos(h) * math.cos(p), math.sin(p)
    if (vx * dx + vy * dy + vz * dz) / dist < math.cos(math.radians(spec.cone_deg)):
        return False
    sh = math.radians(subject_heading)
    return -vx * -math.sin(sh) + -vy * math.cos(sh) > 0.0  # the subject faces the light


def eyes_lit(origin: np.ndarray, dirn: np.ndarray, spec: FlashlightSpec, body: Body) -> bool:
    """Whether the beam from ``origin`` along ``dirn`` is in the subject's eyes: the eyes lie in
    the cone, within reach, and the subject faces the light."""
    if not in_cone(origin, dirn, spec.cone_deg, spec.reach, body.eyes)[0]:
        return False
    to_light = origin[:2] - body.eyes[:2]
    return float(to_light @ body.forward[:2]) > 0.0


def oc_target(origin: np.ndarray, dirn: np.ndarray, spec: OcSpec, bodies: list[Body]) -> RayHit | None:
    """The nearest face the stream reaches (eyes in the cone, within reach, facing the spray)."""
    best: RayHit | None = None
    for body in bodies:
        if not in_cone(origin, dirn, spec.cone_deg, spec.reach, body.eyes)[0]:
            continue
        if float((origin[:2] - body.eyes[:2]) @ body.forward[:2]) <= 0.0:
            continue  # the back of the head: the spray does not reach the eyes
        d = float(np.linalg.norm(body.eyes - origin))
        if best is None or d < best.distance:
            best = RayHit(body.subject, "head", _point(body.eyes), d)
    return best


def oc_strength(spec: OcSpec, triggers: tuple[str, ...]) -> float:
    """How strongly OC works on a subject with these profile ``triggers`` (1: fully)."""
    strength = 1.0
    for trigger in triggers:
        strength *= spec.resistance.get(trigger, 1.0)
    return strength


def cew_probe_directions(dirn: np.ndarray, up: np.ndarray, spec: CewSpec) -> tuple[np.ndarray, np.ndarray]:
    """The upper probe flies along the aim; the lower one ``probe_angle_deg`` below it, in
    the plane of the device's up axis (a CEW held canted spreads its probes sideways)."""
    right = np.cross(dirn, up)
    n = float(np.linalg.norm(right))
    if n < 1e-9:  # pointing straight along "up": any perpendicular will do
        right = np.cross(dirn, np.array([1.0, 0.0, 0.0]))
        n = float(np.linalg.norm(right))
    right /= n
    true_up = np.cross(right, dirn)
    a = math.radians(spec.probe_angle_deg)
    lower = dirn * math.cos(a) - true_up * math.sin(a)
    return dirn, lower / np.linalg.norm(lower)


@dataclass(frozen=True, slots=True)
class CewShot:
    """Both probes: where each landed (None: missed), their spread, and whether the shot incapacitates."""

    probes: tuple[RayHit | None, RayHit | None]
    ends: tuple[tuple[float, float, float], tuple[float, float, float]]  # where each probe stopped
    spread: float  # metres between the probes when both connected on one subject, else 0
    effective: bool

    @property
    def subject(self) -> str:
        """The subject hit (both probes' if they agree, else whichever connected), or ""."""
        hits = [p for p in self.probes if p is not None]
        return hits[0].subject if hits else ""


def cew_shot(origin: np.ndarray, dirn: np.ndarray, up: np.ndarray, spec: CewSpec, bodies: list[Body]) -> CewShot:
    upper, lower = cew_probe_directions(dirn, up, spec)
    hits = (ray_hit(origin, upper, spec.reach, bodies), ray_hit(origin, lower, spec.reach, bodies))
    ends = tuple(_point(h.point if h is not None else origin + d * spec.reach) for h, d in zip(hits, (upper, lower)))
    spread = 0.0
    if hits[0] is not None and hits[1] is not None and hits[0].subject == hits[1].subject:
        spread = float(np.linalg.norm(np.subtract(hits[0].point, hits[1].point)))
    return CewShot(hits, ends, spread, spread >= spec.min_spread)  # type: ignore[arg-type]


def baton_strike(grip: np.ndarray, dirn: np.ndarray, length: float, bodies: list[Body]) -> RayHit | None:
    """Where the rod from ``grip`` along ``dirn`` (``length`` metres) meets a body."""
    return ray_hit(grip, dirn, length, bodies)


def firearm_shot(origin: np.ndarray, dirn: np.ndarray, spec: FirearmSpec, bodies: list[Body]) -> RayHit | None:
    """Hitscan: the first zone along the barrel within reach."""
    return ray_hit(origin, dirn, spec.reach, bodies)


def _point(p: np.ndarray | tuple[float, float, float]) -> tuple[float, float, float]:
    return (float(p[0]), float(p[1]), float(p[2]))
