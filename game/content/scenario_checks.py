"""What the schema cannot check in a scenario: ids, references, trees and reachability.

:func:`check_document` resolves the scenario's libraries, profiles and subtrees and
returns the resolved profiles and inlined trees with every problem found. Problems
are collected per part and do not cascade: reachability is judged only when
everything it depends on resolved.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.content.document import Document
from game.content.errors import Problem
from game.content.manifest import AssetEntry, load_manifest
from game.content.reach import Facts, impossible, reachable
from game.content.shared import load_includes, resolve_profile
from game.content.scenario_officers import officer_problems
from game.content.trees import Ref, Subtree, TreeChecker, actions_in, condition_refs
from game.core.events import INTENTS
from game.core.seats import officer_number
from game.core.scenario import PEACEFUL_OUTCOMES, SubjectDef

#: Keys of a subject's ``lines`` the mind says by itself (besides intents it replies to).
LINE_TRIGGERS = ("reply", "reply_agitated", "cannot_hear", "refuses", "asked_again", "promise_broken",
                 "promise_broken_touch")
DEFAULT_APPEARANCE = SubjectDef.__dataclass_fields__["appearance"].default


@dataclass
class Checked:
    problems: list[Problem] = field(default_factory=list)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)  # subject id → resolved profile
    trees: dict[str, Any] = field(default_factory=dict)  # main:<subject> / branch:<id> → inlined tree


def _hint(name: str, known: list[str], what: str) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"{what}: {', '.join(known)}" if known else f"there are no {what}"


def _duplicates(items: list[dict[str, Any]], key: str, loc: Any, where: str, what: str) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        if item[key] in seen:
            out.append(loc.problem((where, i, key), f"{what} id '{item[key]}' is used twice"))
        seen.add(item[key])
    return out


def check_document(doc: Document, manifest: Mapping[str, AssetEntry] | None = None) -> Checked:
    """Checks a scenario; subjects' appearances must be characters in ``manifest`` (default: the installed one)."""
    d, loc = doc.data, doc.locations
    out = Checked()
    problems = out.problems
    stem = Path(doc.path).stem
    if d["id"] != stem:
        problems.append(loc.problem(("id",), f"id '{d['id']}' differs from the file name '{stem}': scenarios are found by file name, so make them the same"))
    shared = load_includes(doc)
    problems += shared.problems
    namespace = {**shared.subtrees, **{n: Subtree(n, t, loc, ("subtrees", n)) for n, t in d.get("subtrees", {}).items()}}
    checker = TreeChecker(namespace)
    for name, tree in d.get("subtrees", {}).items():
        problems += checker.structure(tree, loc, ("subtrees", name))

    subjects = d["subjects"]
    branches = d.get("branches", [])
    endings = d["endings"]
    look_for = d.get("review", {}).get("look_for", [])
    problems += _duplicates(subjects, "id", loc, "subjects", "subject")
    problems += _duplicates(branches, "id", loc, "branches", "branch")
    problems += _duplicates(endings, "id", loc, "endings", "ending")
    subject_ids = [s["id"] for s in subjects]
    branch_of = {b["id"]: b["subject"] for b in branches}
    ending_ids = [e["id"] for e in endings]

    if manifest is None:
        manifest = load_manifest()
    characters = sorted(n for n, a in manifest.items() if a.kind == "character")
    refs_by_owner: dict[str, list[Ref]] = {}
    for i, s in enumerate(subjects):
        appearance = s.get("appearance", DEFAULT_APPEARANCE)
        if appearance not in characters:
            problems.append(loc.problem(("subjects", i, "appearance"),
                                        f"no character '{appearance}' in assets/manifest.yaml ({_hint(appearance, characters, 'characters')})"))
        profile = resolve_profile(s.get("profile", {}), shared, loc, ("subjects", i, "profile"), problems)
        out.profiles[s["id"]] = profile
        problems += _ladder_problems(profile, loc, ("subjects", i, "profile"))
        if profile.get("weapon_name") and profile.get("weapon", "none") == "none":
            raw = s.get("profile", {})
            where = ("subjects", i, "profile", "weapon_name") if isinstance(raw, dict) and "weapon_name" in raw else \
                ("subjects", i, "profile")
            problems.append(loc.problem(where, f"weapon_name '{profile['weapon_name']}' names a weapon the subject does not "
                                               "carry: set 'weapon:' to how it behaves (knife, bat, firearm)"))
        if "tree" in s:
            problems += checker.structure(s["tree"], loc, ("subjects", i, "tree"))
            refs: list[Ref] = []
            out.trees[f"main:{s['id']}"] = checker.inline(s["tree"], loc, ("subjects", i, "tree"), refs)
            refs_by_owner.setdefault(s["id"], []).extend(refs)

    for i, b in enumerate(branches):
        if b["subject"] not in subject_ids:
            problems.append(loc.problem(("branches", i, "subject"), f"no subject '{b['subject']}' ({_hint(b['subject'], subject_ids, 'subjects')})"))
        if b.get("forced_only") and "when" in b:
            problems.append(loc.problem(("branches", i, "forced_only"), "a forced_only branch cannot also start by itself: remove 'when' or 'forced_only'"))
        for j, origin in enumerate(b.get("from", [])):
            if origin not in ("main", "any") and origin not in branch_of:
                problems.append(loc.problem(("branches", i, "from", j), f"no branch '{origin}' ({_hint(origin, sorted(branch_of), 'branches')}, or 'main', 'any')"))
        problems += checker.structure(b["tree"], loc, ("branches", i, "tree"))
        refs = []
        out.trees[f"branch:{b['id']}"] = checker.inline(b["tree"], loc, ("branches", i, "tree"), refs)
        for key in ("when", "until"):
            if key in b:
                refs.extend(condition_refs(b[key], loc, ("branches", i, key)))
        refs_by_owner.setdefault(b["subject"], []).extend(refs)

    for where, items in (("endings", endings), ("look_for", look_for)):
        path0: tuple[object, ...] = ("review", "look_for") if where == "look_for" else ("endings",)
        cond_key = "expect" if where == "look_for" else "when"
        for i, e in enumerate(items):
            if "subject" in e and e["subject"] not in subject_ids:
                problems.append(loc.problem((*path0, i, "subject"), f"no subject '{e['subject']}' ({_hint(e['subject'], subject_ids, 'subjects')})"))
            if cond_key in e:
                owners = [e["subject"]] if e.get("subject") in subject_ids else subject_ids
                for ref in condition_refs(e[cond_key], loc, (*path0, i, cond_key)):
                    for owner in owners[:1]:
                        refs_by_owner.setdefault(owner, []).append(ref)

    problems += checker.cycles
    for i, s in enumerate(subjects):
        said = {r.value for r in refs_by_owner.get(s["id"], []) if r.kind == "say"}
        if not said <= set(s.get("lines", {})):
            continue  # a misspelt 'say' is reported below; its line is not also "never said"
        known = set(INTENTS) | set(LINE_TRIGGERS) | said
        for key in s.get("lines", {}):
            if key not in known:
                close = difflib.get_close_matches(str(key), sorted(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else f" (replies: an intent, or {', '.join(LINE_TRIGGERS)})"
                problems.append(loc.problem(("subjects", i, "lines", key),
                                            f"lines '{key}' is never said: not an intent a subject replies to, nor a line its behaviours say{hint}",
                                            severity="warning"))

    for i, s in enumerate(subjects):
        for key, value in s.get("lines", {}).items():
            for j, item in enumerate(value if isinstance(value, list) else [value]):
                if isinstance(item, dict) and "audio" in item:
                    where = ("subjects", i, "lines", key, j, "audio") if isinstance(value, list) else ("subjects", i, "lines", key, "audio")
                    problems += _audio_problems(item["audio"], doc.path, loc, where)

    for i, s in enumerate(subjects):
        problems += knowledge_problems(s.get("knows", []), loc, ("subjects", i, "knows"))
        for key, value in s.get("lines", {}).items():
            for j, item in enumerate(value if isinstance(value, list) else [value]):
                text = item if isinstance(item, str) else item.get("text", "")
                if text.startswith("(") and text.endswith(")") and not (isinstance(item, dict) and item.get("narration")):
                    where = ("subjects", i, "lines", key, j) if isinstance(value, list) else ("subjects", i, "lines", key)
                    problems.append(loc.problem(where, "this line looks like narration (in parentheses): write it as "
                                                "{text: ..., narration: true} so it is acted, not voiced",
                                                severity="warning"))

    problems += officer_problems(d, loc, [r for refs in refs_by_owner.values() for r in refs], out.trees, characters)
    by_id = {s["id"]: s for s in subjects}
    for owner, refs in refs_by_owner.items():
        s = by_id.get(owner)
        if s is None:
            continue
        flags_set = {r.value for r in refs if r.kind == "flag_set"}  # flags belong to one subject
        problems += _ref_problems(refs, s, out.profiles[owner], subject_ids, branch_of, ending_ids, flags_set)

    if not any(p.severity == "error" for p in problems):
        problems += _reach_problems(d, out, loc)
    return out


def knowledge_problems(knows: list[dict[str, Any]], loc: Any, where: tuple[object, ...]) -> list[Problem]:
    """A subject's ``knows:``: one entry per fact, each askable and with something to say."""
    from game.core.knowledge import TOPICS

    problems = _duplicates(knows, "id", loc, where, "fact")
    for j, f in enumerate(knows):
        if f["id"] not in TOPICS and not f.get("asked_by") and not f.get("words"):
            problems.append(loc.problem((*where, j, "id"), f"nobody can ask about '{f['id']}': it is not a topic "
                                        f"({', '.join(TOPICS)}), so give it 'asked_by' intents or topic 'words'"))
        if not f.get("tells") and not f.get("doesnt_know"):
            problems.append(loc.problem((*where, j), f"fact '{f['id']}' has nothing to say: give 'tells' "
                                        "(and 'trust'/'calm' for when), or 'doesnt_know'"))
        if f.get("doesnt_know") and (f.get("tells") or f.get("lie")):
            problems.append(loc.problem((*where, j, "doesnt_know"), "a fact the subject does not know has no "
                                        "'tells' or 'lie': keep one or the other"))
    return problems


AUDIO_SUFFIXES = (".wav", ".ogg")


def _audio_problems(audio: str, scenario_path: str, loc: Any, where: tuple[object, ...]) -> list[Problem]:
    """A recording must be a .wav or .ogg inside the scenario's folder, and exist."""
    base = Path(scenario_path).resolve().parent
    target = (base / audio).resolve()
    if Path(audio).is_absolute() or base not in target.parents:
        return [loc.problem(where, f"'{audio}' is outside the scenario's folder: keep recordings beside the scenario")]
    if target.suffix.lower() not in AUDIO_SUFFIXES:
        return [loc.problem(where, f"'{audio}' is not a .wav or .ogg recording")]
    if not target.is_file():
        return [loc.problem(where, f"no recording at '{audio}' (relative to the scenario file)")]
    return []


def _ladder_problems(profile: dict[str, Any], loc: Any, path: tuple[object, ...]) -> list[Problem]:
    ladder = profile.get("postures")
    if not ladder:
        return []
    out = []
    froms = [step["from"] for step in ladder]
    if froms != sorted(froms, reverse=True):
        out.append(loc.problem((*path, "postures"), "list the posture ladder from the highest 'from' to the lowest"))
    if froms[-1] != 0:
        out.append(loc.problem((*path, "postures", len(ladder) - 1, "from"), "the last posture must start 'from: 0' so every agitation has a posture"))
    return out


def _ref_problems(refs: list[Ref], subject: dict[str, Any], profile: dict[str, Any], subject_ids: list[str],
                  branch_of: dict[str, str], ending_ids: list[str], flags_set: set[str]) -> list[Problem]:
    out = []
    sid = subject["id"]
    lines = sorted(subject.get("lines", {}))
    for r in refs:
        if r.kind == "say" and r.value not in lines:
            out.append(r.problem(f"subject '{sid}' has no lines '{r.value}' ({_hint(r.value, lines, 'its lines')}); add them under the subject's 'lines:'"))
        elif r.kind == "branch":
            if r.value not in branch_of:
                out.append(r.problem(f"no branch '{r.value}' ({_hint(r.value, sorted(branch_of), 'branches')})"))
            elif branch_of[r.value] != sid:
                out.append(r.problem(f"branch '{r.value}' belongs to subject '{branch_of[r.value]}', not '{sid}': a behaviour can lead only to its own subject's branches"))
        elif r.kind == "in_branch" and r.value not in branch_of:
            out.append(r.problem(f"no branch '{r.value}' ({_hint(r.value, sorted(branch_of), 'branches')})"))
        elif r.kind == "end" and r.value not in ending_ids:
            out.append(r.problem(f"no ending '{r.value}' ({_hint(r.value, ending_ids, 'endings')})"))
        elif r.kind == "who" and r.value != "trainee" and officer_number(r.value) is None and r.value not in subject_ids:
            out.append(r.problem(f"'{r.value}' is neither 'trainee' (the contact officer), 'officer:N' nor a subject "
                                 f"({_hint(r.value, subject_ids, 'subjects')})"))
        elif r.kind == "subject" and r.value not in subject_ids:
            out.append(r.problem(f"no subject '{r.value}' ({_hint(r.value, subject_ids, 'subjects')})"))
        elif r.kind == "draw_weapon" and profile.get("weapon", "none") == "none":
            out.append(r.problem(f"subject '{sid}' has no weapon to draw: set 'weapon:' in its profile (knife, bat, firearm; "
                                 "'weapon_name:' names it, e.g. a screwdriver is weapon: knife, weapon_name: screwdriver)"))
        elif r.kind == "flag" and r.value not in flags_set:
            out.append(r.problem(f"no behaviour of subject '{sid}' sets flag '{r.value}' ({_hint(r.value, sorted(flags_set), 'flags it sets')}): add a 'flag: {r.value}' action to its tree or branches (flags belong to one subject; look at another's with 'other:')"))
    return out


def _reach_problems(d: dict[str, Any], checked: Checked, loc: Any) -> list[Problem]:
    time_limit = float(d.get("time_limit", 300.0))
    facts = {
        s["id"]: Facts(
            time_limit=time_limit,
            deaf="cannot_hear" in checked.profiles[s["id"]].get("triggers", ())
            or checked.profiles[s["id"]].get("sensitivity", {}).get("hearing", 1.0) == 0.0,
            armed=checked.profiles[s["id"]].get("weapon", "none") != "none",
        )
        for s in d["subjects"]
    }
    for f in facts.values():
        f.others = facts
    problems = []
    branches = d.get("branches", [])
    endings = d["endings"]
    for i, b in enumerate(branches):
        for key in ("when", "until"):
            why = impossible(b[key], facts[b["subject"]]) if key in b else None
            if why:
                problems.append(loc.problem(("branches", i, key), f"this can never hold: {why}"))
    reach = reachable(branches, endings, checked.trees, actions_in, facts)
    for i, b in enumerate(branches):
        if b["id"] not in reach.branches:
            problems.append(loc.problem(("branches", i), f"branch '{b['id']}' can never start: no 'when' that can hold and no behaviour leads to it (mark it 'forced_only: true' if only an instructor should start it)"))
            continue
        tree = checked.trees[f"branch:{b['id']}"]
        leaves = {a for a, _ in actions_in(tree)}
        named = any(_mentions_branch(e.get("when", {}), b["id"]) for e in endings)
        if "until" not in b and not ({"end", "branch"} & leaves) and not named:
            problems.append(loc.problem(("branches", i), f"branch '{b['id']}' has no way out: add 'until:', an 'end:' or 'branch:' action in its tree, or an ending whose 'when' has 'in_branch: {b['id']}'"))
    for i, e in enumerate(endings):
        if e["id"] in reach.endings:
            continue
        why = impossible(e["when"], next(iter(facts.values()))) if "when" in e else None
        detail = f"its 'when' can never hold ({why})" if why else ("it has no 'when' and no behaviour says 'end: " + e["id"] + "'" if "when" not in e else "what it needs can never happen")
        problems.append(loc.problem(("endings", i), f"ending '{e['id']}' can never be reached: {detail}"))
    if not any(e["outcome"] in PEACEFUL_OUTCOMES and e["id"] in reach.endings for e in endings):
        problems.append(loc.problem(("endings",), "no peaceful resolution can be reached: add a reachable ending with 'outcome: resolved_peacefully' or 'subject_detained'"))
    return problems


def _mentions_branch(cond: Any, branch: str) -> bool:
    if isinstance(cond, dict):
        for key, value in cond.items():
            if key == "in_branch" and (value == branch or (isinstance(value, list) and branch in value)):
                return True
            if _mentions_branch(value, branch):
                return True
    elif isinstance(cond, list):
        return any(_mentions_branch(c, branch) for c in cond)
    return False


__all__ = ["Checked", "INTENTS", "LINE_TRIGGERS", "check_document"]
