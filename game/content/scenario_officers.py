"""Scenario format 2's officers: what the schema cannot check, and the way from format 1.

Format 1 has one officer, the trainee (``trainee: {position, heading}``). Format 2 lists the
officers instead (``officers:``), officer 1 the trainee first; an officer with ``partner:`` is
driven by the simulation (:mod:`game.core.partner`): its tree, lines and arrival. Everything
else is the same in both formats, and a format-1 file loads as it always did.

:func:`officer_problems` checks the officers and every name that points at one (conditions
``officer:``, ``officer_within``, ``officer_beyond``, ``intervened``, ``misconduct``; targets
``officer:N``) and inlines the partners' trees; :func:`migrate_text` turns a format-1 file's
text into format 2 (``talkdown validate --migrate``), keeping its comments.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from game.content.errors import Problem
from game.content.trees import Ref, TreeChecker
from game.core.partner import DEFAULT_LINES, PARTNER_ACTIONS

#: The scenario formats this Talkdown reads.
SCENARIO_VERSIONS = (1, 2)
MIGRATE = "talkdown validate --migrate FILE converts a format-1 file"
#: A partner's actions that are misconduct (the trainee's duty to intervene).
MISCONDUCT_ACTIONS = frozenset({"slur", "crowd", "force"})


def officer_count(d: dict[str, Any]) -> int:
    """How many officers a scenario names (format 1: the one trainee)."""
    return len(d.get("officers", ())) if d.get("format_version") == 2 else 1


def officer_problems(d: dict[str, Any], loc: Any, refs: list[Ref], trees: dict[str, Any],
                     characters: list[str] | None = None) -> list[Problem]:
    """The officers' own problems, those of every reference to an officer in ``refs`` (from the
    subjects' trees, branches, endings, review points), and the partners' trees (inlined into
    ``trees`` as ``partner:N``)."""
    problems: list[Problem] = []
    version = d["format_version"]
    officers = d.get("officers", [])
    if version == 1 and "officers" in d:
        problems.append(loc.problem(("officers",), "'officers' is scenario format 2: set 'format_version: 2' and put "
                                                   f"'trainee:' in the list as officer 1 ({MIGRATE})"))
    if version >= 2 and "trainee" in d:
        problems.append(loc.problem(("trainee",), "format 2 lists the officers under 'officers:', officer 1 (the trainee) "
                                                  f"first; 'trainee:' is format 1 ({MIGRATE})"))
    if version >= 2 and "officers" not in d:
        problems.append(loc.problem((), "a format-2 scenario lists its officers under 'officers:' (officer 1, the "
                                        "trainee, first)"))
    subject_ids = [s["id"] for s in d["subjects"]]
    count = officer_count(d)
    has_partner = False
    first_partner = 0
    for i, o in enumerate(officers):
        number = i + 1
        if characters is not None and "appearance" in o and o["appearance"] not in characters:
            problems.append(loc.problem(("officers", i, "appearance"), f"no character '{o['appearance']}' in "
                                        f"assets/manifest.yaml ({_hint(o['appearance'], characters)})"))
        if "partner" not in o:
            if first_partner:
                problems.append(loc.problem(("officers", i), f"officer {number} is played by a trainee but comes after "
                                            f"partner officer {first_partner}: list the officers trainees play first"))
            continue
        has_partner = True
        first_partner = first_partner or number
        if number == 1:
            problems.append(loc.problem(("officers", 0, "partner"), "officer 1 is the trainee: a partner officer comes "
                                        "after it in the list"))
            continue
        problems += _partner_problems(o["partner"], loc, ("officers", i, "partner"), number, subject_ids, count, trees)
    for r in refs:
        if r.kind == "officer" and int(r.value) > count and version >= 2:
            problems.append(r.problem(f"no officer {r.value}: this scenario has officer{'s 1…' if count > 1 else ' '}"
                                      f"{count} (add it under 'officers:')"))
        elif r.kind == "team" and not has_partner:
            problems.append(r.problem(f"'{r.value}' is about partner officers and this scenario has none, so it never "
                                      "happens (add one under 'officers:' with 'partner:')", severity="warning"))
        elif r.kind == "who" and r.value.startswith("officer:") and r.value[8:].isdigit() \
                and int(r.value[8:]) > count and version >= 2:
            problems.append(r.problem(f"no officer {r.value[8:]}: this scenario has {count} officer(s)"))
    return problems


def _partner_problems(p: dict[str, Any], loc: Any, where: tuple[object, ...], number: int, subject_ids: list[str],
                      count: int, trees: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    if "watches" in p and p["watches"] not in subject_ids:
        problems.append(loc.problem((*where, "watches"), f"no subject '{p['watches']}' ({_hint(p['watches'], subject_ids)})"))
    arrives = p.get("arrives", {})
    if "after" in arrives and "on_call" not in arrives:
        problems.append(loc.problem((*where, "arrives", "after"), "'after' counts from the trainee's call: add "
                                    "'on_call:' (the intents that call, such as call_backup)"))
    if "tree" not in p:
        return problems
    checker = TreeChecker({}, PARTNER_ACTIONS)
    problems += checker.structure(p["tree"], loc, (*where, "tree"))
    refs: list[Ref] = []
    trees[f"partner:{number}"] = tree = checker.inline(p["tree"], loc, (*where, "tree"), refs)
    lines = sorted(set(p.get("lines", {})) | set(DEFAULT_LINES))
    for r in refs:
        if r.kind == "say" and r.value not in lines:
            problems.append(r.problem(f"officer {number} has no lines '{r.value}' ({_hint(r.value, lines)}); add them "
                                      "under its partner's 'lines:'"))
        elif r.kind == "subject" and r.value not in subject_ids:
            problems.append(r.problem(f"no subject '{r.value}' ({_hint(r.value, subject_ids)})"))
        elif r.kind == "who" and r.value not in ("subject", "trainee") and r.value not in subject_ids \
                and not _officer_target(r.value, count):
            problems.append(r.problem(f"'{r.value}' is neither 'subject' (the one it watches), 'trainee', 'officer:N' "
                                      f"(1…{count}) nor a subject ({_hint(r.value, subject_ids)})"))
        elif r.kind == "officer" and int(r.value) > count:
            problems.append(r.problem(f"no officer {r.value}: this scenario has {count} officer(s)"))
        elif r.kind in ("branch", "end", "flag", "flag_set", "draw_weapon", "in_branch"):
            problems.append(r.problem(f"a partner officer's tree cannot use '{r.kind}' (that is a subject's)"))
    used = {a for a in _actions(tree)}
    if used & MISCONDUCT_ACTIONS and not any(r.kind == "team" and r.value == "intervened" for r in refs):
        problems.append(loc.problem((*where, "tree"), "this partner misbehaves ("
                                    f"{', '.join(sorted(used & MISCONDUCT_ACTIONS))}) but its tree never asks "
                                    "'intervened:', so stepping in cannot stop it", severity="warning"))
    return problems


def _officer_target(who: str, count: int) -> bool:
    head, _, tail = who.partition(":")
    return head == "officer" and tail.isdigit() and 1 <= int(tail) <= count


def _actions(tree: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(tree, list):
        for t in tree:
            found |= _actions(t)
    elif isinstance(tree, dict):
        for key, value in tree.items():
            if key in PARTNER_ACTIONS:
                found.add(key)
            elif key not in ("when", "check", "name"):
                found |= _actions(value)
    return found


def _hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"did you mean '{close[0]}'?" if close else (f"known: {', '.join(known)}" if known else "there are none")


_TRAINEE = re.compile(r"^trainee:[ \t]*(#.*)?$")
_VERSION = re.compile(r"^format_version:[ \t]*1\b")


def migrate_text(text: str) -> str | None:
    """A format-1 scenario's text as format 2: ``format_version: 2`` and the ``trainee:`` block
    made officer 1 of ``officers:`` (comments and everything else kept). None: not format 1."""
    lines = text.splitlines(keepends=True)
    if not any(_VERSION.match(line) for line in lines):
        return None
    out: list[str] = []
    i = 0
    found = False
    while i < len(lines):
        line = lines[i]
        if _VERSION.match(line):
            out.append(_VERSION.sub("format_version: 2", line, count=1))
        elif _TRAINEE.match(line.rstrip("\r\n")):
            found = True
            ending = "\r\n" if line.endswith("\r\n") else "\n"
            comment = line.rstrip("\r\n")[len("trainee:"):].strip()
            out.append("officers:" + (f"  {comment}" if comment else "") + ending)
            body: list[str] = []
            i += 1
            while i < len(lines) and (lines[i].startswith((" ", "\t")) or not lines[i].strip()):
                body.append(lines[i])
                i += 1
            while body and not body[-1].strip():
                i -= 1
                body.pop()
            keyed = [b for b in body if b.strip() and not b.lstrip().startswith("#")]
            indent = min((len(b) - len(b.lstrip()) for b in keyed), default=2)
            first = True
            for b in body:
                if b.strip() and not b.lstrip().startswith("#"):
                    out.append(("  - " if first else "    ") + b[indent:])
                    first = False
                else:
                    out.append(b)
            if first:  # an empty trainee block: officer 1 where format 1 put it
                out.append(f"  - position: [0, -10]{ending}")
            continue
        elif line.startswith("trainee:"):  # a flow mapping on one line: trainee: {position: [..]}
            found = True
            value = line[len("trainee:"):].strip()
            out.append(f"officers:\n  - {value}\n")
        else:
            out.append(line)
        i += 1
    if not found:
        out.append("officers:\n  - position: [0, -10]\n    heading: 0\n")
    return "".join(out)
