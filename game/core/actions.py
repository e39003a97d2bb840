"""The actions scenario authors put in behaviour trees, by name (``approach: 1.5``).

Each action is a leaf :class:`~game.core.behaviour.Node` whose hooks call the subject's
body (:class:`~game.core.subject.SubjectMind`): its posture, voice, motion and weapon.
Motion is integrated by the body on every simulation step; a moving action asks for
a motion in ``start`` and reports, in ``update``, whether it has got where it wanted.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

from game.core.behaviour import FAILURE, HALTED, RUNNING, SUCCESS, Node, Status
from game.core.events import COMMANDS
from game.core.world import distance, heading_to

Point = tuple[float, float]

#: Reach of a strike, by weapon (metres from the subject's centre to the target's).
REACH = {"": 0.9, "knife": 1.1, "bat": 1.5, "firearm": 12.0}
#: Seconds between two blows of one subject.
STRIKE_INTERVAL = 1.0
#: An attack that has not reached its target after this long gives up.
ATTACK_GIVE_UP = 8.0
#: How far back ``comply`` looks for a command to obey.
COMPLY_MEMORY = 10.0
#: Line cooldown when ``say`` gives none: a subject does not repeat a line sooner.
SAY_COOLDOWN = 6.0


def speed_of(body: Any, spec: Any, default: str = "walk") -> float:
    """``walk``, ``run``, ``slow`` or metres per second."""
    spec = default if spec is None else spec
    if isinstance(spec, (int, float)):
        return float(spec)
    p = body.profile
    return {"walk": p.walk_speed, "run": p.run_speed, "slow": 0.55 * p.walk_speed}[spec]


def _args(value: Any, short: str) -> Mapping[str, Any]:
    """An action's value as a mapping: ``approach: 1.5`` is ``approach: {distance: 1.5}``."""
    return value if isinstance(value, Mapping) else {short: value}


class _Instant(Node):
    """An action that does its thing in ``start`` and succeeds (or fails) on the same tick."""

    __slots__ = ("fn",)

    def __init__(self, label: str, fn: Callable[[Any], bool]) -> None:
        super().__init__(label)
        self.fn = fn

    def update(self, body: Any) -> Status:
        return SUCCESS if self.fn(body) else FAILURE


class _Moving(Node):
    """Base of actions that move the subject: the body integrates the motion every step."""

    __slots__ = ("activity", "speed_spec")

    def __init__(self, label: str, activity: str, speed_spec: Any) -> None:
        super().__init__(label)
        self.activity = activity
        self.speed_spec = speed_spec

    def target(self, body: Any) -> Point | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def start(self, body: Any) -> None:
        body.go(self.activity, lambda: self.target(body), speed_of(body, self.speed_spec), owner=self)

    def stop(self, body: Any, status: Status) -> None:
        body.halt_motion(owner=self)


class MoveTo(_Moving):
    __slots__ = ("point",)

    def __init__(self, label: str, point: Point, speed: Any) -> None:
        super().__init__(label, "move_to", speed)
        self.point = point

    def target(self, body: Any) -> Point | None:
        return self.point

    def update(self, body: Any) -> Status:
        # a point beyond the walkable area is reached as near as the scene allows
        return SUCCESS if distance(body.state.position, self.point) < 0.05 or body.pinned else RUNNING


class _Toward(_Moving):
    """Base of actions that head for the trainee or another subject (``who``)."""

    __slots__ = ("who",)

    def __init__(self, label: str, activity: str, who: str, speed: Any) -> None:
        super().__init__(label, activity, speed)
        self.who = who

    def target(self, body: Any) -> Point | None:
        return body.position_of(self.who)

    def gap(self, body: Any) -> float | None:
        """How far the one it heads for is, or None if they are gone."""
        where = body.position_of(self.who)
        return None if where is None else distance(body.state.position, where)


class Approach(_Toward):
    """Walks toward the trainee (or another subject) until within ``distance``."""

    __slots__ = ("distance",)

    def __init__(self, label: str, who: str, dist: float, speed: Any) -> None:
        super().__init__(label, "approach", who, speed)
        self.distance = dist

    def update(self, body: Any) -> Status:
        gap = self.gap(body)
        if gap is None:
            return FAILURE
        return SUCCESS if gap <= self.distance else RUNNING


