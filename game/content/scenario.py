"""Scenarios (``scenarios/*.yaml``, formats 1 and 2): loading and checking.

Format 2 lists the officers (``officers:``, partner officers included) where format 1 has
one ``trainee:``; see :mod:`game.content.scenario_officers`.

:func:`load_scenario` returns the core's :class:`~game.core.scenario.ScenarioDef`
(with shared profiles merged and subtrees inlined); :func:`check_scenario` returns
every problem of a file (and of the libraries, scene and script it names) without
raising, for ``talkdown validate``. The checks themselves are in
:mod:`game.content.scenario_checks`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from game.content.call import build_call, call_problems
from game.content.document import Document, display_name, read_document
from game.content.errors import ContentError, Problem
from game.content.library import looks_like_path, resolve
from game.content.manifest import AssetEntry
from game.content.scenario_checks import Checked, check_document
from game.content.scenario_officers import SCENARIO_VERSIONS
from game.content.scenario_places import fact_problems, placement_problems
from game.content.scene import SceneDef, load_scene
from game.content.script import load_script, reference_problems, subject_lines
from game.core.drivers import TraineeScript
from game.core.knowledge import FactDef
from game.core.scenario import (
    DEFAULT_INTENT_EFFECTS,
    DEFAULT_SENSITIVITY,
    Arrival,
    BranchDef,
    EndingDef,
    Line,
    LookFor,
    OfficerDef,
    PartnerDef,
    Profile,
    ScenarioDef,
    SubjectDef,
)

SCHEMA = ("scenarios", "schema.json")
DEFAULT_APPEARANCE = "placeholder_humanoid"


@dataclass(frozen=True, slots=True)
class LoadedScenario:
    """A scenario with what it refers to, all checked."""

    scenario: ScenarioDef
    scene: SceneDef
    default_script: TraineeScript | None
    path: Path
    warnings: tuple[Problem, ...] = ()


def load_scenario(path: str | os.PathLike[str], *, manifest: Mapping[str, AssetEntry] | None = None) -> LoadedScenario:
    """Reads a scenario, its libraries, scene and default script; the subjects' appearances and
    the scene's assets are names in ``manifest`` (the installed one by default).
    Raises :class:`ContentError`."""
    doc = read_document(path, kind="scenario", schema=SCHEMA, versions=(SCENARIO_VERSIONS[0], SCENARIO_VERSIONS[-1]))
    checked = check_document(doc, manifest)
    scene, script, ref_problems = _load_references(doc, manifest)
    problems = _unique(checked.problems + ref_problems)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentError(problems)
    assert scene is not None
    scenario = dataclasses.replace(_build(doc, checked), bounds=scene.bounds, obstacles=scene.footprints)
    return LoadedScenario(scenario, scene, script, Path(path), tuple(problems))


def check_scenario(path: str | os.PathLike[str], *, manifest: Mapping[str, AssetEntry] | None = None) -> list[Problem]:
    """Every problem (errors, and warnings such as lines never said) of a scenario file and
    the files it names; empty when it is good."""
    try:
        return list(load_scenario(path, manifest=manifest).warnings)
    except ContentError as err:
        return err.problems


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _load_references(doc: Document, manifest: Mapping[str, AssetEntry] | None
                     ) -> tuple[SceneDef | None, TraineeScript | None, list[Problem]]:
    d, loc = doc.data, doc.locations
    problems: list[Problem] = []
    scene = script = None
    scene_path = resolve(d["scene"], "scenes", relative_to=doc.path)
    if not scene_path.is_file():
        problems.append(loc.problem(("scene",), f"no scene '{d['scene']}' ({display_name(scene_path)} does not exist)"))
    else:
        try:
            scene = load_scene(scene_path, manifest=manifest)
        except ContentError as err:
            problems.append(loc.problem(("scene",), f"scene '{d['scene']}' has {len(err.problems)} problem(s), listed below"))
            problems += err.problems
        else:
            problems += placement_problems(d, loc, scene.id, scene.bounds, scene.footprints)
    problems += fact_problems(d, loc)
    problems += call_problems(d, loc)
    if "default_script" in d:
        name = d["default_script"]
        script_path = (resolve(name, "scenarios", relative_to=doc.path) if looks_like_path(name)
                       else Path(doc.path).parent / "scripts" / f"{name}.yaml")
        if not script_path.is_file():
            problems.append(loc.problem(("default_script",), f"no script at {display_name(script_path)}"))
        else:
            try:
                script = load_script(script_path)
            except ContentError as err:
                problems.append(loc.problem(("default_script",), f"script has {len(err.problems)} problem(s), listed below"))
                problems += err.problems
            else:
                found = reference_problems(script_path, [s["id"] for s in d["subjects"]],
                                           [b["id"] for b in d.get("branches", [])], subject_lines(d))
                if found:
                    problems.append(loc.problem(("default_script",), f"script names {len(found)} thing(s) this scenario lacks, listed below"))
                    problems += found
    return scene, script, problems


def content_sha256(raw: bytes) -> str:
    """Checksum of a content file's text, the same for CRLF and LF line endings (a Windows
    checkout must journal the same scenario checksum as a Linux one)."""
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


def _frozen(value: Any) -> Any:
    """Deep read-only copy of checked data (the core must not be able to change content)."""
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _lines(value: Any) -> tuple[str | Line, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(v if isinstance(v, str) else Line(v["text"], v.get("audio", ""), gesture=v.get("gesture", ""),
                                                     narration=bool(v.get("narration", False))) for v in items)


def _fact(f: dict[str, Any]) -> FactDef:
    return FactDef(id=f["id"], tells=f.get("tells", ""), asked_by=tuple(f.get("asked_by", ())),
                   words=tuple(w.lower() for w in f.get("words", ())), trust=float(f.get("trust", 0.0)),
                   calm=float(f.get("calm", 1.0)), refuses=f.get("refuses", ""), lie=f.get("lie", ""),
                   doesnt_know=f.get("doesnt_know", ""), narration=bool(f.get("narration", False)))


def build_profile(p: dict[str, Any]) -> Profile:
    """The core's :class:`Profile` from a resolved profile mapping."""
    floats = ("baseline_agitation", "baseline_trust", "comfort_distance", "repeat_damping", "recovery",
              "memory", "walk_speed", "run_speed", "pace_radius")
    kwargs: dict[str, Any] = {k: float(p[k]) for k in floats if k in p}
    if "sensitivity" in p:
        kwargs["sensitivity"] = MappingProxyType({**DEFAULT_SENSITIVITY, **{k: float(v) for k, v in p["sensitivity"].items()}})
    if "intent_effects" in p:
        effects = dict(DEFAULT_INTENT_EFFECTS)
        effects.update({k: (float(v[0]), float(v[1])) for k, v in p["intent_effects"].items()})
        kwargs["intent_effects"] = MappingProxyType(effects)
    if "postures" in p:
        kwargs["postures"] = tuple((float(s["from"]), s["posture"]) for s in p["postures"])
    for key in ("triggers", "calmed_by", "goals"):
        if key in p:
            kwargs[key] = tuple(p[key])
    if "weapon" in p:
        kwargs["weapon"] = p["weapon"]
    if "weapon_name" in p:
        kwargs["weapon_name"] = str(p["weapon_name"]).strip()
    if "concealed" in p:
        kwargs["concealed"] = bool(p["concealed"])
    return Profile(**kwargs)


