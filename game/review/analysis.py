"""A run folder read back into the facts an instructor debriefs from: who did what when,
how the subject's state moved, distances kept, force used against the policy, the ICAT
steps and the scenario's ``look_for`` points. Engine-free and deterministic: the same
journal gives the same :class:`Review`.

A journal cut short (the process was killed) is reviewed up to its last complete line;
:attr:`Review.complete` says whether the session ended cleanly.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.core.events import WEAPONS as FORCE_TOOLS
from game.core.journal import read_journal
from game.core.policy import LEVELS, Policy, resistance_level
from game.core.scenario import PEACEFUL_OUTCOMES, ScenarioDef
from game.review import icat
from game.review.team import HOW as INTERVENTION_HOW, TeamReview, narrative as team_narrative, team_review
from game.review.words import metres
from game.review.icat import ICAT_STEPS  # noqa: F401  (the report's import)
from game.review.subjects import SHOUT_SENSITIVE, SubjectFacts, and_list, provocation_text, provocations, subject_facts

#: The reactionary gap (Tueller, 1983: about 6.4 m closed in about 1.5 s).
GAP = 6.4
#: With an edged weapon or a bat in hand: the gap plus a margin for reacting to it.
GAP_ARMED = 7.5
#: Input types that are the instructor's interventions when journaled with ``source: instructor``.
INSTRUCTOR_INPUTS = frozenset({"Escalate", "Calm", "ForceBranch", "Mark", "Pause", "Resume", "Restart", "EndSession",
                               "Puppet", "SpeakAs"})


@dataclass
class TimelineEntry:
    time: float
    who: str  # trainee, instructor, subject id, or "sim"
    kind: str  # the event type
    text: str
    #: a recording the entry plays, relative to the run folder (the instructor's ``SpeakAs``)
    audio: str = ""


@dataclass
class ForceUse:
    time: float
    tool: str
    action: str  # "used", "drawn", "touched"
    subject: str
    level: str
    conditions: list[str]
    allowed: bool
    reason: str
    result: str = ""
    #: Within policy, but the subject's facts (confused, elderly, juvenile, deaf) call for restraint: they, in words.
    caution: str = ""


@dataclass
class Review:
    run_dir: str
    scenario_id: str
    title: str
    seed: int
    software: str
    trainee: str
    instructor: str
    complete: bool
    duration: float
    ending: str
    outcome: str
    finish_reason: str
    policy_title: str
    timeline: list[TimelineEntry] = field(default_factory=list)
    #: per subject id: lists of (time, value)
    agitation: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    trust: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    distance: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    level: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    #: (time, tool) while a hand holds a tool, one per sample
    tools_out: list[tuple[float, str]] = field(default_factory=list)
    first_words: str = ""
    first_words_time: float | None = None
    first_45_words: str = ""
    time_inside_gap: float = 0.0
    closest: float | None = None
    armed_present: bool = False
    time_inside_armed_gap: float = 0.0
    closest_armed: float | None = None
    #: Seconds inside the reactionary gap (:data:`GAP`) while an edged weapon or a bat was out.
    armed_inside_gap: float = 0.0
    #: Per subject id: seconds the trainee was inside its comfort distance (crowding it), and the closest.
    crowding: dict[str, float] = field(default_factory=dict)
    closest_to: dict[str, float] = field(default_factory=dict)
    #: Seconds too close: inside the gap with a weapon out, or inside a subject's comfort distance (the score's).
    time_too_close: float = 0.0
    subjects: dict[str, SubjectFacts] = field(default_factory=dict)
    #: The weapons seen out (edged or a bat), by the scenario's name for them ("screwdriver").
    armed_names: list[str] = field(default_factory=list)
    first_words_tone: str = ""
    #: The call's review (game.review.call.CallReview) when a dispatcher took the call.
    call: Any = None
    #: When the scene started: the unit's arrival after a dispatcher's call (else 0).
    scene_start: float = 0.0
    first_words_intent: str = ""
    #: Escalations that followed the trainee's own action within a few seconds (see game/review/subjects.py).
    provocations: list[Any] = field(default_factory=list)
    force: list[ForceUse] = field(default_factory=list)
    icat: dict[int, list[str]] = field(default_factory=dict)
    look_for: list[dict[str, Any]] = field(default_factory=list)
    #: what the subjects told when asked: {subject, fact, answer, text, time, times_asked} (the last answer per fact)
    found_out: list[dict[str, Any]] = field(default_factory=list)
    #: per subject id: the facts it knew that the trainee never asked about
    never_asked: dict[str, list[str]] = field(default_factory=dict)
    went_well: list[str] = field(default_factory=list)
    work_on: list[str] = field(default_factory=list)
    key_moments: list[tuple[float, str]] = field(default_factory=list)
    frames: list[dict[str, Any]] = field(default_factory=list)
    instructor_actions: int = 0
    warnings: list[str] = field(default_factory=list)
    #: Partner officers, the trainee's lead and the duty to intervene (None: no partner officer).
    team: TeamReview | None = None

    def officer_actions(self) -> dict[str, list[TimelineEntry]]:
        """Each officer's own inputs on the timeline, by seat (``officer:1`` is the journal's
        ``trainee``), in seat order: who said, drew, used and touched what."""
        out: dict[str, list[TimelineEntry]] = {}
        for entry in self.timeline:
            seat = "officer:1" if entry.who == "trainee" else entry.who
            if seat.startswith("officer:"):
                out.setdefault(seat, []).append(entry)
        return dict(sorted(out.items(), key=lambda kv: int(kv[0].split(":")[1])))
    #: A replay branch's origin (``run.json``'s ``branched_from``: run_id, step, time), else None.
    branched_from: dict[str, Any] | None = None

    @property
    def score(self) -> int:
        """0-100: look_for points met, force within policy, peaceful ending, distance kept (out of the
        reactionary gap of an armed subject, out of every subject's comfort distance)."""
        parts: list[float] = []
        if self.look_for:
            parts.append(sum(1 for x in self.look_for if x["met"]) / len(self.look_for))
        if self.force:
            parts.append(sum(1 for f in self.force if f.allowed) / len(self.force))
        parts.append(1.0 if self.outcome in PEACEFUL_OUTCOMES else 0.0)
        scene = self.duration - self.scene_start  # the call before the scene does not count
        if scene > 0:
            parts.append(1.0 - min(1.0, self.time_too_close / scene))
        if self.team is not None and self.team.score is not None:
            parts.append(self.team.score)  # the duty to intervene: each episode stopped, and how soon
        return round(100 * sum(parts) / len(parts))


def read_run(run_dir: str | Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The journal's complete records and ``run.json`` (empty if missing or unreadable)."""
    run_dir = Path(run_dir)
    records = read_journal(run_dir / "journal.jsonl")
    try:
        info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = {}
    return records, info


def frames_on_disk(run_dir: str | Path, hz: float) -> list[dict[str, Any]]:
    """The frames a run saved, read from ``frames/`` when ``run.json`` does not list them (the
    process was killed before it could): ``frame_<step>.png`` gives the step and the time."""
    found = []
    for path in sorted(Path(run_dir, "frames").glob("frame_*.png")):
        try:
            step = int(path.stem.split("_")[1])
        except (IndexError, ValueError):
            continue
        found.append({"file": f"frames/{path.name}", "step": step, "time": round(step / hz, 6)})
    return found


def _facts(scenario: ScenarioDef, subject_id: str, branch: str) -> dict[str, Any]:
    sdef = next((s for s in scenario.subjects if s.id == subject_id), None)
    if sdef is None:
        return {"scenarios": (scenario.id,), "branches": (branch,)}
    return {"scenarios": (scenario.id,), "appearances": (sdef.appearance,), "triggers": tuple(sdef.profile.triggers),
            "branches": (branch,), "facts": sdef.facts}


def analyse(run_dir: str | Path, scenario: ScenarioDef, policy: Policy) -> Review:
    """Reads a run folder and returns its :class:`Review`. Raises ``ValueError`` for an empty journal."""
    records, info = read_run(run_dir)
    if not records or records[0].get("type") != "SessionStarted":
        raise ValueError(f"{run_dir}: the journal has no SessionStarted line (nothing was recorded)")
    start = records[0]
    last = records[-1]
    complete = last.get("type") == "SessionEnded"
    ended = next((r for r in records if r["type"] == "ScenarioEnded"), None)
    rv = Review(
        run_dir=str(run_dir), scenario_id=start["scenario"], title=scenario.title, seed=int(start["seed"]),
        software=start.get("software", "") or info.get("talkdown_version", ""),
        trainee=start.get("trainee", "") or info.get("trainee", ""),
        instructor=start.get("instructor", "") or info.get("instructor", ""),
        complete=complete, duration=float(last["time"]),
        ending=ended["ending"] if ended else "", outcome=ended["outcome"] if ended else "",
        finish_reason=last.get("reason", "") if complete else "cut short (no SessionEnded: the process died)",
        policy_title=policy.title, frames=list(info.get("frames", [])) or frames_on_disk(run_dir, float(start.get("hz", 90))),
    )
    if start.get("scenario_sha256") and scenario.sha256 and start["scenario_sha256"] != scenario.sha256:
        rv.warnings.append("the scenario file has changed since this session was recorded (checksums differ)")
    weapons = {s.id: s.profile.weapon for s in scenario.subjects}
    rv.subjects = subject_facts(scenario, policy)
    _walk(records, rv, scenario, policy, weapons)
    if isinstance(info.get("branched_from"), dict):
        _branched(rv, info["branched_from"])
    _look_for(records, rv, scenario)
    _knowledge(records, rv, scenario)
    rv.team = team_review(records)
    rv.provocations = provocations(records)
    rv.icat = icat.tag(records, closest=rv.closest, time_inside_gap=rv.time_inside_gap, gap=GAP,
                       armed_present=rv.armed_present, closest_armed=rv.closest_armed,
                       time_inside_armed_gap=rv.time_inside_armed_gap, armed_gap=GAP_ARMED, force=rv.force,
                       subjects=rv.subjects, armed_inside_gap=rv.armed_inside_gap, crowding=rv.crowding,
                       closest_to=rv.closest_to, provocations=rv.provocations)
    _narrative(rv, scenario)
    if start.get("dispatcher") and scenario.call is not None:  # a dispatcher took the call (issue 19)
        from game.review.call import review_call

        rv.call = review_call(records, scenario.call, {lf.id: lf.text for lf in scenario.look_for})
        rv.scene_start = rv.call.arrived_at if rv.call.arrived_at is not None else rv.duration
    return rv


def _walk(records: list[dict[str, Any]], rv: Review, scenario: ScenarioDef, policy: Policy, weapons: dict[str, str]) -> None:
    samples: dict[str, dict[str, Any]] = {}
    trainee_pos: tuple[float, float] | None = None
    attacked: dict[str, tuple[float, str]] = {}
    branches: dict[str, str] = {}
    last_t = None
    words: list[str] = []
    for r in records:
        t, kind, src = float(r["time"]), r["type"], r.get("source", "sim")
        if kind == "StateSampled":
            dt = 0.0 if last_t is None else t - last_t
            last_t = t
            tp = r["trainee"]["position"]
            trainee_pos = (tp[0], tp[1])
            for tool in r["trainee"].get("hands", {}).values():
                if tool:
                    rv.tools_out.append((t, tool))
            nearest = None
            too_close = False
            for s in r["subjects"]:
                sid = s["id"]
                samples[sid] = s
                d = math.dist(trainee_pos, s["position"])
                rv.agitation.setdefault(sid, []).append((t, s["agitation"]))
                rv.trust.setdefault(sid, []).append((t, s["trust"]))
                rv.distance.setdefault(sid, []).append((t, round(d, 3)))
                at, aw = attacked.get(sid, (None, "none"))
                rv.level.setdefault(sid, []).append(
                    (t, resistance_level(s, weapon=weapons.get(sid, "none"), attacked_at=at, attack_weapon=aw, now=t)))
                nearest = d if nearest is None else min(nearest, d)
                rv.closest_to[sid] = min(d, rv.closest_to.get(sid, d))
                facts = rv.subjects.get(sid)
                if facts is not None and d < facts.comfort:
                    rv.crowding[sid] = rv.crowding.get(sid, 0.0) + dt
                    too_close = True
                if s.get("weapon_out") and weapons.get(sid) in ("knife", "bat"):
                    rv.armed_present = True
                    name = facts.weapon_name if facts is not None else weapons[sid]
                    if name not in rv.armed_names:
                        rv.armed_names.append(name)
                    rv.closest_armed = d if rv.closest_armed is None else min(rv.closest_armed, d)
                    if d < GAP_ARMED:
                        rv.time_inside_armed_gap += dt
                    if d < GAP:
                        rv.armed_inside_gap += dt
                        too_close = True
            if too_close:
                rv.time_too_close += dt
            if nearest is not None:
                rv.closest = nearest if rv.closest is None else min(rv.closest, nearest)
                if nearest < GAP:
                    rv.time_inside_gap += dt
            continue
        if kind in ("Move", "HandMove", "SubjectReacted"):
            continue
        # a seat (trainee = officer 1), a subject, or a partner officer (its seat)
        who = src if src != "sim" else r.get("subject") or r.get("officer") or "sim"
        text = _describe(r, rv)
        if src == "instructor" and kind in INSTRUCTOR_INPUTS | {"Say", "Draw", "Use", "Touch"}:
            rv.instructor_actions += 1
        rv.timeline.append(TimelineEntry(t, who, kind, text, r.get("audio", "") if kind == "SpeakAs" else ""))
        if kind in ("Say", "SpeechHeard") and src == "trainee" and (kind == "Say" or r.get("text")):
            # the trainee's own words, understood or not (speech journals its transcript)
            if rv.first_words_time is None:
                rv.first_words_time = t
                rv.first_words = r.get("text") or r["intent"].replace("_", " ")
                rv.first_words_tone, rv.first_words_intent = r.get("tone", ""), r.get("intent", "")
            if len(words) < 45:
                words.extend((r.get("text") or "").split())
        elif kind == "SubjectAttacked":
            attacked[r["subject"]] = (t, r.get("weapon", "none"))
            armed = r.get("weapon", "none") not in ("", "none")
            rv.key_moments.append((t, f"{r['subject']} attacked {r['target']}"
                                   + (f" with the {_weapon_name(rv, r['subject'], r['weapon'])}" if armed else "")))
        elif kind in ("SubjectPushedPast", "SubjectGrappled"):
            rv.key_moments.append((t, f"{r['subject']} {_describe(r, rv)}"))
        elif kind == "BranchEntered":
            branches[r["subject"]] = r["branch"]
            rv.key_moments.append((t, f"{r['subject']}: branch {r['branch']}"))
        elif kind == "Draw" and r["tool"] in FORCE_TOOLS:
            _force(rv, policy, scenario, samples, weapons, attacked, branches, trainee_pos, t, r["tool"], "drawn", "")
        elif kind == "ToolUsed" and r.get("force"):
            _force(rv, policy, scenario, samples, weapons, attacked, branches, trainee_pos, t, r["tool"], "used",
                   r.get("hit", ""))
        elif kind == "SubjectTouched":
            _force(rv, policy, scenario, samples, weapons, attacked, branches, trainee_pos, t, "touch", "touched",
                   r["subject"])
        elif kind == "SubjectReactedToForce":
            for f in reversed(rv.force):
                if f.tool == r["tool"] and f.action == "used":
                    f.result = f"{r['reaction']}" + (f" ({r['detail']})" if r.get("detail") else "")
                    break
        elif kind == "ScenarioEnded":
            rv.key_moments.append((t, f"ending: {r['ending']} ({r['outcome']})"))
        elif kind == "OfficerUsedForce" or (kind == "OfficerSaid" and r.get("conduct")):
            rv.key_moments.append((t, f"{r['officer']}: {r.get('conduct') or 'force'}"))
        elif kind == "OfficerIntervened" and r.get("reached") and r.get("needed"):
            rv.key_moments.append((t, f"{r['intervener']} stepped in on {r['officer']}"))
    rv.first_45_words = " ".join(words[:45])
    rv.time_inside_gap = round(rv.time_inside_gap, 2)
    rv.time_inside_armed_gap = round(rv.time_inside_armed_gap, 2)
    rv.armed_inside_gap = round(rv.armed_inside_gap, 2)
    rv.time_too_close = round(rv.time_too_close, 2)
    rv.crowding = {k: round(v, 2) for k, v in rv.crowding.items()}
    if rv.first_words_time is not None:
        rv.key_moments.insert(0, (rv.first_words_time, "first words"))
    rv.key_moments.sort(key=lambda m: m[0])


def _branched(rv: Review, origin: dict[str, Any]) -> None:
    """Marks where a replay branch took over from its recording (the time line and the key moments)."""
    rv.branched_from = origin
    t = float(origin.get("time", 0.0))
    text = f"a replay branch of {origin.get('run_id', '?')}: the recording's inputs before, another choice from here"
    at = next((i for i, entry in enumerate(rv.timeline) if entry.time >= t), len(rv.timeline))
    rv.timeline.insert(at, TimelineEntry(t, "sim", "Branched", text))
    rv.key_moments.append((t, "branched: another choice from here"))
    rv.key_moments.sort(key=lambda m: m[0])


def _force(rv: Review, policy: Policy, scenario: ScenarioDef, samples: dict[str, dict[str, Any]], weapons: dict[str, str],
           attacked: dict[str, tuple[float, str]], branches: dict[str, str], trainee_pos: tuple[float, float] | None,
           t: float, tool: str, action: str, target: str) -> None:
    if not samples:  # before the first sample: the subjects as the scenario starts them
        samples = {s.id: {"id": s.id, "position": list(s.position), "posture": "relaxed", "activity": "idle",
                          "goal": s.profile.goals[0] if s.profile.goals else "stay", "compliance": 0.0,
                          "weapon_out": s.profile.weapon != "none" and not s.profile.concealed} for s in scenario.subjects}
    if not samples:
        return
    sid = target if target in samples else min(
        samples, key=lambda k: math.dist(trainee_pos or (0.0, 0.0), samples[k]["position"]))
    at, aw = attacked.get(sid, (None, "none"))
    level = resistance_level(samples[sid], weapon=weapons.get(sid, "none"), attacked_at=at, attack_weapon=aw, now=t)
    facts = _facts(scenario, sid, branches.get(sid, ""))
    verdict = policy.verdict(tool, level, facts, drawn=action == "drawn")
    restraint = rv.subjects[sid].restraint if sid in rv.subjects else ()
    rv.force.append(ForceUse(t, tool, action, sid, level, policy.conditions_holding(facts), verdict.allowed, verdict.reason,
                             caution=and_list(restraint) if verdict.allowed and restraint else ""))
    rv.key_moments.append((t, option_words(rv.force[-1])))


def _name(rv: Review | None, sid: str) -> str:
    """A subject's name for the timeline (its id when the review has no facts of it)."""
    facts = rv.subjects.get(sid) if rv is not None else None
    return facts.name if facts is not None and facts.name else sid


def _weapon_name(rv: Review, sid: str, kind: str) -> str:
    """The scenario's name for ``sid``'s weapon of ``kind`` ("screwdriver"), else the kind."""
    facts = rv.subjects.get(sid)
    return facts.weapon_name if facts is not None and facts.weapon == kind and facts.weapon_name else kind.replace("_", " ")


def _describe(r: dict[str, Any], rv: Review | None = None) -> str:
    k = r["type"]
    if k == "SubjectWeaponChanged" and rv is not None:
        name = _weapon_name(rv, r["subject"], r["weapon"])
        return f"drew the {name}" if r["out"] else f"{'dropped' if r.get('dropped') else 'put away'} the {name}"
    if k == "SubjectAttacked" and rv is not None:
        armed = r.get("weapon", "none") not in ("", "none")
        with_ = f" with the {_weapon_name(rv, r['subject'], r['weapon'])}" if armed else ""
        return f"struck at {r['target']}{with_}: {'hit' if r.get('hit') else 'missed'}"
    if k == "SubjectPushedPast":
        return f"pushed past {r['officer']}"
    if k == "SubjectGrappled":
        return f"grappled {r['officer']} ({r['seconds']:g} s)"
    if k == "Say":
        sure = r.get("confidence", 1.0)
        how = r["tone"] + (f", {sure:.0%} sure" if sure < 1.0 else "")
        return f"{r['intent'].replace('_', ' ')} ({how}): “{r.get('text', '')}”" if r.get("text") else \
            f"{r['intent'].replace('_', ' ')} ({how})"
    if k == "SpeechHeard":
        return f"not understood ({r.get('tone', 'normal')}): “{r['text']}”" if r.get("text") else \
            f"not understood ({r.get('tone', 'normal')})"
    if k == "SubjectSaid":
        by = {"puppet": " (the instructor's pick)", "voice": " (the instructor's voice)"}.get(r.get("instructor", ""), "")
        return f"“{r['text']}”{by}"
    if k == "Puppet":
        return f"made {_name(rv, r['subject'])} say its line '{r['line']}'"
    if k == "SpeakAs":
        who = "dispatch (the radio)" if r["voice"] == "dispatch" else _name(rv, r["voice"])
        said = f"spoke as {who}: “{r['text']}”" if r.get("understood") else r["text"]
        return f"{said} ({float(r.get('seconds', 0.0)):.1f} s, recording {r['audio']})" if r.get("audio") else said
    if k == "OfficerSaid":
        conduct = f" ({r['conduct']})" if r.get("conduct") else ""
        return f"“{r['text']}”{conduct}"
    if k == "OfficerIntervened":
        how = INTERVENTION_HOW.get(r["how"], r["how"])
        state = "" if r.get("reached") and r.get("needed") else " — out of reach" if not r.get("reached") else \
            " — nothing to stop"
        return f"{r['intervener']} stepped in ({how}){state}"
    if k in ("Draw", "Holster", "LowReady", "Use"):
        return f"{k.lower()} {r.get('tool', '')} ({r.get('hand', '')} hand)".replace("  ", " ")
    skip = {"step", "time", "type", "source", "subject"}
    return ", ".join(f"{key}: {v}" for key, v in r.items() if key not in skip and v not in ("", None, [], {}))


def _knowledge(records: list[dict[str, Any]], rv: Review, scenario: ScenarioDef) -> None:
    """What the trainee found out (the last answer to each fact asked) and never asked."""
    last: dict[tuple[str, str], dict[str, Any]] = {}
    for r in records:
        if r["type"] == "SubjectAnswered":
            key = (r["subject"], r["fact"])
            prev = last.get(key)
            answer = r["answer"] if r["answer"] != "irritated" or prev is None else prev["answer"]
            text = r["text"] if r["answer"] != "irritated" or prev is None else prev["text"]
            last[key] = {"subject": r["subject"], "fact": r["fact"], "answer": answer, "text": text,
                         "time": float(r["time"]), "times_asked": int(r.get("times_asked", 1))}
    rv.found_out = sorted(last.values(), key=lambda x: x["time"])
    for s in scenario.subjects:
        missing = [f.id for f in s.knows if (s.id, f.id) not in last]
        if missing:
            rv.never_asked[s.id] = missing


def _look_for(records: list[dict[str, Any]], rv: Review, scenario: ScenarioDef) -> None:
    met = {r["look_for"]: float(r["time"]) for r in records if r["type"] == "LookForMet"}
    for lf in scenario.look_for:
        rv.look_for.append({"id": lf.id, "text": lf.text, "met": lf.id in met, "time": met.get(lf.id),
                            "automatic": lf.expect is not None})


def option_words(f: ForceUse) -> str:
    """"cew drawn", "oc spray used", "hands on" (a touch)."""
    return "hands on" if f.tool == "touch" else f"{f.tool.replace('_', ' ')} {f.action}"


def _narrative(rv: Review, scenario: ScenarioDef) -> None:
    good, work = rv.went_well, rv.work_on
    restrained = [f for f in rv.subjects.values() if SHOUT_SENSITIVE & set(f.restraint)]
    at_whom = and_list([f"{f.name} ({and_list([w for w in f.restraint if w in SHOUT_SENSITIVE])})" for f in restrained])
    if rv.first_words_time is not None:
        quote = f"“{rv.first_words}”"
        shout = rv.first_words_tone == "shout"
        command = rv.first_words_intent.startswith(icat.COMMANDS_PREFIX)
        if shout or (command and restrained):
            what = "shouted" if shout else "a command"
            work.append(f"First words after {rv.first_words_time:.1f} s were {what}"
                        + (f", at {at_whom}" if restrained else "") + f": {quote}.")
        else:
            (good if rv.first_words_time <= 10 else work).append(f"First words after {rv.first_words_time:.1f} s: {quote}.")
    else:
        work.append("The trainee never spoke to the subject.")
    shouted = [e for e in rv.timeline if e.who == "trainee" and e.kind == "Say" and "(shout)" in e.text]
    if shouted:
        line = f"Shouted {len(shouted)} time(s); the first at {shouted[0].time:.1f} s"
        if restrained:
            line += (f", at {at_whom}: shouted commands frighten and confuse someone who is "
                     f"{and_list(sorted({w for f in restrained for w in f.restraint if w in SHOUT_SENSITIVE}))}; "
                     "they do not bring compliance")
        work.append(line + ".")
    for p in rv.provocations[:3]:
        name = rv.subjects[p.subject].first_name if p.subject in rv.subjects else p.subject
        work.append(f"{name} escalated ({p.posture.replace('_', ' ')}) at {p.time:.1f} s: {provocation_text(p)}.")
    _distances(rv)
    for f in rv.force:
        option = option_words(f)
        if not f.allowed:
            work.append(f"{option} at {f.time:.1f} s: {f.reason}.")
        elif f.caution:
            who = rv.subjects[f.subject].name if f.subject in rv.subjects else f.subject
            work.append(f"{option} at {f.time:.1f} s on {who} was within the letter of the policy ({f.reason}), "
                        f"but {who.split()[0]} is {f.caution}: was it necessary and proportionate? "
                        "(ICAT: proportionality and the sanctity of life)")
    if rv.force and all(f.allowed and not f.caution for f in rv.force):
        good.append(f"All {len(rv.force)} force decision(s) were within policy.")
    if not rv.force:
        good.append("No force options were drawn or used.")
    met = [x for x in rv.look_for if x["met"]]
    missed = [x for x in rv.look_for if not x["met"] and x["automatic"]]
    for x in met:
        said = next((e for e in rv.timeline if e.who == "trainee" and e.kind == "Say" and abs(e.time - x["time"]) < 0.05), None)
        if said is not None and "(shout)" in said.text:  # met by its words, but shouted: not what the author meant
            work.append(f"{x['text'].rstrip('.')} — met only in its words at {x['time']:.1f} s: they were shouted "
                        f"({said.text.split(' (shout)')[0]}{said.text.split(' (shout)')[1]}).")
        else:
            good.append(f"{x['text']} (at {x['time']:.1f} s)")
    for x in missed:
        work.append(f"Not seen: {x['text']}")
    if rv.outcome:
        (good if rv.outcome in PEACEFUL_OUTCOMES else work).append(
            f"The scenario ended '{rv.ending}' ({rv.outcome.replace('_', ' ')}) at {_ended_at(rv):.1f} s.")
    if rv.team is not None:
        team_narrative(rv.team, good, work)
    if rv.instructor_actions:
        work.append(f"Note: the instructor intervened {rv.instructor_actions} time(s) (marked in the timeline); "
                    "weigh the outcome with that in mind.")
    if not rv.complete:
        work.append(f"The recording stops at {rv.duration:.1f} s without a clean end (the program was stopped or crashed).")


#: Seconds inside a subject's comfort distance that count as brief (a hand-over, separating two people).
BRIEF_CROWDING = 5.0


def _distances(rv: Review) -> None:
    """The distance statements: the reactionary gap where an edged weapon or a bat was out (outside
    it is good, whatever the margin), and each subject's comfort distance (inside it is crowding)."""
    good, work = rv.went_well, rv.work_on
    armed_ids = {sid for sid, f in rv.subjects.items() if f.weapon in ("knife", "bat")} if rv.armed_present else set()
    if rv.armed_present and rv.closest_armed is not None:
        names = and_list([f"the {n}" for n in rv.armed_names]) or "an edged weapon"
        closest = metres(rv.closest_armed, GAP, GAP_ARMED)
        if rv.armed_inside_gap > 0:
            work.append(f"With {names} out, {rv.armed_inside_gap:.1f} s inside the {GAP} m reactionary gap (closest {closest}): "
                        "distance and cover buy time.")
        else:
            line = f"With {names} out, the trainee stayed outside the {GAP} m reactionary gap throughout (closest {closest})."
            if rv.time_inside_armed_gap > 0:
                line += (f" At times within {GAP_ARMED} m (the gap plus a margin, {rv.time_inside_armed_gap:.1f} s): "
                         "more distance or cover would buy more time.")
            good.append(line)
    crowded = {sid: t for sid, t in rv.crowding.items() if t > 0 and sid not in armed_ids}
    for sid, t in crowded.items():
        f = rv.subjects[sid]
        text = (f"{t:.1f} s inside {f.first_name}'s comfort distance ({f.comfort:g} m; closest "
                f"{metres(rv.closest_to[sid], f.comfort)})")
        if t < BRIEF_CROWDING:
            good.append(f"Inside {f.first_name}'s comfort distance ({f.comfort:g} m) only briefly: {t:.1f} s, closest "
                        f"{metres(rv.closest_to[sid], f.comfort)}.")
        else:
            work.append(f"{text}: crowding raises agitation; more space buys time.")
    spaced = [f for sid, f in rv.subjects.items() if sid in rv.closest_to and sid not in armed_ids and sid not in crowded]
    if spaced:
        good.append("Gave " + and_list([f"{f.first_name} space (never inside {f.comfort:g} m; closest "
                                        f"{metres(rv.closest_to[f.id], f.comfort)})" for f in spaced]) + ".")


def _ended_at(rv: Review) -> float:
    return next((e.time for e in rv.timeline if e.kind == "ScenarioEnded"), rv.duration)


def level_index(level: str) -> int:
    return LEVELS.index(level)