class Retreat(_Moving):
    """Backs away from the trainee (or ``from`` a subject) until ``distance`` apart."""

    __slots__ = ("who", "distance")

    def __init__(self, label: str, who: str, dist: float, speed: Any, activity: str = "retreat") -> None:
        super().__init__(label, activity, speed)
        self.who = who
        self.distance = dist

    def target(self, body: Any) -> Point | None:
        src = body.position_of(self.who)
        if src is None:
            return None
        pos = body.state.position
        away = math.radians(heading_to(src, pos)) if distance(src, pos) > 1e-6 else math.radians(body.state.heading)
        return (pos[0] - math.sin(away) * 3.0, pos[1] + math.cos(away) * 3.0)

    def update(self, body: Any) -> Status:
        src = body.position_of(self.who)
        if src is None or distance(body.state.position, src) >= self.distance:
            return SUCCESS
        return SUCCESS if body.pinned else RUNNING  # backed against the edge of the scene: as far as it goes


class FleeTo(MoveTo):
    __slots__ = ()

    def __init__(self, label: str, point: Point, speed: Any) -> None:
        super().__init__(label, point, speed)
        self.activity = "flee"


class Pace(_Moving):
    """Walks back and forth between random points around where the subject started; never ends."""

    __slots__ = ("radius", "goal")

    def __init__(self, label: str, radius: float | None, speed: Any) -> None:
        super().__init__(label, "pace", speed)
        self.radius = radius
        self.goal: Point | None = None

    def start(self, body: Any) -> None:
        self.goal = None
        super().start(body)

    def target(self, body: Any) -> Point | None:
        s = body.state
        # a new goal on arrival, or when this one cannot be reached (in a footprint, walled off)
        if self.goal is None or distance(s.position, self.goal) < 0.1 or body.pinned:
            radius = self.radius if self.radius is not None else body.profile.pace_radius
            a = body.rng.uniform(0.0, 2.0 * math.pi)
            r = body.rng.uniform(0.3 * radius, radius)
            self.goal = (s.anchor[0] + r * math.cos(a), s.anchor[1] + r * math.sin(a))
        return self.goal

    def update(self, body: Any) -> Status:
        return RUNNING


class Attack(_Toward):
    """Closes on the target at a run and strikes once within reach."""

    __slots__ = ("since",)

    def __init__(self, label: str, who: str, speed: Any) -> None:
        super().__init__(label, "attack", who, speed if speed is not None else "run")
        self.since = 0.0

    def start(self, body: Any) -> None:
        self.since = body.now
        body.set_posture("attacking")
        super().start(body)

    def update(self, body: Any) -> Status:
        gap = self.gap(body)
        if gap is None:
            return FAILURE
        if gap <= REACH.get(body.state.weapon if body.state.weapon_out else "", 0.9):
            if body.now - body.last_strike < STRIKE_INTERVAL:
                return RUNNING  # winding up again: one blow a second at most
            body.strike(self.who)
            return SUCCESS
        return FAILURE if body.now - self.since > ATTACK_GIVE_UP else RUNNING


class Wait(Node):
    __slots__ = ("seconds", "since")

    def __init__(self, label: str, seconds: float) -> None:
        super().__init__(label)
        self.seconds = seconds
        self.since = 0.0

    def start(self, body: Any) -> None:
        self.since = body.now

    def update(self, body: Any) -> Status:
        return SUCCESS if body.now - self.since >= self.seconds - 1e-9 else RUNNING


class Idle(Node):
    """Stands still facing the trainee; never ends (a selector's last resort)."""

    __slots__ = ()

    def start(self, body: Any) -> None:
        body.halt_motion()

    def update(self, body: Any) -> Status:
        return RUNNING


class Comply(Node):
    """Does what the most recent command (within 10 s) asked: shows hands, stops, gets down,
    steps back or drops the weapon. Without one, shows hands. Succeeds when done."""

    __slots__ = ("command", "back")

    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.command = ""
        self.back: Retreat | None = None

    def start(self, body: Any) -> None:
        rec = body.state.last_heard(body.now, COMPLY_MEMORY, frozenset(COMMANDS))
        self.command = rec.intent if rec is not None else "command_show_hands"
        body.halt_motion()
        body.set_goal("comply", self.command)
        body.set_activity("comply")
        if self.command == "command_drop_weapon":
            body.drop_weapon()
        if self.command == "command_step_back":
            self.back = Retreat(self.label, "trainee", body.distance_to("trainee") + 1.5, "slow", "comply")
        body.set_posture("kneeling" if self.command == "command_get_down" else "hands_up")

    def update(self, body: Any) -> Status:
        if self.back is not None:
            status = self.back.tick(body)
            if status is RUNNING:
                return RUNNING
            self.back = None
        return SUCCESS

    def stop(self, body: Any, status: Status) -> None:
        if self.back is not None:
            self.back.halt(body)
            self.back = None


