"""The condition vocabulary scenario authors use by name (``agitation_above: 0.8``).

A condition is written as a mapping; several keys in one mapping must all hold.
``all``/``any``/``not`` combine conditions, and ``for: S`` asks that the rest of
its mapping has held for S seconds without a break. :func:`compile_condition`
turns the data into a small object tree evaluated once per step; each compiled
condition belongs to one subject, because ``for`` keeps time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from game.core.events import TOOLS, WEAPONS
from game.core.world import SubjectState, TraineeState, distance, said_within


@dataclass(slots=True)
class Context:
    """What a condition may look at, at one step: the time, the trainee (the subject's contact
    officer), the subject it belongs to, every subject by id (for ``other:`` and
    ``subject_within:``), every officer on scene by seat (for ``officer:`` and
    ``officer_within:``) and the team's record (:class:`game.core.partner.Team`: misconduct and
    interventions; None without partner officers)."""

    now: float
    trainee: TraineeState
    subject: SubjectState
    subjects: Mapping[str, SubjectState]
    officers: Mapping[str, TraineeState] | None = None
    team: Any = None

    def seen_from(self, subject_id: str) -> Context | None:
        other = self.subjects.get(subject_id)
        return None if other is None else Context(self.now, self.trainee, other, self.subjects, self.officers, self.team)

    def as_officer(self, seat: str) -> Context | None:
        """This context with officer ``seat`` as its ``trainee`` (None: not on scene)."""
        named = self.officers.get(seat) if self.officers else None
        return None if named is None else Context(self.now, named, self.subject, self.subjects, self.officers, self.team)


class Condition:
    def holds(self, ctx: Context) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError


class _Test(Condition):
    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[Context], bool]) -> None:
        self.fn = fn

    def holds(self, ctx: Context) -> bool:
        return self.fn(ctx)


class _All(Condition):
    __slots__ = ("parts",)

    def __init__(self, parts: list[Condition]) -> None:
        self.parts = parts

    def holds(self, ctx: Context) -> bool:
        return all([p.holds(ctx) for p in self.parts])  # every part, every step: `for` keeps time


class _Any(Condition):
    __slots__ = ("parts",)

    def __init__(self, parts: list[Condition]) -> None:
        self.parts = parts

    def holds(self, ctx: Context) -> bool:
        return any([p.holds(ctx) for p in self.parts])


class _Not(Condition):
    __slots__ = ("part",)

    def __init__(self, part: Condition) -> None:
        self.part = part

    def holds(self, ctx: Context) -> bool:
        return not self.part.holds(ctx)


class _Other(Condition):
    """Holds when ``part`` holds for another subject (false if there is none of that id)."""

    __slots__ = ("subject", "part")

    def __init__(self, subject: str, part: Condition) -> None:
        self.subject = subject
        self.part = part

    def holds(self, ctx: Context) -> bool:
        other = ctx.seen_from(self.subject)
        return other is not None and self.part.holds(other)


class _AsOfficer(Condition):
    """Holds when ``part`` holds with officer ``seat`` in the trainee's place (false while
    that officer is not on scene: a partner who has not arrived)."""

    __slots__ = ("seat", "part")

    def __init__(self, seat: str, part: Condition) -> None:
        self.seat = seat
        self.part = part

    def holds(self, ctx: Context) -> bool:
        seen = ctx.as_officer(self.seat)
        return seen is not None and self.part.holds(seen)


class _Sustained(Condition):
    """Holds once ``part`` has held continuously for ``seconds``."""

    __slots__ = ("part", "seconds", "since", "last")

    #: Longer than this between two looks (a guard skipped while something above it ran)
    #: and the time starts over: what was not watched cannot count as having held.
    GAP = 0.05

    def __init__(self, part: Condition, seconds: float) -> None:
        self.part = part
        self.seconds = seconds
        self.since: float | None = None
        self.last = -1e9

    def holds(self, ctx: Context) -> bool:
        if ctx.now - self.last > self.GAP:
            self.since = None
        self.last = ctx.now
        if not self.part.holds(ctx):
            self.since = None
            return False
        if self.since is None:
            self.since = ctx.now
        return ctx.now - self.since >= self.seconds - 1e-9


#: How far past its threshold a continuous value must come back before a condition that held
#: lets go: distances (``trainee_within``, ``trainee_beyond``, ``subject_within``), levels
#: (``agitation_*``, ``trust_*``) and the closing speed. A threshold without a band flips every
#: look when the value sits on it (a trainee standing 1.8 m off, swaying a centimetre, turned a
#: behaviour on and off 30 times a second, posture and activity with it); with one it starts
#: holding where the author wrote and stops a band beyond. (The same band as crowding,
#: :data:`game.core.feelings.CROWDING_BAND`, and the posture ladder's 2 × 0.02.)
DISTANCE_BAND = 0.25
LEVEL_BAND = 0.04
SPEED_BAND = 0.1


class _Banded(Condition):
    """A threshold on a continuous value with a band (hysteresis): holds when ``value`` passes
    ``threshold`` (strictly or not, as the leaf is written), and once holding, until it is back
    ``band`` beyond it. Not looked at for longer than :attr:`_Sustained.GAP`, it starts over (a
    guard skipped while something above it ran remembers nothing)."""

    __slots__ = ("value", "threshold", "band", "above", "inclusive", "on", "last")

    def __init__(self, value: Callable[[Context], float | None], threshold: float, band: float, *,
                 above: bool, inclusive: bool = False) -> None:
        self.value, self.threshold, self.band = value, float(threshold), band
        self.above, self.inclusive = above, inclusive
        self.on = False
        self.last = -1e9

    def holds(self, ctx: Context) -> bool:
        if ctx.now - self.last > _Sustained.GAP:
            self.on = False
        self.last = ctx.now
        x = self.value(ctx)
        if x is None:
            self.on = False
            return False
        if self.above:
            edge = self.threshold - (self.band if self.on else 0.0)
            self.on = x >= edge if self.inclusive else x > edge
        else:
            edge = self.threshold + (self.band if self.on else 0.0)
            self.on = x <= edge if self.inclusive else x < edge
        return self.on


def _trainee_distance(c: Context) -> float:
    return distance(c.trainee.position, c.subject.position)


def _banded(value: Callable[[Context], float | None], band: float, *, above: bool,
            inclusive: bool = False) -> Callable[[Any], Condition]:
    return lambda v: _Banded(value, float(v), band, above=above, inclusive=inclusive)


def _tools_matching(spec: str) -> frozenset[str]:
    if spec == "any":
        return frozenset(TOOLS)
    if spec == "weapon":
        return WEAPONS
    return frozenset({spec})


#: How far back ``said_within`` looks when the author gives no ``seconds``.
SAID_WITHIN_SECONDS = 5.0


def _said(value: Any) -> Callable[[Context], bool]:
    raw = value if isinstance(value, str) else value.get("intents", value.get("intent", "any"))
    names = [raw] if isinstance(raw, str) else list(raw)
    intents: frozenset[str] | None = None if "any" in names else frozenset(names)
    seconds = SAID_WITHIN_SECONDS if isinstance(value, str) else float(value.get("seconds", SAID_WITHIN_SECONDS))
    return lambda c: c.subject.heard_within(c.now, seconds, intents)  # words the subject heard


def _trainee_said(value: Any) -> Callable[[Context], bool]:
    """Like ``said_within`` but for anything the trainee said, heard by the subject or not
    (a radio call for backup out of earshot)."""
    raw = value if isinstance(value, str) else value.get("intents", value.get("intent", "any"))
    names = [raw] if isinstance(raw, str) else list(raw)
    intents: frozenset[str] | None = None if "any" in names else frozenset(names)
    seconds = SAID_WITHIN_SECONDS if isinstance(value, str) else float(value.get("seconds", SAID_WITHIN_SECONDS))
    return lambda c: said_within(c.trainee.said, c.now, seconds, intents)


def _drawn(spec: str) -> Callable[[Context], bool]:
    wanted = _tools_matching(spec)
    return lambda c: any(t in wanted for t in c.trainee.tools_out())


def _aimed(spec: str) -> Callable[[Context], bool]:
    wanted = _tools_matching(spec)
    return lambda c: any(t in wanted for t in c.trainee.tools_pointed_at(c.subject.position))


def _names(value: Any) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value)


def _in(attr: str) -> Callable[[Any], Callable[[Context], bool]]:
    def make(value: Any) -> Callable[[Context], bool]:
        names = _names(value)
        return lambda c: getattr(c.subject, attr) in names

    return make


def _force_used(value: Any) -> Callable[[Context], bool]:
    spec = value if isinstance(value, str) else value.get("tool", "any")
    within = None if isinstance(value, str) else value.get("within")
    wanted = _tools_matching(spec) if spec != "any" else WEAPONS
    return lambda c: any(
        tool in wanted and (within is None or c.now - t <= within) for t, tool, _hit in c.trainee.force
    )


def _hit_by(value: Any) -> Callable[[Context], bool]:
    wanted = _tools_matching(value) if value != "any" else WEAPONS
    return lambda c: c.subject.last_force_tool in wanted


def _subject_within(value: Mapping[str, Any]) -> Condition:
    other = value["subject"]

    def gap(c: Context) -> float | None:
        o = c.subjects.get(other)
        return None if o is None else distance(o.position, c.subject.position)

    return _Banded(gap, float(value["distance"]), DISTANCE_BAND, above=False, inclusive=True)


def _officer_gap(value: Mapping[str, Any]) -> Callable[[Context], float | None]:
    seat = f"officer:{int(value['officer'])}"

    def gap(c: Context) -> float | None:
        o = c.officers.get(seat) if c.officers else None
        return None if o is None else distance(o.position, c.subject.position)

    return gap


def _officer_within(value: Mapping[str, Any]) -> Condition:
    return _Banded(_officer_gap(value), float(value["distance"]), DISTANCE_BAND, above=False, inclusive=True)


def _officer_beyond(value: Mapping[str, Any]) -> Condition:
    return _Banded(_officer_gap(value), float(value["distance"]), DISTANCE_BAND, above=True)


def _team_within(attr: str, needed_only: bool) -> Callable[[Any], Callable[[Context], bool]]:
    """``intervened`` / ``misconduct``: ``true`` (ever), ``false`` (never) or seconds (within)."""

    def make(value: Any) -> Callable[[Context], bool]:
        def happened(c: Context) -> bool:
            if c.team is None:
                return False
            for rec in reversed(getattr(c.team, attr)):
                if needed_only and not rec[3]:
                    continue
                return isinstance(value, bool) or c.now - rec[0] <= float(value)
            return False

        return (lambda c: not happened(c)) if value is False else happened

    return make


#: Leaf conditions by name: each takes the value written in the file and gives a test of a
#: context, or (thresholds on a continuous value, with a band) a :class:`Condition` of its own.
LEAVES: dict[str, Callable[[Any], Callable[[Context], bool] | Condition]] = {
    "agitation_above": _banded(lambda c: c.subject.agitation, LEVEL_BAND, above=True),
    "agitation_below": _banded(lambda c: c.subject.agitation, LEVEL_BAND, above=False),
    "trust_above": _banded(lambda c: c.subject.trust, LEVEL_BAND, above=True),
    "trust_below": _banded(lambda c: c.subject.trust, LEVEL_BAND, above=False),
    "trainee_within": _banded(_trainee_distance, DISTANCE_BAND, above=False, inclusive=True),
    "trainee_beyond": _banded(_trainee_distance, DISTANCE_BAND, above=True),
    "said_within": _said,
    "tool_drawn": _drawn,
    "tool_aimed": _aimed,
    "after": lambda v: lambda c: c.now >= v,
    "closing_faster_than": _banded(lambda c: c.subject.closing_speed, SPEED_BAND, above=True),
    "trainee_said": _trainee_said,
    "lit": lambda v: lambda c: c.subject.lit == v,
    "touched_within": lambda v: lambda c: c.now - c.subject.last_touch <= v,
    "force_used": _force_used,
    "hit_by": _hit_by,
    "in_branch": _in("branch"),
    "posture": _in("posture"),
    "activity": _in("activity"),
    "goal": _in("goal"),
    "flag": lambda v: (lambda names: lambda c: not names.isdisjoint(c.subject.flags))(_names(v)),
    "weapon_out": lambda v: lambda c: c.subject.weapon_out == v,
    "attacked": lambda v: lambda c: c.subject.attacked == v,
    "hurt": lambda v: lambda c: c.subject.hurt == v,
    "subject_within": _subject_within,
    "officer_within": _officer_within,
    "officer_beyond": _officer_beyond,
    "intervened": _team_within("intervened", needed_only=True),
    "misconduct": _team_within("misconduct", needed_only=False),
}

#: Keys that combine other conditions (``other`` looks from another subject's place,
#: ``officer`` puts another officer in the trainee's place).
COMBINATORS = ("all", "any", "not", "for", "other", "officer")

#: Every key a condition mapping may use.
CONDITION_KEYS = tuple(LEAVES) + COMBINATORS


def compile_condition(data: Mapping[str, Any]) -> Condition:
    """Turns a checked condition mapping into a :class:`Condition` (a fresh one per subject)."""
    parts: list[Condition] = []
    for key, value in data.items():
        if key == "for":
            continue
        if key == "all":
            parts.append(_All([compile_condition(d) for d in value]))
        elif key == "any":
            parts.append(_Any([compile_condition(d) for d in value]))
        elif key == "not":
            parts.append(_Not(compile_condition(value)))
        elif key == "other":
            parts.append(_Other(value["subject"], compile_condition({k: v for k, v in value.items() if k != "subject"})))
        elif key == "officer":
            rest = {k: v for k, v in value.items() if k != "number"}
            parts.append(_AsOfficer(f"officer:{int(value['number'])}", compile_condition(rest)))
        else:
            made = LEAVES[key](value)
            parts.append(made if isinstance(made, Condition) else _Test(made))
    if not parts:
        parts.append(_Test(lambda c: True))
    cond: Condition = parts[0] if len(parts) == 1 else _All(parts)
    if "for" in data:
        cond = _Sustained(cond, float(data["for"]))
    return cond
