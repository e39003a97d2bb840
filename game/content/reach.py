"""Can it happen? Static checks that a scenario's branches and endings can be reached,
that a peaceful resolution can be, and that no branch traps the subject.

Conditions are checked with interval reasoning: within one mapping (and its ``all``
parts) the bounds on agitation, trust, distance and time must leave room, ``for``
must fit in the time limit, a deaf subject cannot hear spoken words, a subject with
no weapon cannot have one out, and a branch named must itself be reachable. ``any``
needs one possible part; ``not`` is taken as possible. The check errs toward
"possible": it rejects only what can never happen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from game.core.events import VISUAL_INTENTS


@dataclass
class Facts:
    """What the checker knows about the subject a condition belongs to."""

    time_limit: float
    deaf: bool = False
    armed: bool = False
    reachable_branches: frozenset[str] | None = None  # None: do not check in_branch
    others: Mapping[str, Facts] = field(default_factory=dict)


def impossible(cond: Mapping[str, Any], facts: Facts) -> str | None:
    """Why ``cond`` can never hold, or None if it might."""
    bounds: dict[str, list[float]] = {}
    return _mapping(cond, facts, bounds) or _bounds(bounds)


def _narrow(bounds: dict[str, list[float]], name: str, low: float | None = None, high: float | None = None) -> None:
    b = bounds.setdefault(name, [float("-inf"), float("inf")])
    if low is not None:
        b[0] = max(b[0], low)
    if high is not None:
        b[1] = min(b[1], high)


def _bounds(bounds: dict[str, list[float]]) -> str | None:
    for name, (low, high) in bounds.items():
        if low >= high:
            return f"it needs {name} above {low:g} and below {high:g} at once"
    return None


def _mapping(cond: Mapping[str, Any], facts: Facts, bounds: dict[str, list[float]]) -> str | None:
    for key, value in cond.items():
        why = _leaf(key, value, facts, bounds)
        if why:
            return why
    return None


def _leaf(key: str, value: Any, facts: Facts, bounds: dict[str, list[float]]) -> str | None:
    if key in ("agitation_above", "trust_above"):
        if value >= 1.0:
            return f"{key.split('_')[0]} is at most 1, never above {value:g}"
        _narrow(bounds, key.split("_")[0], low=value)
    elif key in ("agitation_below", "trust_below"):
        if value <= 0.0:
            return f"{key.split('_')[0]} is at least 0, never below {value:g}"
        _narrow(bounds, key.split("_")[0], high=value)
    elif key == "trainee_within":
        _narrow(bounds, "the trainee's distance", high=value)
    elif key == "trainee_beyond":
        _narrow(bounds, "the trainee's distance", low=value)
    elif key == "after":
        if value >= facts.time_limit:
            return f"'after: {value:g}' is not before the time limit ({facts.time_limit:g} s)"
    elif key == "for":
        if value >= facts.time_limit:
            return f"'for: {value:g}' is longer than the time limit ({facts.time_limit:g} s)"
    elif key == "said_within" and facts.deaf:
        raw = value if isinstance(value, str) else value.get("intents", value.get("intent", "any"))
        names = {raw} if isinstance(raw, str) else set(raw)
        if "any" not in names and not names & VISUAL_INTENTS:
            return "the subject cannot hear, so spoken words never reach them (use gesture or write_note)"
    elif key in ("force_used", "hit_by") and (value if isinstance(value, str) else value.get("tool")) == "flashlight":
        return "the flashlight is not a force option: it never counts as force or hits anybody"
    elif key == "weapon_out" and value is True and not facts.armed:
        return "the subject has no weapon (set the profile's 'weapon')"
    elif key == "in_branch" and facts.reachable_branches is not None:
        names = [value] if isinstance(value, str) else list(value)
        if not any(n in facts.reachable_branches for n in names):
            return f"branch {', '.join(repr(n) for n in names)} can never start"
    elif key == "all":
        for part in value:
            why = _mapping(part, facts, bounds)
            if why:
                return why
    elif key == "any":
        reasons = [impossible(part, facts) for part in value]
        if all(reasons):
            return "no part of its 'any' can hold: " + "; ".join(r for r in reasons if r)
    elif key == "other":
        other = facts.others.get(value.get("subject", ""))
        if other is not None:
            return impossible({k: v for k, v in value.items() if k != "subject"}, other)
    return None


@dataclass
class Reach:
    """What can be reached in a scenario."""

    branches: set[str]
    endings: set[str]


def reachable(
    branches: list[dict[str, Any]],
    endings: list[dict[str, Any]],
    trees: Mapping[str, Any],
    actions_of: Any,
    facts_of: Mapping[str, Facts],
) -> Reach:
    """Fixpoint over branches and endings. ``trees`` maps ``main:<subject>`` and
    ``branch:<id>`` to inlined trees; ``actions_of(tree)`` yields (action, value)."""
    reached_trees = {f"main:{s}" for s in facts_of}
    reached: set[str] = set()
    changed = True
    while changed:
        changed = False
        leads = {v for t in reached_trees for a, v in actions_of(trees.get(t, {})) if a == "branch"}
        for b in branches:
            if b["id"] in reached:
                continue
            facts = facts_of.get(b["subject"])
            ok = b.get("forced_only", False) or b["id"] in leads
            if not ok and "when" in b and facts is not None:
                origins = b.get("from", ["main"])
                origin_ok = "main" in origins or "any" in origins or any(o in reached for o in origins)
                ok = origin_ok and impossible(b["when"], facts) is None
            if ok:
                reached.add(b["id"])
                reached_trees.add(f"branch:{b['id']}")
                changed = True
    ends = {v for t in reached_trees for a, v in actions_of(trees.get(t, {})) if a == "end"}
    reached_endings = set()
    frozen = frozenset(reached)
    for e in endings:
        if e["id"] in ends:
            reached_endings.add(e["id"])
            continue
        if "when" not in e:
            continue
        subjects = [e["subject"]] if "subject" in e else list(facts_of)
        for sid in subjects:
            facts = facts_of.get(sid)
            if facts is None:
                continue
            scoped = Facts(facts.time_limit, facts.deaf, facts.armed, frozen, facts.others)
            if impossible(e["when"], scoped) is None:
                reached_endings.add(e["id"])
                break
    return Reach(reached, reached_endings)