def _officer(number: int, o: dict[str, Any], checked: Checked) -> OfficerDef:
    partner = None
    if "partner" in o:
        p, a = o["partner"], o["partner"].get("arrives", {})
        on_call = a.get("on_call", ())
        arrival = Arrival(at=float(a["at"]) if "at" in a else (None if on_call else 0.0),
                          on_call=(on_call,) if isinstance(on_call, str) else tuple(on_call), after=float(a.get("after", 0.0)))
        partner = PartnerDef(tree=_frozen(checked.trees.get(f"partner:{number}")),
                             lines=MappingProxyType({k: _lines(v) for k, v in p.get("lines", {}).items()}),
                             arrives=arrival, watches=p.get("watches", ""))
    return OfficerDef(number=number, position=(float(o["position"][0]), float(o["position"][1])),
                      heading=float(o.get("heading", 0.0)), name=o.get("name", "" if number == 1 else f"Officer {number}"),
                      appearance=o.get("appearance", ""), partner=partner)


def _build(doc: Document, checked: Checked) -> ScenarioDef:
    d = doc.data
    trainee = d.get("trainee", {})
    subjects = tuple(
        SubjectDef(
            id=s["id"],
            name=s.get("name", s["id"]),
            position=(float(s["position"][0]), float(s["position"][1])),
            heading=float(s.get("heading", 180.0)),
            appearance=s.get("appearance", DEFAULT_APPEARANCE),
            profile=build_profile(checked.profiles[s["id"]]),
            lines=MappingProxyType({k: _lines(v) for k, v in s.get("lines", {}).items()}),
            tree=_frozen(checked.trees.get(f"main:{s['id']}")),
            facts=tuple(s.get("facts", ())),
            knows=tuple(_fact(f) for f in s.get("knows", ())),
        )
        for s in d["subjects"]
    )
    branches = tuple(
        BranchDef(
            id=b["id"],
            subject=b["subject"],
            tree=_frozen(checked.trees[f"branch:{b['id']}"]),
            description=b.get("description", ""),
            when=_frozen(b.get("when")),
            until=_frozen(b.get("until")),
            entered_from=tuple(b.get("from", ("main",))),
            forced_only=bool(b.get("forced_only", False)),
        )
        for b in d.get("branches", [])
    )
    endings = tuple(
        EndingDef(id=e["id"], outcome=e["outcome"], when=_frozen(e.get("when")), subject=e.get("subject", ""),
                  description=e.get("description", ""))
        for e in d["endings"]
    )
    look_for = tuple(
        LookFor(id=lf["id"], text=lf["text"], expect=_frozen(lf.get("expect")), subject=lf.get("subject", ""))
        for lf in d.get("review", {}).get("look_for", [])
    )
    officers = tuple(_officer(i + 1, o, checked) for i, o in enumerate(d.get("officers", [])))
    if officers:
        trainee = {"position": officers[0].position, "heading": officers[0].heading}
    tp = trainee.get("position", (0.0, -10.0))
    return ScenarioDef(
        id=d["id"],
        title=d["title"],
        scene=d["scene"],
        subjects=subjects,
        endings=endings,
        branches=branches,
        look_for=look_for,
        briefing=d.get("briefing", "").strip(),
        trainee_position=(float(tp[0]), float(tp[1])),
        trainee_heading=float(trainee.get("heading", 0.0)),
        time_limit=float(d.get("time_limit", 300.0)),
        default_script=d.get("default_script", ""),
        voice=MappingProxyType({k: tuple(v) for k, v in d.get("voice", {}).items()}),
        officers=officers,
        format_version=d["format_version"],
        source=doc.path,
        sha256=content_sha256(doc.raw),
        call=build_call(d["call"], d.get("briefing", "")) if "call" in d else None,
    )
