"""Scenario format 1 (``scenarios/*.yaml``): loading and checking.

:func:`load_scenario` returns the core's :class:`~game.core.scenario.ScenarioDef`;
:func:`check_scenario` returns every problem of a file (and of the scene and
script it names) without raising, for ``talkdown validate``.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from game.content.document import Document, display_name, read_document
from game.content.errors import ContentError, Problem
from game.content.library import resolve
from game.content.manifest import load_manifest
from game.content.scene import SceneDef, load_scene
from game.content.script import load_script
from game.core.drivers import TraineeScript
from game.core.events import INTENTS
from game.core.scenario import DEFAULT_INTENT_EFFECTS, GOALS, EndingDef, Profile, ScenarioDef, SubjectDef

SCHEMA = ("scenarios", "schema.json")
DEFAULT_APPEARANCE = "placeholder_humanoid"

#: Keys of a subject's ``lines`` besides the intents it replies to.
LINE_TRIGGERS = ("reply", "reply_agitated", "crowded") + tuple(f"goal_{g}" for g in GOALS if g != "stay")


@dataclass(frozen=True, slots=True)
class LoadedScenario:
    """A scenario with what it refers to, all checked."""

    scenario: ScenarioDef
    scene: SceneDef
    default_script: TraineeScript | None
    path: Path


def load_scenario(path: str | os.PathLike[str]) -> LoadedScenario:
    """Reads a scenario, its scene and its default script. Raises :class:`ContentError`."""
    doc = read_document(path, kind="scenario", schema=SCHEMA)
    problems = _semantic_problems(doc)
    scene, script, ref_problems = _load_references(doc)
    problems += ref_problems
    if problems:
        raise ContentError(problems)
    assert scene is not None
    return LoadedScenario(_build(doc), scene, script, Path(path))


def check_scenario(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of a scenario file and the files it names; empty when it is good."""
    try:
        load_scenario(path)
    except ContentError as err:
        return err.problems
    return []


