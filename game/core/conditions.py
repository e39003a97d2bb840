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
from game.core.world import SubjectState, TraineeState, distance


@dataclass(slots=True)
class Context:
    """What a condition may look at, at one step."""

    now: float
    trainee: TraineeState
    subject: SubjectState


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


class _Sustained(Condition):
    """Holds once ``part`` has held continuously for ``seconds``."""

    __slots__ = ("part", "seconds", "since")

    def __init__(self, part: Condition, seconds: float) -> None:
        self.part = part
        self.seconds = seconds
        self.since: float | None = None

    def holds(self, ctx: Context) -> bool:
        if not self.part.holds(ctx):
            self.since = None
            return False
        if self.since is None:
            self.since = ctx.now
        return ctx.now - self.since >= self.seconds - 1e-9


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


def _drawn(spec: str) -> Callable[[Context], bool]:
    wanted = _tools_matching(spec)
    return lambda c: any(t in wanted for t in c.trainee.tools_out())


def _aimed(spec: str) -> Callable[[Context], bool]:
    wanted = _tools_matching(spec)
    return lambda c: any(t in wanted for t in c.trainee.tools_out()) and c.trainee.is_aiming_at(
        c.subject.position
    )


#: Leaf conditions by name: each takes the value written in the file.
LEAVES: dict[str, Callable[[Any], Callable[[Context], bool]]] = {
    "agitation_above": lambda v: lambda c: c.subject.agitation > v,
    "agitation_below": lambda v: lambda c: c.subject.agitation < v,
    "trust_above": lambda v: lambda c: c.subject.trust > v,
    "trust_below": lambda v: lambda c: c.subject.trust < v,
    "trainee_within": lambda v: lambda c: distance(c.trainee.position, c.subject.position) <= v,
    "trainee_beyond": lambda v: lambda c: distance(c.trainee.position, c.subject.position) > v,
    "said_within": _said,
    "tool_drawn": _drawn,
    "tool_aimed": _aimed,
    "after": lambda v: lambda c: c.now >= v,
}

#: Keys that combine other conditions.
COMBINATORS = ("all", "any", "not", "for")

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
        else:
            parts.append(_Test(LEAVES[key](value)))
    cond: Condition = parts[0] if len(parts) == 1 else _All(parts)
    if "for" in data:
        cond = _Sustained(cond, float(data["for"]))
    return cond
