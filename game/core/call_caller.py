"""The caller's behaviour tree on a call (:mod:`game.core.call`): its conditions (agitation,
silence, being shouted at …, :data:`~game.core.call.CALLER_CONDITIONS`) and actions (say a
line, wait, hang up, idle, :data:`~game.core.call.CALLER_ACTIONS`), built on the subjects' tree
engine (:mod:`game.core.behaviour`) and acting on the call's run (:class:`game.core.call.CallRun`) through a body.
"""

from __future__ import annotations

import random
from types import MappingProxyType
from typing import Any, Callable, Mapping

from game.core.behaviour import RUNNING, SUCCESS, Node, Status, compile_tree


class _CallerContext:
    __slots__ = ("run", "now")

    def __init__(self, run: Any) -> None:
        self.run = run
        self.now = 0.0


class _Cond:
    __slots__ = ("fn", "seconds", "since", "last")

    def __init__(self, fn: Callable[[_CallerContext], bool], seconds: float = 0.0) -> None:
        self.fn, self.seconds, self.since, self.last = fn, seconds, None, -1e9

    def holds(self, ctx: _CallerContext) -> bool:
        if not self.fn(ctx):
            self.since = None
            return False
        if self.seconds <= 0:
            return True
        if self.since is None or ctx.now - self.last > 0.5:  # not watched for a while: starts over
            self.since = ctx.now
        self.last = ctx.now
        return ctx.now - self.since >= self.seconds - 1e-9


def _condition(data: Mapping[str, Any]) -> _Cond:
    parts: list[Callable[[_CallerContext], bool]] = []
    for key, v in data.items():
        if key == "for":
            continue
        if key == "agitation_above":
            parts.append(lambda c, v=float(v): c.run.agitation > v)
        elif key == "agitation_below":
            parts.append(lambda c, v=float(v): c.run.agitation < v)
        elif key == "silent_for":
            parts.append(lambda c, v=float(v): c.now - c.run.last_words >= v)
        elif key == "shouted_within":
            parts.append(lambda c, v=float(v): c.now - c.run.last_shout <= v)
        elif key == "reassured_within":
            parts.append(lambda c, v=float(v): c.now - c.run.last_reassure <= v)
        elif key == "after":
            parts.append(lambda c, v=float(v): c.now - c.run.answered_at >= v)
        elif key == "asked":
            parts.append(lambda c, v=str(v): v in c.run.asked)
        elif key == "told":
            parts.append(lambda c, v=str(v): v in c.run.told)
        elif key in ("all", "any"):
            subs = [_condition(d) for d in v]
            parts.append((lambda c, s=subs: all(x.holds(c) for x in s)) if key == "all"
                         else (lambda c, s=subs: any(x.holds(c) for x in s)))
        elif key == "not":
            sub = _condition(v)
            parts.append(lambda c, s=sub: not s.holds(c))
        else:  # the content checker refuses these; a hand-built call may not
            raise ValueError(f"unknown caller condition {key!r}")
    return _Cond(lambda c: all(p(c) for p in parts), float(data.get("for", 0.0)))


class _Say(Node):
    __slots__ = ("line",)

    def __init__(self, line: str) -> None:
        super().__init__(f"say {line}")
        self.line = line

    def update(self, body: Any) -> Status:
        body.run.say(self.line)
        return SUCCESS


class _Wait(Node):
    __slots__ = ("seconds", "until")

    def __init__(self, seconds: float) -> None:
        super().__init__(f"wait {seconds:g}")
        self.seconds, self.until = seconds, 0.0

    def start(self, body: Any) -> None:
        self.until = body.now + self.seconds

    def update(self, body: Any) -> Status:
        return SUCCESS if body.now >= self.until - 1e-9 else RUNNING


class _HangUp(Node):
    def update(self, body: Any) -> Status:
        body.run.hang_up()
        return SUCCESS


class _Idle(Node):
    def update(self, body: Any) -> Status:
        return RUNNING


_ACTIONS: Mapping[str, Callable[[Any, Mapping[str, Any]], Node]] = MappingProxyType({
    "say": lambda v, d: _Say(str(v)),
    "wait": lambda v, d: _Wait(float(v)),
    "hang_up": lambda v, d: _HangUp("hang_up"),
    "idle": lambda v, d: _Idle("idle"),
})


def _tree_data(data: Any) -> Any:
    """``"say: panic"`` (a bare string with a colon) is ``{say: panic}``."""
    if isinstance(data, str) and ":" in data:
        key, _, value = data.partition(":")
        return {key.strip(): value.strip()}
    if isinstance(data, Mapping):
        return {k: _tree_data(v) if k not in ("when", "check") else v for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_tree_data(d) for d in data]
    return data


def compile_caller_tree(data: Any) -> Node:
    """The caller's tree from checked data (fresh nodes each call)."""
    return compile_tree(_tree_data(data), _ACTIONS, _condition, "call.caller.tree")


class _Body:
    __slots__ = ("run", "context", "now", "rng")

    def __init__(self, run: Any, rng: random.Random) -> None:
        self.run, self.rng = run, rng
        self.context = _CallerContext(run)
        self.now = 0.0
