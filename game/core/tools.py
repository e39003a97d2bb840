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

:data:`KINDS` is the one table of the tools (:class:`ToolKind`): each tool's name, whether
it is a force option, the hand it is drawn into, what its use does (``use``: the model
above applied through :class:`~game.core.force.ForceOptions`' ``Shot``), the rules of its
reaction (``react``), how its use moves a subject's feelings, the posture it leaves a
subject in, its colour in the review. The tool names (``TOOLS``, ``WEAPONS`` in
:mod:`game.core.terms`), the default reactions, the desk's draw hands and the review's
colours are read from it, so a new tool is this file, its figures in ``input/tools.yaml``,
its look in ``game/engine/world/tools_view.py`` and its place in the policy (see
docs/architecture.md, *Adding a force option*).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

import numpy as np

from game.core.body import Body, RayHit, direction, eyes_at, in_cone, ray_hit

#: An officer (game.core.world.TraineeState): pose, hands, tracked hand poses. Not imported:
#: the tool table is where the core's tool names come from (game.core.terms reads it).
TraineeState = Any


def figure(default: float, high: float, *, low: float = 0.0, above: bool = True, about: str = "") -> Any:
    """A figure of ``input/tools.yaml`` with its allowed range (``above``: more than ``low``,
    else at least it), what ``tools/make_schemas.py`` writes into ``input/tools.schema.json``."""
    return field(default=default, metadata={"low": low, "high": high, "above": above, "about": about})


@dataclass(frozen=True, slots=True)
class FlashlightSpec:
    """the beam"""

    reach: float = figure(15.0, 100, about="metres the beam dazzles at")
    cone_deg: float = figure(10.0, 90, about="half-angle of the bright part of the beam")


@dataclass(frozen=True, slots=True)
class OcSpec:
    """the OC stream"""

    reach: float = figure(3.5, 10, about="a stream, about 3-4 m")
    cone_deg: float = figure(10.0, 90, about="half-angle of the stream (a cone pattern)")
    onset: float = figure(2.0, 60, above=False, about="seconds until it takes effect")
    duration: float = figure(20.0, 600, about="seconds a full-strength dose keeps the eyes shut")
    #: Multipliers on the effect for subjects with these profile triggers.
    resistance: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"intoxicated": 0.35, "hears_voices": 0.5}),
        metadata={"each": (0, 1), "about": "strength multiplier per profile trigger"})
    #: Below this strength the spray hurts but does not stop the subject.
    subdues_at: float = figure(0.5, 1, above=False)


@dataclass(frozen=True, slots=True)
class CewSpec:
    """the conducted energy weapon"""

    reach: float = figure(7.6, 15, about="a 25-ft cartridge")
    probe_angle_deg: float = figure(8.0, 90, about="the lower probe flies this far below the upper one")
    min_spread: float = figure(0.1, 1, above=False, about="metres between the probes for neuromuscular incapacitation")
    cycle: float = figure(5.0, 30, about="seconds a cycle lasts (and incapacitates)")


@dataclass(frozen=True, slots=True)
class BatonSpec:
    """the baton"""

    length: float = figure(0.6, 2, about="metres from the grip to the tip")
    min_speed: float = figure(2.5, 30, about="m/s of the hand for a swing to count as a strike")
    fall_speed: float = figure(7.0, 50, about="m/s: a leg strike this hard takes the subject down")
    desktop_speed: float = figure(6.0, 50, about="the speed of a strike made with a key")
    desktop_reach: float = figure(1.6, 3, about="metres from the trainee's body a key strike reaches")
    cooldown: float = figure(0.4, 5, above=False, about="seconds before the same hand strikes again")


@dataclass(frozen=True, slots=True)
class FirearmSpec:
    """the handgun"""

    reach: float = figure(50.0, 500)


@dataclass(frozen=True, slots=True)
class ToolSpecs:
    """Every tool's figures (a field per tool of :data:`KINDS`, named as it), and how an
    untracked hand holds them."""

    flashlight: FlashlightSpec = field(default_factory=FlashlightSpec)
    oc_spray: OcSpec = field(default_factory=OcSpec)
    cew: CewSpec = field(default_factory=CewSpec)
    baton: BatonSpec = field(default_factory=BatonSpec)
    firearm: FirearmSpec = field(default_factory=FirearmSpec)
    #: With no tracked hand (desktop, scripts), a tool is held this high (metres; the light at
    #: the cheek, a "neck index" hold) and this far forward, and aims where the head looks.
    hold_height: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(
        {"flashlight": 1.55, "oc_spray": 1.45, "cew": 1.4, "baton": 1.3, "firearm": 1.4}),
        metadata={"each": (0, 2.5), "above": True, "about": "metres; untracked hands only"})
    hold_forward: float = figure(0.45, 1.5, above=False)


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


# ------------------------------------------------------------------ the tool table


@dataclass(frozen=True, slots=True)
class ToolKind:
    """A tool on the belt: everything the core, the devices and the review know of it
    except its figures (:class:`ToolSpecs`, ``input/tools.yaml``) and its look."""

    name: str
    #: A force option: a subject reads it as a weapon when it is out; its use is force.
    force: bool = True
    #: The hand a desk key draws it into (the support hand for the light).
    hand: str = "right"
    #: What its use does: ``use(shot)`` with a :class:`~game.core.force.Shot` (None: nothing
    #: but ``ToolUsed``, the flashlight: its light acts every step).
    use: Callable[[Any], None] | None = None
    #: ``react(zone, specs, effective=, speed=, strength=)`` -> (reaction, seconds, detail);
    #: seconds -1 is for good (see :func:`game.core.force.reaction_for`).
    react: Callable[..., tuple[str, float, str]] | None = None
    #: The reaction when the caller gives none (``SubjectMind.hit``), (reaction, seconds).
    reaction: tuple[str, float] = ("pain", 0.0)
    #: The posture an incapacitating use leaves a subject in.
    down_posture: str = "prone"
    #: How much its use on a subject moves agitation and trust (before the profile's triggers).
    feelings: tuple[float, float] = (0.0, 0.0)
    #: Its colour in the review's plots.
    colour: str = "#444"
    #: A tracked hand's fast move with it is a strike (``ForceOptions.swing``, the baton's figures).
    swings: bool = False


