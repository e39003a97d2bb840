"""A partner officer's actions: the leaves of its behaviour tree (:data:`PARTNER_ACTIONS`), each a
node of :mod:`game.core.behaviour` acting on the partner's body (a
:class:`~game.core.partner.PartnerMind`: ``go``, ``halt``, ``face``, ``say``, ``draw``,
``lay_hands`` …). Composites, ``when`` and ``check`` are the engine's; the mind that runs the
tree, hears the trainee and takes interventions is :mod:`game.core.partner`.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

from game.core.actions import Wait
from game.core.behaviour import FAILURE, RUNNING, SUCCESS, Node, Status
from game.core.world import distance

Point = tuple[float, float]
WALK, RUN = 1.4, 3.5  # m/s
#: What unneeded force does to a subject who takes it (agitation, trust), by kind; and its reach.
FORCE_EFFECT = {"shove": (0.25, -0.25), "grab": (0.3, -0.25), "strike": (0.4, -0.35)}
FORCE_REACH = 1.2


def _args(value: Any, short: str) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else ({} if value is True else {short: value})


class _Instant(Node):
    __slots__ = ("fn",)

    def __init__(self, label: str, fn: Callable[[Any], bool]) -> None:
        super().__init__(label)
        self.fn = fn

    def update(self, body: Any) -> Status:
        return SUCCESS if self.fn(body) else FAILURE


class _Go(Node):
    """Moves the partner toward ``target(body)`` (asked again each step)."""

    __slots__ = ("activity", "speed")

    def __init__(self, label: str, activity: str, speed: Any) -> None:
        super().__init__(label)
        self.activity, self.speed = activity, speed

    def target(self, body: Any) -> Point | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def start(self, body: Any) -> None:
        body.go(self.activity, lambda: self.target(body), _speed(self.speed), owner=self,
                toward=getattr(self, "who", ""))

    def stop(self, body: Any, status: Status) -> None:
        body.halt(owner=self)


def _speed(spec: Any) -> float:
    if isinstance(spec, (int, float)):
        return float(spec)
    return {"walk": WALK, "run": RUN, "slow": 0.6 * WALK, None: WALK}[spec]


class MoveTo(_Go):
    __slots__ = ("point",)

    def __init__(self, label: str, point: Point, speed: Any) -> None:
        super().__init__(label, "move_to", speed)
        self.point = point

    def target(self, body: Any) -> Point | None:
        return self.point

    def update(self, body: Any) -> Status:
        return SUCCESS if distance(body.me.position, self.point) < 0.05 else RUNNING


class Approach(_Go):
    """Walks up to ``who`` (the watched subject by default) until within ``distance``;
    ``crowd`` is the same, too close and as misconduct, and keeps at it."""

    __slots__ = ("who", "distance", "crowd")

    def __init__(self, label: str, who: str, dist: float, speed: Any, crowd: bool = False) -> None:
        super().__init__(label, "crowd" if crowd else "approach", speed)
        self.who, self.distance, self.crowd = who, dist, crowd

    def start(self, body: Any) -> None:
        super().start(body)
        if self.crowd:
            body.misbehave("crowd", self.who)

    def target(self, body: Any) -> Point | None:
        where = body.position_of(self.who)
        if where is None:
            return None
        me = body.me.position
        gap = distance(me, where)
        if gap <= self.distance:
            return me
        k = (gap - self.distance) / gap
        return (me[0] + (where[0] - me[0]) * k, me[1] + (where[1] - me[1]) * k)

    def update(self, body: Any) -> Status:
        where = body.position_of(self.who)
        if where is None:
            return FAILURE
        if self.crowd:
            return RUNNING  # in the subject's face until something else takes over
        return SUCCESS if distance(body.me.position, where) <= self.distance + 0.05 else RUNNING


class Cover(_Go):
    """Takes a cover position: ``distance`` from the watched subject, ``angle`` degrees off the
    line from the subject to the trainee, on the side the partner is on. Follows as they move;
    never ends."""

    __slots__ = ("distance", "angle", "side")

    def __init__(self, label: str, dist: float, angle: float, speed: Any) -> None:
        super().__init__(label, "cover", speed)
        self.distance, self.angle, self.side = dist, angle, 1.0

    def start(self, body: Any) -> None:
        s, t, me = body.watched_position(), body.trainee.position, body.me.position
        if s is not None:
            cross = (t[0] - s[0]) * (me[1] - s[1]) - (t[1] - s[1]) * (me[0] - s[0])
            self.side = 1.0 if cross >= 0 else -1.0
        super().start(body)

    def target(self, body: Any) -> Point | None:
        s = body.watched_position()
        if s is None:
            return None
        t = body.trainee.position
        d = distance(s, t)
        ux, uy = ((t[0] - s[0]) / d, (t[1] - s[1]) / d) if d > 0.1 else (0.0, -1.0)
        a = math.radians(self.angle) * self.side
        rx, ry = ux * math.cos(a) - uy * math.sin(a), ux * math.sin(a) + uy * math.cos(a)
        return (s[0] + rx * self.distance, s[1] + ry * self.distance)

    def update(self, body: Any) -> Status:
        return RUNNING


class StepBack(_Go):
    """Backs ``distance`` metres further from the watched subject, then holds there."""

    __slots__ = ("distance", "point")

    def __init__(self, label: str, dist: float, speed: Any) -> None:
        super().__init__(label, "step_back", speed)
        self.distance = dist
        self.point: Point | None = None

    def start(self, body: Any) -> None:
        s, me = body.watched_position(), body.me.position
        if s is None or distance(s, me) < 1e-6:
            self.point = me
        else:
            d = distance(s, me)
            k = (d + self.distance) / d
            self.point = (s[0] + (me[0] - s[0]) * k, s[1] + (me[1] - s[1]) * k)
        super().start(body)

    def target(self, body: Any) -> Point | None:
        return self.point

    def update(self, body: Any) -> Status:
        return RUNNING


class Force(Node):
    """Unneeded hands-on force on ``who``: walks up to it, then shoves, grabs or strikes once."""

    __slots__ = ("who", "how", "walk")

    def __init__(self, label: str, who: str, how: str) -> None:
        super().__init__(label)
        self.who, self.how = who, how
        self.walk = Approach(label, who, FORCE_REACH - 0.2, "walk")

    def update(self, body: Any) -> Status:
        where = body.position_of(self.who)
        if where is None:
            return FAILURE
        if distance(body.me.position, where) > FORCE_REACH:
            return FAILURE if self.walk.tick(body) is FAILURE else RUNNING
        self.walk.halt(body)
        body.lay_hands(self.who, self.how)
        return SUCCESS

    def stop(self, body: Any, status: Status) -> None:
        self.walk.halt(body)


class Idle(Node):
    __slots__ = ()

    def start(self, body: Any) -> None:
        body.halt()

    def update(self, body: Any) -> Status:
        return RUNNING


def _say(conduct: str) -> Callable[[Any, Mapping[str, Any]], Node]:
    def make(value: Any, node: Mapping[str, Any]) -> Node:
        a = _args(value, "line")
        key, tone, intent = a["line"], a.get("tone", "shout" if conduct else "normal"), a.get("intent", "")
        cooldown, to = float(a.get("cooldown", 6.0)), a.get("to", "")
        return _Instant(node.get("name", f"{'slur' if conduct else 'say'} {key}"),
                        lambda b: b.say(key, tone, intent, to, cooldown, conduct) or True)
    return make


def _draw(value: Any, node: Mapping[str, Any]) -> Node:
    a = _args(value, "tool")
    return _Instant(node.get("name", f"draw {a['tool']}"),
                    lambda b: b.draw(a["tool"], a.get("hand", "right"), bool(a.get("low_ready", True))) or True)


def _point(v: Any) -> Point:
    return (float(v[0]), float(v[1]))


#: A partner's actions by name (its tree's leaves); composites, ``when`` and ``check`` are the engine's.
PARTNER_ACTIONS: dict[str, Callable[[Any, Mapping[str, Any]], Node]] = {
    "idle": lambda v, n: Idle(n.get("name", "idle")),
    "wait": lambda v, n: Wait(n.get("name", f"wait {v}"), float(v)),
    "say": _say(""),
    "slur": _say("slur"),
    "face": lambda v, n: _Instant(n.get("name", f"face {v}"),
                                  lambda b: b.face(_point(v) if isinstance(v, (list, tuple)) else v) or True),
    "move_to": lambda v, n: MoveTo(n.get("name", "move_to"), _point(v["to"] if isinstance(v, Mapping) else v),
                                   v.get("speed") if isinstance(v, Mapping) else None),
    "approach": lambda v, n: Approach(n.get("name", "approach"), _args(v, "distance").get("target", "subject"),
                                      float(_args(v, "distance").get("distance", 2.0)), _args(v, "distance").get("speed")),
    "crowd": lambda v, n: Approach(n.get("name", "crowd"), _args(v, "distance").get("target", "subject"),
                                   float(_args(v, "distance").get("distance", 0.8)), _args(v, "distance").get("speed", "slow"),
                                   crowd=True),
    "cover": lambda v, n: Cover(n.get("name", "cover"), float(_args(v, "distance").get("distance", 3.5)),
                                float(_args(v, "distance").get("angle", 50.0)), _args(v, "distance").get("speed")),
    "step_back": lambda v, n: StepBack(n.get("name", "step back"), float(_args(v, "distance").get("distance", 2.0)),
                                       _args(v, "distance").get("speed", "slow")),
    "force": lambda v, n: Force(n.get("name", f"force {_args(v, 'how').get('how', 'shove')}"),
                                _args(v, "how").get("target", "subject"), _args(v, "how").get("how", "shove")),
    "draw": _draw,
    "holster": lambda v, n: _Instant(n.get("name", "holster"), lambda b: b.holster() or True),
    "point": lambda v, n: _Instant(n.get("name", "point"), lambda b: b.point(v is not False) or True),
}
#: Partner actions whose value is just ``true``.
PARTNER_FLAG_ACTIONS = ("idle", "holster", "cover", "crowd", "point")
#: How a partner's ``force`` may lay hands on a subject.
FORCE_KINDS = tuple(FORCE_EFFECT)