def _say(value: Any, node: Mapping[str, Any]) -> Node:
    args = _args(value, "line")
    key, tone = args["line"], args.get("tone", "normal")
    cooldown = float(args.get("cooldown", SAY_COOLDOWN))
    return _Instant(node.get("name", f"say {key}"), lambda b: b.say(key, tone, cooldown) or True)


def _point(v: Any) -> Point:
    return (float(v[0]), float(v[1]))


def _approach(value: Any, node: Mapping[str, Any]) -> Node:
    a = _args(value, "distance")
    return Approach(node.get("name", "approach"), a.get("target", "trainee"), float(a.get("distance", 1.5)), a.get("speed"))


def _retreat(value: Any, node: Mapping[str, Any]) -> Node:
    a = _args(value, "distance")
    return Retreat(node.get("name", "retreat"), a.get("from", "trainee"), float(a.get("distance", 5.0)), a.get("speed"))


def _flee(value: Any, node: Mapping[str, Any]) -> Node:
    a = _args(value, "distance")
    label = node.get("name", "flee")
    if "to" in a:
        return FleeTo(label, _point(a["to"]), a.get("speed", "run"))
    return Retreat(label, a.get("from", "trainee"), float(a.get("distance", 20.0)), a.get("speed", "run"), "flee")


def _move_to(value: Any, node: Mapping[str, Any]) -> Node:
    a = value if isinstance(value, Mapping) else {"to": value}
    return MoveTo(node.get("name", "move_to"), _point(a["to"]), a.get("speed"))


def _pace(value: Any, node: Mapping[str, Any]) -> Node:
    a = _args(value, "radius") if value is not True else {}
    radius = a.get("radius")
    return Pace(node.get("name", "pace"), None if radius is None else float(radius), a.get("speed", "slow"))


def _attack(value: Any, node: Mapping[str, Any]) -> Node:
    a = value if isinstance(value, Mapping) else ({} if value is True else {"target": value})
    return Attack(node.get("name", "attack"), a.get("target", "trainee"), a.get("speed"))


def _feel(value: Any, node: Mapping[str, Any]) -> Node:
    da, dt = float(value.get("agitation", 0.0)), float(value.get("trust", 0.0))
    return _Instant(node.get("name", "feel"), lambda b: b.feel(da, dt, "behaviour") or True)


def _face(value: Any, node: Mapping[str, Any]) -> Node:
    target = _point(value) if isinstance(value, (list, tuple)) else value
    return _Instant(node.get("name", f"face {value}"), lambda b: b.face(target) or True)


def _collapse(body: Any) -> bool:
    body.halt_motion()
    body.set_activity("collapse")
    body.set_posture("collapsed")
    return True


#: Action name → factory ``(value, node) -> Node``.
ACTIONS: dict[str, Callable[[Any, Mapping[str, Any]], Node]] = {
    "idle": lambda v, n: Idle(n.get("name", "idle")),
    "wait": lambda v, n: Wait(n.get("name", f"wait {v}"), float(v)),
    "posture": lambda v, n: _Instant(n.get("name", f"posture {v}"), lambda b: b.set_posture(v) or True),
    "say": _say,
    "face": _face,
    "move_to": _move_to,
    "approach": _approach,
    "retreat": _retreat,
    "flee": _flee,
    "pace": _pace,
    "attack": _attack,
    "comply": lambda v, n: Comply(n.get("name", "comply")),
    "draw_weapon": lambda v, n: _Instant(n.get("name", "draw_weapon"), lambda b: b.draw_weapon()),
    "drop_weapon": lambda v, n: _Instant(n.get("name", "drop_weapon"), lambda b: b.drop_weapon()),
    "collapse": lambda v, n: _Instant(n.get("name", "collapse"), _collapse),
    "goal": lambda v, n: _Instant(n.get("name", f"goal {v}"), lambda b: b.set_goal(v, "behaviour") or True),
    "branch": lambda v, n: _Instant(n.get("name", f"branch {v}"), lambda b: b.request_branch(v) or True),
    "end": lambda v, n: _Instant(n.get("name", f"end {v}"), lambda b: b.request_end(v) or True),
    "flag": lambda v, n: _Instant(n.get("name", f"flag {v}"), lambda b: b.state.flags.add(v) or True),
    "unflag": lambda v, n: _Instant(n.get("name", f"unflag {v}"), lambda b: b.state.flags.discard(v) or True),
    "feel": _feel,
}

#: Actions whose value is just ``true`` (written ``- idle: true`` or as a bare word ``- idle``).
FLAG_ACTIONS = ("idle", "comply", "draw_weapon", "drop_weapon", "collapse")

__all__ = ["ACTIONS", "FLAG_ACTIONS", "HALTED", "REACH", "speed_of"]