def _semantic_problems(doc: Document) -> list[Problem]:
    d, loc = doc.data, doc.locations
    manifest = load_manifest()
    problems: list[Problem] = []
    stem = Path(doc.path).stem
    if d["id"] != stem:
        problems.append(loc.problem(("id",), f"id '{d['id']}' differs from the file name '{stem}': scenarios are found by file name, so make them the same"))
    subject_ids: list[str] = []
    for i, s in enumerate(d["subjects"]):
        if s["id"] in subject_ids:
            problems.append(loc.problem(("subjects", i, "id"), f"subject id '{s['id']}' is used twice"))
        subject_ids.append(s["id"])
        known = set(INTENTS) | set(LINE_TRIGGERS)
        for key in s.get("lines", {}):
            if key not in known:
                close = difflib.get_close_matches(key, sorted(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else f" (use an intent or one of {', '.join(LINE_TRIGGERS)})"
                problems.append(loc.problem(("subjects", i, "lines", key), f"'{key}' is not something a subject replies to{hint}"))
        appearance = s.get("appearance", DEFAULT_APPEARANCE)
        characters = sorted(n for n, a in manifest.items() if a.kind == "character")
        if appearance not in characters:
            close = difflib.get_close_matches(appearance, characters, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"characters: {', '.join(characters)}"
            problems.append(loc.problem(("subjects", i, "appearance"),
                                        f"no character '{appearance}' in assets/manifest.yaml ({hint})"))
        ladder = s.get("profile", {}).get("postures")
        if ladder:
            froms = [step["from"] for step in ladder]
            if froms != sorted(froms, reverse=True):
                problems.append(loc.problem(("subjects", i, "profile", "postures"), "list the posture ladder from the highest 'from' to the lowest"))
            if froms[-1] != 0:
                problems.append(loc.problem(("subjects", i, "profile", "postures", len(ladder) - 1, "from"), "the last posture must start 'from: 0' so every agitation has a posture"))
    ending_ids: list[str] = []
    for i, e in enumerate(d["endings"]):
        if e["id"] in ending_ids:
            problems.append(loc.problem(("endings", i, "id"), f"ending id '{e['id']}' is used twice"))
        ending_ids.append(e["id"])
        if "subject" in e and e["subject"] not in subject_ids:
            problems.append(loc.problem(("endings", i, "subject"), f"no subject '{e['subject']}' (subjects: {', '.join(subject_ids)})"))
    if not any(e["outcome"] == "resolved_peacefully" for e in d["endings"]):
        problems.append(loc.problem(("endings",), "no ending resolves peacefully: add one with 'outcome: resolved_peacefully'"))
    return problems


def _load_references(doc: Document) -> tuple[SceneDef | None, TraineeScript | None, list[Problem]]:
    d, loc = doc.data, doc.locations
    problems: list[Problem] = []
    scene = script = None
    scene_path = resolve(d["scene"], "scenes", relative_to=doc.path)
    if not scene_path.is_file():
        problems.append(loc.problem(("scene",), f"no scene '{d['scene']}' ({display_name(scene_path)} does not exist)"))
    else:
        try:
            scene = load_scene(scene_path)
        except ContentError as err:
            problems.append(loc.problem(("scene",), f"scene '{d['scene']}' has {len(err.problems)} problem(s), listed below"))
            problems += err.problems
    if "default_script" in d:
        script_path = resolve(d["default_script"], "scenarios", relative_to=doc.path)
        if not script_path.is_file():
            problems.append(loc.problem(("default_script",), f"no script at {display_name(script_path)}"))
        else:
            try:
                script = load_script(script_path)
            except ContentError as err:
                problems.append(loc.problem(("default_script",), f"script has {len(err.problems)} problem(s), listed below"))
                problems += err.problems
    return scene, script, problems


def content_sha256(raw: bytes) -> str:
    """Checksum of a content file's text, the same for CRLF and LF line endings (a Windows
    checkout must journal the same scenario checksum as a Linux one)."""
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


def _profile(p: dict[str, Any]) -> Profile:
    kwargs: dict[str, Any] = {k: float(v) for k, v in p.items() if k not in ("intent_effects", "postures")}
    if "intent_effects" in p:
        effects = dict(DEFAULT_INTENT_EFFECTS)
        effects.update({k: (float(v[0]), float(v[1])) for k, v in p["intent_effects"].items()})
        kwargs["intent_effects"] = MappingProxyType(effects)
    if "postures" in p:
        kwargs["postures"] = tuple((float(s["from"]), s["posture"]) for s in p["postures"])
    return Profile(**kwargs)


def _build(doc: Document) -> ScenarioDef:
    d = doc.data
    trainee = d.get("trainee", {})
    subjects = tuple(
        SubjectDef(
            id=s["id"],
            name=s.get("name", s["id"]),
            position=(float(s["position"][0]), float(s["position"][1])),
            heading=float(s.get("heading", 180.0)),
            appearance=s.get("appearance", DEFAULT_APPEARANCE),
            profile=_profile(s.get("profile", {})),
            lines=MappingProxyType(
                {k: (v,) if isinstance(v, str) else tuple(v) for k, v in s.get("lines", {}).items()}
            ),
        )
        for s in d["subjects"]
    )
    endings = tuple(
        EndingDef(
            id=e["id"],
            outcome=e["outcome"],
            goal=e["goal"],
            when=MappingProxyType(e["when"]),
            subject=e.get("subject", ""),
            description=e.get("description", ""),
        )
        for e in d["endings"]
    )
    tp = trainee.get("position", (0.0, -10.0))
    return ScenarioDef(
        id=d["id"],
        title=d["title"],
        scene=d["scene"],
        subjects=subjects,
        endings=endings,
        briefing=d.get("briefing", "").strip(),
        trainee_position=(float(tp[0]), float(tp[1])),
        trainee_heading=float(trainee.get("heading", 0.0)),
        time_limit=float(d.get("time_limit", 300.0)),
        default_script=d.get("default_script", ""),
        format_version=d["format_version"],
        source=doc.path,
        sha256=content_sha256(doc.raw),
    )
