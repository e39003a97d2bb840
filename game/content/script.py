"""Trainee script format 1: a timeline of what a scripted trainee does (``scenarios/scripts/``).

Used by offscreen runs and tests; the instructor's commands (escalate, calm,
mark, end) may be scripted too, so sessions with interventions reproduce.
"""

from __future__ import annotations

import os
from types import MappingProxyType

from game.content.document import read_document
from game.content.errors import ContentError
from game.core.drivers import ScriptAction, TraineeScript

SCHEMA = ("scenarios", "script.schema.json")
VERBS = ("walk_to", "turn_to", "say", "draw", "ready", "holster", "touch", "use", "instructor", "end")
#: Which extra keys each verb accepts.
MODIFIERS = {
    "walk_to": {"speed", "face"},
    "turn_to": set(),
    "say": {"tone", "text", "to"},
    "draw": {"hand", "low_ready"},
    "ready": {"hand"},
    "holster": set(),
    "touch": {"hand"},
    "use": set(),
    "instructor": {"amount", "subject", "note", "reason", "branch"},
    "end": {"reason"},
}


def load_script(path: str | os.PathLike[str]) -> TraineeScript:
    """Reads and checks a trainee script. Raises :class:`ContentError` listing every problem."""
    doc = read_document(path, kind="script", schema=SCHEMA)
    loc = doc.locations
    problems = []
    actions = []
    for i, a in enumerate(doc.data["actions"]):
        verbs = [k for k in a if k in VERBS]
        if len(verbs) != 1:
            what = "no action" if not verbs else f"several actions ({', '.join(verbs)})"
            problems.append(loc.problem(("actions", i), f"{what}: each entry needs exactly one of {', '.join(VERBS)}"))
            continue
        verb = verbs[0]
        for key in a:
            if key not in ("at", verb) and key not in MODIFIERS[verb]:
                problems.append(loc.problem(("actions", i, key), f"'{key}' does not apply to '{verb}'"))
        actions.append(ScriptAction(at=float(a["at"]), verb=verb, args=MappingProxyType(dict(a))))
    if problems:
        raise ContentError(problems)
    return TraineeScript(actions=tuple(actions), title=doc.data.get("title", ""),
                         scenario=doc.data.get("scenario", ""), source=os.fspath(path))


def check_script(path: str | os.PathLike[str]) -> list:
    """Every problem of a trainee script; empty when it is good."""
    try:
        load_script(path)
    except ContentError as err:
        return err.problems
    return []
