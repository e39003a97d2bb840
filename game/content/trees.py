"""Checking behaviour trees in content files, and inlining the subtrees they ``use``.

The JSON Schema has already checked each node's keys and values; this module checks
what a schema cannot: that a node does exactly one thing, that ``do`` goes with
``when``, that ``use`` names a subtree (and no subtree uses itself), and it collects
every reference (lines said, branches and endings named, subjects and flags) with
where it was written, for the scenario checker to resolve.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

from game.content.errors import Problem
from game.content.located import Locations
from game.core.actions import ACTIONS
from game.core.behaviour import COMPOSITES

Path = tuple[object, ...]

#: Every key that makes a node what it is.
NODE_KINDS = (*COMPOSITES, "when", "check", "use", *ACTIONS)


@dataclass(frozen=True, slots=True)
class Ref:
    """A name used somewhere, to be checked against what exists."""

    kind: str  # say, branch, end, who, draw_weapon, in_branch, subject, flag, flag_set
    value: str
    loc: Locations
    path: Path
    via: str = ""  # the subtree it was written in, if any

    def problem(self, message: str, severity: str = "error") -> Problem:
        if self.via:
            message += f" (in subtree '{self.via}')"
        return self.loc.problem(self.path, message, severity=severity)


@dataclass(frozen=True, slots=True)
class Subtree:
    name: str
    data: Any
    loc: Locations
    path: Path


class TreeChecker:
    """Checks and inlines trees against a namespace of ``subtrees``; ``actions``: the leaves
    these trees may use (a subject's by default; a partner officer's have their own)."""

    def __init__(self, subtrees: Mapping[str, Subtree], actions: Iterable[str] = ACTIONS) -> None:
        self.subtrees = subtrees
        self.kinds = (*COMPOSITES, "when", "check", "use", *actions)
        #: Subtrees found using themselves while inlining (each reported once).
        self.cycles: list[Problem] = []

    def structure(self, data: Any, loc: Locations, path: Path) -> list[Problem]:
        """Problems of the tree's own shape (reported once, where the tree is written)."""
        problems: list[Problem] = []
        self._walk(data, loc, path, problems, [], via="", stack=(), inline=False)
        return problems

    def inline(self, data: Any, loc: Locations, path: Path, refs: list[Ref]) -> Any:
        """The tree with every ``use`` replaced by its subtree (bare words made mappings),
        adding to ``refs`` every name it uses. Shape problems are not reported again."""
        return self._walk(data, loc, path, [], refs, via="", stack=(), inline=True)

    def _walk(self, data: Any, loc: Locations, path: Path, problems: list[Problem], refs: list[Ref],
              via: str, stack: tuple[str, ...], inline: bool) -> Any:
        if isinstance(data, str):
            return {data: True}
        if isinstance(data, list):
            return [self._walk(d, loc, (*path, i), problems, refs, via, stack, inline) for i, d in enumerate(data)]
        kinds = [k for k in data if k in self.kinds]
        if len(kinds) != 1:
            what = "nothing to do" if not kinds else f"{len(kinds)} things ({', '.join(kinds)})"
            hint = " — put them in a list, which runs them in order" if len(kinds) > 1 else ""
            problems.append(loc.problem(path, f"a node does one thing, this one has {what}{hint}"))
            return {"idle": True}
        kind = kinds[0]
        if kind == "when" and "do" not in data:
            problems.append(loc.problem(path, "'when' needs a 'do': what to do while the condition holds"))
            return {"idle": True}
        if "do" in data and kind != "when":
            problems.append(loc.problem((*path, "do"), "'do' belongs with 'when'"))
        out = {k: v for k, v in data.items() if k == "name"}
        if kind == "use":
            body = self._use(data["use"], loc, path, problems, refs, via, stack, inline)
            if "name" in data:  # the author's name for the node survives inlining
                body = {**body, "name": data["name"]} if isinstance(body, dict) else {"sequence": body, "name": data["name"]}
            return body
        if kind in ("selector", "sequence", "loop", "random"):
            out[kind] = [self._walk(d, loc, (*path, kind, i), problems, refs, via, stack, inline)
                         for i, d in enumerate(data[kind])]
        elif kind == "once":
            out[kind] = self._walk(data[kind], loc, (*path, kind), problems, refs, via, stack, inline)
        elif kind in ("when", "check"):
            refs.extend(condition_refs(data[kind], loc, (*path, kind), via))
            out[kind] = data[kind]
            if kind == "when":
                out["do"] = self._walk(data["do"], loc, (*path, "do"), problems, refs, via, stack, inline)
        else:
            out[kind] = data[kind]
            refs.extend(_action_refs(kind, data[kind], loc, (*path, kind), via))
        return out

    def _use(self, name: str, loc: Locations, path: Path, problems: list[Problem], refs: list[Ref],
             via: str, stack: tuple[str, ...], inline: bool) -> Any:
        sub = self.subtrees.get(name)
        if sub is None:
            close = difflib.get_close_matches(name, sorted(self.subtrees), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else (
                f" (known: {', '.join(sorted(self.subtrees))})" if self.subtrees else
                " (define it under 'subtrees:' or include a library that does)")
            problems.append(loc.problem((*path, "use"), f"no subtree '{name}'{hint}"))
            return {"idle": True}
        if name in stack:
            chain = " → ".join((*stack, name))
            cycle = loc.problem((*path, "use"), f"subtree '{name}' uses itself ({chain})")
            if cycle not in self.cycles:
                self.cycles.append(cycle)
            return {"idle": True}
        if not inline:
            return {"idle": True}  # its own shape is checked where it is written
        inner_refs: list[Ref] = []
        body = self._walk(sub.data, sub.loc, sub.path, problems, inner_refs, name, (*stack, name), inline)
        # point the names a subtree uses at the place that uses it
        refs.extend(Ref(r.kind, r.value, loc, (*path, "use"), via or r.via or name) for r in inner_refs)
        return body


def _action_refs(kind: str, value: Any, loc: Locations, path: Path, via: str) -> Iterator[Ref]:
    if kind in ("say", "slur"):
        yield Ref("say", value if isinstance(value, str) else value["line"], loc, path, via)
        if isinstance(value, Mapping) and "to" in value:
            yield Ref("subject", value["to"], loc, (*path, "to"), via)
    elif kind in ("branch", "end"):
        yield Ref(kind, value, loc, path, via)
    elif kind == "flag":
        yield Ref("flag_set", value, loc, path, via)
    elif kind == "draw_weapon":
        yield Ref("draw_weapon", "", loc, path, via)
    elif kind == "face" and isinstance(value, str):
        yield Ref("who", value, loc, path, via)
    elif kind == "attack" and isinstance(value, str):
        yield Ref("who", value, loc, path, via)
    elif isinstance(value, Mapping):
        for key in ("target", "from"):
            if key in value:
                yield Ref("who", value[key], loc, (*path, key), via)


def condition_refs(cond: Mapping[str, Any], loc: Locations, path: Path, via: str = "") -> Iterator[Ref]:
    """Names a condition uses: branches, subjects and flags."""
    for key, value in cond.items():
        here = (*path, key)
        if key == "in_branch":
            for v in [value] if isinstance(value, str) else value:
                yield Ref("in_branch", v, loc, here, via)
        elif key == "flag":
            for v in [value] if isinstance(value, str) else value:
                yield Ref("flag", v, loc, here, via)
        elif key == "subject_within":
            yield Ref("subject", value["subject"], loc, (*here, "subject"), via)
        elif key == "other":
            yield Ref("subject", value["subject"], loc, (*here, "subject"), via)
            yield from condition_refs({k: v for k, v in value.items() if k != "subject"}, loc, here, via)
        elif key in ("officer_within", "officer_beyond"):
            yield Ref("officer", str(value["officer"]), loc, (*here, "officer"), via)
        elif key == "officer":
            yield Ref("officer", str(value["number"]), loc, (*here, "number"), via)
            yield from condition_refs({k: v for k, v in value.items() if k != "number"}, loc, here, via)
        elif key in ("intervened", "misconduct"):
            yield Ref("team", key, loc, here, via)
        elif key in ("all", "any"):
            for i, part in enumerate(value):
                yield from condition_refs(part, loc, (*here, i), via)
        elif key == "not":
            yield from condition_refs(value, loc, here, via)


def actions_in(tree: Any) -> Iterator[tuple[str, Any]]:
    """Every (action, value) pair in an inlined tree, depth first."""
    if isinstance(tree, list):
        for d in tree:
            yield from actions_in(d)
        return
    for key, value in tree.items():
        if key in COMPOSITES:
            yield from actions_in(value)
        elif key == "do":
            yield from actions_in(value)
        elif key in ACTIONS:
            yield key, value
