"""Mutable state of a running session: the trainee and the subjects.

Only the simulation writes these; adapters and views read them between steps.
Angles are degrees, counter-clockwise from +y (Panda3D's heading); positions are
metres on the ground plane.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from game.core.events import WEAPONS

#: A tool counts as pointed at a subject within this many degrees of the line to them.
AIM_CONE_DEG = 12.0


def heading_to(src: tuple[float, float], dst: tuple[float, float]) -> float:
    """Heading (degrees, CCW from +y) that looks from ``src`` toward ``dst``."""
    dx, dy = dst[0] - src[0], dst[1] - src[1]
    return math.degrees(math.atan2(-dx, dy))


def angle_between(a: float, b: float) -> float:
    """Smallest absolute difference of two headings, in degrees (0..180)."""
    d = (a - b + 180.0) % 360.0 - 180.0
    return abs(d)


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


@dataclass(slots=True)
class SaidRecord:
    intent: str
    tone: str
    time: float
    text: str = ""


@dataclass(frozen=True, slots=True)
class HandPose:
    """Where a tracked hand is (metres, z up) and points (degrees), and when it got there."""

    position: tuple[float, float, float]
    heading: float
    pitch: float
    roll: float
    time: float


@dataclass(slots=True)
class TraineeState:
    position: tuple[float, float] = (0.0, 0.0)
    heading: float = 0.0
    pitch: float = 0.0
    hands: dict[str, str] = field(default_factory=lambda: {"left": "", "right": ""})
    low_ready: dict[str, bool] = field(default_factory=lambda: {"left": False, "right": False})
    said: list[SaidRecord] = field(default_factory=list)  # most recent last
    force: list[tuple[float, str, str]] = field(default_factory=list)  # (time, tool, who was hit)
    #: Tracked hands (a headset's controllers); a hand not here aims where the head looks.
    hand_poses: dict[str, HandPose] = field(default_factory=dict)

    def tools_out(self) -> list[str]:
        return [t for t in (self.hands["left"], self.hands["right"]) if t]

    def weapons_out(self) -> list[str]:
        return [t for t in self.tools_out() if t in WEAPONS]

    def pointed_tools(self) -> list[str]:
        """Tools out and pointed where the trainee looks (not held at low ready)."""
        return [self.hands[h] for h in ("left", "right") if self.hands[h] and not self.low_ready[h]]

    def is_aiming_at(self, target: tuple[float, float]) -> bool:
        """Whether ``target`` is where the trainee's head looks (tools in untracked hands
        aim there; see :meth:`tools_pointed_at` for tracked hands)."""
        return angle_between(self.heading, heading_to(self.position, target)) <= AIM_CONE_DEG

    def aim_heading(self, hand: str) -> tuple[tuple[float, float], float]:
        """Where ``hand``'s tool points from, on the ground, and its heading: the tracked
        hand's own pose, else the head's."""
        pose = self.hand_poses.get(hand)
        if pose is None:
            return self.position, self.heading
        return (pose.position[0], pose.position[1]), pose.heading

    def tools_pointed_at(self, target: tuple[float, float]) -> list[str]:
        """The raised tools (not at low ready) whose hand points at ``target``."""
        out = []
        for hand in ("left", "right"):
            tool = self.hands[hand]
            if not tool or self.low_ready[hand]:
                continue
            origin, heading = self.aim_heading(hand)
            if angle_between(heading, heading_to(origin, target)) <= AIM_CONE_DEG:
                out.append(tool)
        return out


def said_within(records: list[SaidRecord], now: float, seconds: float, intents: frozenset[str] | None) -> bool:
    """Whether one of ``intents`` (any, for None) is among ``records`` of the last ``seconds``."""
    for rec in reversed(records):
        if now - rec.time > seconds:
            return False
        if intents is None or rec.intent in intents:
            return True
    return False


@dataclass(slots=True)
class SubjectState:
    id: str
    position: tuple[float, float]
    heading: float
    anchor: tuple[float, float]
    agitation: float
    trust: float
    posture: str = "relaxed"
    goal: str = "stay"
    activity: str = "idle"
    branch: str = ""  # the named branch running, empty for the main tree
    branch_since: float = 0.0
    weapon: str = ""  # the weapon the subject carries ("" for none)
    weapon_out: bool = False
    weapon_seen: bool = False  # the trainee can see it (drawn, or carried openly)
    compliance: float = 0.0
    speed: float = 0.0
    move_target: tuple[float, float] | None = None
    closing_speed: float = 0.0  # how fast the trainee closes in, m/s (smoothed)
    last_distance: float = -1.0
    crowded: bool = False
    lit: bool = False  # a flashlight is on the subject
    last_line_time: float = -1e9
    last_touch: float = -1e9
    last_force: float = -1e9  # when a force option last hit the subject
    last_force_tool: str = ""
    attacked: bool = False  # the subject has attacked somebody
    hurt: bool = False  # another subject's blow landed on this one
    flags: set[str] = field(default_factory=set)
    heard: list[SaidRecord] = field(default_factory=list)  # the trainee's words this subject took in
    memory: float = 600.0  # seconds it remembers them

    def heard_within(self, now: float, seconds: float, intents: frozenset[str] | None = None) -> bool:
        """Whether one of ``intents`` (any, for None) was taken in within ``seconds`` — and is
        still remembered (a subject with a short memory forgets)."""
        return said_within(self.heard, now, min(seconds, self.memory), intents)

    def last_heard(self, now: float, seconds: float, intents: frozenset[str]) -> SaidRecord | None:
        """The most recent of ``intents`` taken in within ``seconds``, if any."""
        for rec in reversed(self.heard):
            if now - rec.time > seconds:
                return None
            if rec.intent in intents:
                return rec
        return None

    def sample(self) -> dict[str, object]:
        return {
            "id": self.id,
            "position": [round(self.position[0], 3), round(self.position[1], 3)],
            "heading": round(self.heading, 1),
            "agitation": round(self.agitation, 4),
            "trust": round(self.trust, 4),
            "compliance": round(self.compliance, 4),
            "posture": self.posture,
            "activity": self.activity,
            "goal": self.goal,
            "branch": self.branch,
            "weapon_out": self.weapon_out,
        }
