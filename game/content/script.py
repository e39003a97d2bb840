"""Trainee script format 1: a timeline of what a scripted trainee does (``scenarios/scripts/``).

Used by offscreen runs and tests; the instructor's commands (escalate, calm,
branch by id or number, pause, resume, mark, end) may be scripted too, so sessions
with interventions reproduce. ``at`` is on the session's clock, which runs on while
the instructor has paused the simulation (see :class:`~game.core.drivers.ScriptedTrainee`).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType
from typing import Any

from game.content.document import read_document
from game.content.errors import ContentError
from game.core.drivers import ScriptAction, TraineeScript

SCHEMA = ("scenarios", "script.schema.json")
VERBS = ("walk_to", "turn_to", "say", "draw", "ready", "holster", "touch", "use", "instructor", "radio", "end")
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
    "instructor": {"amount", "subject", "note", "reason", "branch", "line", "variant"},
    "radio": {"text"},
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
    problems += _instructor_problems(doc.data["actions"], loc)
    if problems:
        raise ContentError(problems)
    return TraineeScript(actions=tuple(actions), title=doc.data.get("title", ""),
                         scenario=doc.data.get("scenario", ""), source=os.fspath(path))


#: Which extra keys each instructor command needs.
INSTRUCTOR_NEEDS = {"branch": ("branch",), "puppet": ("subject", "line")}
#: Keys that only some instructor commands use.
INSTRUCTOR_KEYS = {"amount": ("escalate", "calm"), "note": ("mark",), "reason": ("end",), "branch": ("branch",),
                   "subject": ("escalate", "calm", "branch", "puppet"), "line": ("puppet",), "variant": ("puppet",)}


def _instructor_problems(actions: list, loc: Any) -> list:
    """A branch command names its branch; keys fit their command; every pause is resumed
    later (a script that never resumes would hold the session paused for ever)."""
    problems = []
    timed = sorted((float(a["at"]), i) for i, a in enumerate(actions) if "instructor" in a)
    paused_at: int | None = None
    for _at, i in timed:
        a = actions[i]
        command = a["instructor"]
        for need in INSTRUCTOR_NEEDS.get(command, ()):
            if need not in a:
                problems.append(loc.problem(("actions", i), f"'instructor: {command}' needs '{need}'"))
        for key, commands in INSTRUCTOR_KEYS.items():
            if key in a and command not in commands:
                problems.append(loc.problem(("actions", i, key), f"'{key}' does not apply to 'instructor: {command}'"))
        if command == "pause" and paused_at is None:
            paused_at = i
        elif command == "resume":
            if paused_at is None:
                problems.append(loc.problem(("actions", i, "instructor"), "resume without an earlier pause"))
            paused_at = None
    if paused_at is not None:
        problems.append(loc.problem(("actions", paused_at, "instructor"),
                                    "this pause is never resumed: add a later 'instructor: resume' "
                                    "(the session would stay paused)"))
    return problems


def check_script(path: str | os.PathLike[str]) -> list:
    """Every problem of a trainee script; empty when it is good. A script that says which
    ``scenario`` it was written for is also checked against that scenario's subjects and
    branches (the scenario beside its ``scripts/`` folder, else the installed one)."""
    try:
        script = load_script(path)
    except ContentError as err:
        return err.problems
    if not script.scenario:
        return []
    from game.content.library import package_dir

    beside = Path(path).resolve().parent.parent / f"{script.scenario}.yaml"
    target = beside if beside.is_file() else package_dir("scenarios") / f"{script.scenario}.yaml"
    try:  # only its names are needed; the scenario's own problems are reported when it is validated
        d = read_document(target, kind="scenario", schema=("scenarios", "schema.json"), versions=(1, 2)).data
    except (ContentError, OSError):
        return []
    return reference_problems(path, [s["id"] for s in d["subjects"]], [b["id"] for b in d.get("branches", [])],
                              subject_lines(d))


def subject_lines(scenario: Any) -> dict[str, dict[str, int]]:
    """How many texts each authored line of each subject has, from a scenario file's data or
    a loaded :class:`~game.core.scenario.ScenarioDef` (for checking ``instructor: puppet``)."""
    if isinstance(scenario, dict):
        return {s["id"]: {k: len(v) if isinstance(v, list) else 1 for k, v in (s.get("lines") or {}).items()}
                for s in scenario.get("subjects", [])}
    return {s.id: {k: len(v) for k, v in s.lines.items()} for s in scenario.subjects}


#: Action keys whose value may name a subject, and the words that are not subject ids.
SUBJECT_KEYS = ("to", "face", "turn_to", "touch", "subject")
NOT_SUBJECTS = frozenset({"subject", "path", "trainee"})


def reference_problems(path: str | os.PathLike[str], subjects: list[str], branches: list[str],
                       lines: dict[str, dict[str, int]] | None = None) -> list:
    """Names in a (loadable) script that the scenario it is played with does not have: subjects
    spoken to, faced, touched or nudged, branches an instructor command forces, and (given
    ``lines``: :func:`subject_lines`) the authored lines ``instructor: puppet`` makes a subject say."""
    import difflib

    doc = read_document(path, kind="script", schema=SCHEMA)
    problems = []
    for i, a in enumerate(doc.data["actions"]):
        for key in SUBJECT_KEYS:
            value = a.get(key)
            if isinstance(value, str) and value not in NOT_SUBJECTS and value not in subjects:
                close = difflib.get_close_matches(value, subjects, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"subjects: {', '.join(subjects)}"
                problems.append(doc.locations.problem(("actions", i, key), f"no subject '{value}' in the scenario ({hint})"))
        if a.get("instructor") == "branch":
            problem = _branch_problem(a.get("branch"), branches)
            if problem:
                problems.append(doc.locations.problem(("actions", i, "branch"), problem))
        if a.get("instructor") == "puppet" and lines is not None and a.get("subject") in lines:
            key, problem = _line_problem(a, lines[a["subject"]])
            if problem:
                problems.append(doc.locations.problem(("actions", i, key), problem))
    return problems


def _line_problem(action: dict, lines: dict[str, int]) -> tuple[str, str]:
    """(the key, why) when a puppet action's ``line`` or ``variant`` is not one of the subject's; ("", "") when it is."""
    import difflib

    line, variant = action.get("line"), action.get("variant", 0)
    if line not in lines:
        close = difflib.get_close_matches(str(line), list(lines), n=1)
        hint = f"did you mean '{close[0]}'?" if close else (f"lines: {', '.join(lines)}" if lines else "it has none")
        return "line", f"subject '{action['subject']}' has no line '{line}' ({hint})"
    if not 0 <= variant < lines[line]:
        return "variant", f"line '{line}' of '{action['subject']}' has {lines[line]} text(s): variant {variant} is not one of 0..{lines[line] - 1}"
    return "", ""


def _branch_problem(branch: Any, branches: list[str]) -> str:
    """Why ``branch`` (an id, or a number: 1 = the scenario's first branch, as the console and
    :func:`~game.core.drivers.branch_id` count them) names no branch of the scenario; "" when it does."""
    import difflib

    if isinstance(branch, int) and not isinstance(branch, bool):
        if 1 <= branch <= len(branches):
            return ""
        have = f"it has {len(branches)}: {', '.join(f'{n} = {b}' for n, b in enumerate(branches, 1))}" if branches \
            else "it has no branches"
        return f"no branch number {branch} in the scenario ({have})"
    if branch in branches:
        return ""
    close = difflib.get_close_matches(str(branch), branches, n=1)
    hint = f"did you mean '{close[0]}'?" if close else (f"branches: {', '.join(branches)}" if branches else "it has no branches")
    return f"no branch '{branch}' in the scenario ({hint})"


def load_script_for(path: str | os.PathLike[str], subjects: list[str], branches: list[str],
                    lines: dict[str, dict[str, int]] | None = None) -> TraineeScript:
    """A script to be played with a scenario that has ``subjects`` and ``branches`` (ids, in file
    order): :func:`load_script`, then the names it uses checked the way ``talkdown validate``
    checks them (:func:`reference_problems`), so what validate refuses is refused here too and
    what it accepts runs. Raises :class:`ContentError` listing every problem."""
    script = load_script(path)
    problems = reference_problems(path, subjects, branches, lines)
    if problems:
        raise ContentError(problems)
    return script