def _use_oc(shot: Any) -> None:
    spec = shot.specs.oc_spray
    shot.discharged()
    hit = oc_target(shot.origin, shot.dirn, spec, shot.bodies)
    shot.land(hit, shot.origin + shot.dirn * spec.reach)
    if hit is not None:
        strength = oc_strength(spec, shot.triggers(hit.subject))
        reaction, seconds, detail = _react_oc("head", shot.specs, strength=strength)
        shot.dose(hit.subject, shot.now + spec.onset, reaction, seconds, detail)


def _react_oc(zone: str, specs: ToolSpecs, *, strength: float = 1.0, **_: Any) -> tuple[str, float, str]:
    if strength >= specs.oc_spray.subdues_at:
        return "incapacitated", specs.oc_spray.duration * strength, f"strength {strength:.2f}"
    if strength >= 0.2:
        return "pain", 0.0, f"strength {strength:.2f}"
    return "none", 0.0, f"strength {strength:.2f}"


def _use_cew(shot: Any) -> None:
    shot.discharged()
    fired = cew_shot(shot.origin, shot.dirn, shot.up, shot.specs.cew, shot.bodies)
    for i, (hit, end) in enumerate(zip(fired.probes, fired.ends), start=1):
        shot.land(hit, np.array(end), probe=i, summary=False)
    shot.summary(fired.subject)
    if fired.subject:
        reaction, seconds, detail = _react_cew("", shot.specs, effective=fired.effective)
        if fired.spread > 0.0:
            detail = f"{detail}; spread {fired.spread:.2f} m"
        zone = next(h.zone for h in fired.probes if h is not None)
        shot.react(fired.subject, zone, reaction, seconds, detail)


def _react_cew(zone: str, specs: ToolSpecs, *, effective: bool = True, **_: Any) -> tuple[str, float, str]:
    if effective:
        return "incapacitated", specs.cew.cycle, "both probes connected"
    return "pain", 0.0, "probes too close or only one connected"


def _use_baton(shot: Any) -> None:
    b = shot.specs.baton
    shot.discharged(b.desktop_speed)
    reach = max(0.1, b.desktop_reach - shot.specs.hold_forward)
    baton_lands(shot, baton_strike(shot.origin, shot.dirn, reach, shot.bodies), shot.origin + shot.dirn * reach,
                b.desktop_speed)


def baton_lands(shot: Any, hit: RayHit | None, end: np.ndarray, speed: float) -> None:
    """A baton strike (a desk ``Use`` or a tracked swing) journaled, and the subject's reaction."""
    shot.land(hit, end)
    if hit is not None:
        reaction, seconds, detail = _react_baton(hit.zone, shot.specs, speed=speed)
        shot.react(hit.subject, hit.zone, reaction, seconds, detail)


def _react_baton(zone: str, specs: ToolSpecs, *, speed: float = 0.0, **_: Any) -> tuple[str, float, str]:
    b = specs.baton
    if speed < 1.5 * b.min_speed:
        return "flinch", 0.0, f"{speed:.1f} m/s"
    if zone == "head":
        return "fall", 3.0, f"head strike {speed:.1f} m/s"
    if zone == "legs" and speed >= b.fall_speed:
        return "fall", 2.0, f"{speed:.1f} m/s"
    return "pain", 0.0, f"{speed:.1f} m/s"


def _use_firearm(shot: Any) -> None:
    shot.discharged()
    hit = firearm_shot(shot.origin, shot.dirn, shot.specs.firearm, shot.bodies)
    shot.land(hit, shot.origin + shot.dirn * shot.specs.firearm.reach)
    if hit is not None:
        reaction, seconds, detail = _react_firearm(hit.zone, shot.specs)
        shot.react(hit.subject, hit.zone, reaction, seconds, detail)


def _react_firearm(zone: str, specs: ToolSpecs, **_: Any) -> tuple[str, float, str]:
    if zone in ("head", "torso"):
        return "incapacitated", -1.0, zone
    if zone == "legs":
        return "fall", -1.0, zone
    return "pain", 0.0, zone


#: The tools on the duty belt, in the order of the options ladder (``TOOLS`` keeps this order).
KINDS: Mapping[str, ToolKind] = MappingProxyType({k.name: k for k in (
    ToolKind("flashlight", force=False, hand="left", colour="#85929e"),
    ToolKind("oc_spray", use=_use_oc, react=_react_oc, reaction=("pain", 0.0), down_posture="kneeling",
             feelings=(0.2, -0.15), colour="#e67e22"),
    ToolKind("cew", use=_use_cew, react=_react_cew, reaction=("incapacitated", 5.0), feelings=(0.1, -0.2),
             colour="#d4ac0d"),
    ToolKind("baton", use=_use_baton, react=_react_baton, reaction=("pain", 0.0), feelings=(0.25, -0.25),
             colour="#6e2c00", swings=True),
    ToolKind("firearm", use=_use_firearm, react=_react_firearm, reaction=("incapacitated", -1.0),
             down_posture="collapsed", feelings=(0.3, -0.5), colour="#c0392b"),
)})
