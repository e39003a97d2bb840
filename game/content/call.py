"""A scenario's ``call:`` section (issue 19): loading it into the core's
:class:`~game.core.call.CallDef` and checking what the schema cannot — every fact a
question, the opening or the records check names exists, every fact can be learned, the
caller's tree uses only the caller's actions, conditions and lines, and the review points a
fact names exist. Problems are located (file:line:col key) and do not cascade.
"""

from __future__ import annotations

import difflib
from types import MappingProxyType
from typing import Any, Mapping

from game.content.errors import Problem
from game.core.behaviour import COMPOSITES, GUARD_KEYS
from game.core.call import (
    CALLER_ACTIONS,
    CALLER_CONDITIONS,
    DEFAULT_LINES,
    DEFAULT_SENSITIVITY,
    DEFAULT_TREE,
    REASSURE,
    CallDef,
    CallerDef,
    CallFact,
    CallQuestion,
    compile_caller_tree,
)


def _texts(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(" ".join(str(v).split()) for v in items)


def build_call(c: Mapping[str, Any], briefing: str = "") -> CallDef:
    """The core's call from a checked ``call:`` mapping (``briefing``: the scenario's, the default)."""
    k = c.get("caller", {})
    caller = CallerDef(
        name=k.get("name", "Caller"), profile=k.get("profile", "witness"), voice=k.get("voice", ""),
        agitation=float(k.get("agitation", 0.5)),
        sensitivity=MappingProxyType({**DEFAULT_SENSITIVITY, **{n: float(v) for n, v in k.get("sensitivity", {}).items()}}),
        lines=MappingProxyType({n: _texts(v) for n, v in k.get("lines", {}).items()}),
        tree=k.get("tree", DEFAULT_TREE))
    facts = tuple(CallFact(id=f["id"], field=f["card"], says=" ".join(f["says"].split()), value=f.get("value", ""),
                           words=tuple(w.lower() for w in f.get("words", ())), calm=float(f.get("calm", 1.0)),
                           look_for=f.get("look_for", "")) for f in c["facts"])
    questions = tuple(CallQuestion(id=q["id"], text=q["text"], reveals=tuple(q["reveals"]),
                                   words=tuple(w.lower() for w in q.get("words", ()))) for q in c["questions"])
    records = c.get("records", {})
    return CallDef(caller=caller, facts=facts, questions=questions, opening_reveals=tuple(c.get("opening_reveals", ())),
                   default_briefing=(c.get("default_briefing") or briefing).strip(),
                   travel=float(c.get("travel", 20.0)), time_limit=float(c.get("time_limit", 300.0)),
                   records=" ".join(records.get("says", "").split()), records_reveal=tuple(records.get("reveals", ())),
                   units=MappingProxyType({n: float(v) for n, v in c.get("units", {}).items()}))


def _hint(name: str, known: list[str], what: str) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"{what}: {', '.join(known)}" if known else f"there are no {what}"


def call_problems(d: Mapping[str, Any], loc: Any) -> list[Problem]:
    """Every problem of the scenario's ``call:`` (none when it has none)."""
    c = d.get("call")
    if not isinstance(c, Mapping):
        return []
    out: list[Problem] = []
    facts = [f["id"] for f in c.get("facts", ())]
    seen: set[str] = set()
    for i, f in enumerate(c.get("facts", ())):
        if f["id"] in seen:
            out.append(loc.problem(("call", "facts", i, "id"), f"fact id '{f['id']}' is used twice"))
        seen.add(f["id"])
    seen = set()
    for i, q in enumerate(c.get("questions", ())):
        if q["id"] == REASSURE:
            out.append(loc.problem(("call", "questions", i, "id"),
                                   f"'{REASSURE}' is the question every call has (help is on the way): choose another id"))
        if q["id"] in seen:
            out.append(loc.problem(("call", "questions", i, "id"), f"question id '{q['id']}' is used twice"))
        seen.add(q["id"])

    revealed: dict[str, list[str]] = {}

    def refs(ids: Any, where: tuple[object, ...], by: str) -> None:
        for j, fid in enumerate(ids or ()):
            if fid not in facts:
                out.append(loc.problem((*where, j), f"no fact '{fid}' in the call ({_hint(fid, facts, 'facts')})"))
            else:
                revealed.setdefault(fid, []).append(by)

    for i, q in enumerate(c.get("questions", ())):
        refs(q.get("reveals"), ("call", "questions", i, "reveals"), f"question {q['id']}")
    refs(c.get("opening_reveals"), ("call", "opening_reveals"), "opening")
    refs(c.get("records", {}).get("reveals"), ("call", "records", "reveals"), "records")

    caller = c.get("caller", {})
    start = float(caller.get("agitation", 0.5))
    sens = {**DEFAULT_SENSITIVITY, **caller.get("sensitivity", {})}
    can_calm = min(sens["question"], sens["calm"], sens["reassure"]) < 0
    look_fors = [lf["id"] for lf in d.get("review", {}).get("look_for", ())]
    for i, f in enumerate(c.get("facts", ())):
        where = ("call", "facts", i)
        if f["id"] not in revealed:
            out.append(loc.problem((*where, "id"), f"fact '{f['id']}' cannot be learned: no question reveals it "
                                                   "(add it to a question's 'reveals', the opening or the records)"))
        calm = float(f.get("calm", 1.0))
        if calm <= 0.0 or (calm <= start and not can_calm and revealed.get(f["id"]) not in (["opening"], ["records"])):
            out.append(loc.problem((*where, "calm"), f"fact '{f['id']}' is never told: the caller is never calmer "
                                                     f"than {calm:g} (starts at {start:g} and nothing calms them)"))
        if "words" not in f:
            out.append(loc.problem((*where, "id"), f"fact '{f['id']}' has no 'words': the review cannot tell whether "
                                                   "the dispatcher passed it on", severity="warning"))
        if f.get("look_for") and f["look_for"] not in look_fors:
            out.append(loc.problem((*where, "look_for"), f"no review point '{f['look_for']}' in this scenario "
                                                         f"({_hint(f['look_for'], look_fors, 'review points')})"))
    if "tree" in caller:
        lines = [*caller.get("lines", {}), *DEFAULT_LINES]
        out += _tree_problems(caller["tree"], loc, ("call", "caller", "tree"), lines,
                              [q["id"] for q in c.get("questions", ())] + [REASSURE], facts)
        if not out:
            try:
                compile_caller_tree(caller["tree"])
            except (ValueError, KeyError, TypeError) as exc:
                out.append(loc.problem(("call", "caller", "tree"), f"the caller's tree does not compile: {exc}"))
    return out


def _tree_problems(node: Any, loc: Any, path: tuple[object, ...], lines: list[str], questions: list[str],
                   facts: list[str]) -> list[Problem]:
    out: list[Problem] = []
    if isinstance(node, list):
        for i, n in enumerate(node):
            out += _tree_problems(n, loc, (*path, i), lines, questions, facts)
        return out
    if isinstance(node, str):
        key, _, value = node.partition(":")
        node = {key.strip(): value.strip() or True}
    if not isinstance(node, Mapping):
        return [loc.problem(path, "a tree node is an action, a composite or a when/do guard")]
    if "when" in node:
        out += _condition_problems(node["when"], loc, (*path, "when"), questions, facts)
        if "do" not in node:
            out.append(loc.problem(path, "a 'when' needs a 'do'"))
        else:
            out += _tree_problems(node["do"], loc, (*path, "do"), lines, questions, facts)
        return out
    for key in COMPOSITES:
        if key in node:
            return _tree_problems(node[key] if isinstance(node[key], list) else [node[key]], loc, (*path, key), lines,
                                  questions, facts)
    acts = [k for k in node if k in CALLER_ACTIONS]
    if len(acts) != 1:
        other = [k for k in node if k not in ("name", *GUARD_KEYS)]
        return [loc.problem(path, f"unknown caller action {', '.join(map(repr, other)) or '(none)'}: the caller's "
                                  f"actions are {', '.join(CALLER_ACTIONS)}")]
    if acts[0] == "say" and str(node["say"]) not in lines:
        out.append(loc.problem((*path, "say"), f"the caller has no line '{node['say']}' "
                                               f"({_hint(str(node['say']), lines, 'lines')})"))
    if acts[0] == "wait" and not (isinstance(node["wait"], (int, float)) and node["wait"] > 0):
        out.append(loc.problem((*path, "wait"), "wait takes a number of seconds"))
    return out


def _condition_problems(cond: Any, loc: Any, path: tuple[object, ...], questions: list[str],
                        facts: list[str]) -> list[Problem]:
    if not isinstance(cond, Mapping):
        return [loc.problem(path, "a condition is a mapping")]
    out: list[Problem] = []
    for key, value in cond.items():
        if key not in CALLER_CONDITIONS:
            out.append(loc.problem((*path, key), f"unknown caller condition '{key}' "
                                                 f"({_hint(key, list(CALLER_CONDITIONS), 'conditions')})"))
        elif key in ("all", "any"):
            for i, sub in enumerate(value if isinstance(value, list) else []):
                out += _condition_problems(sub, loc, (*path, key, i), questions, facts)
        elif key == "not":
            out += _condition_problems(value, loc, (*path, key), questions, facts)
        elif key == "asked" and value not in questions:
            out.append(loc.problem((*path, key), f"no question '{value}' ({_hint(str(value), questions, 'questions')})"))
        elif key == "told" and value not in facts:
            out.append(loc.problem((*path, key), f"no fact '{value}' ({_hint(str(value), facts, 'facts')})"))
        elif key not in ("asked", "told") and not isinstance(value, (int, float)):
            out.append(loc.problem((*path, key), f"'{key}' takes a number"))
    return out
