"""Playing a recording back as it happened: the journal's recorded events, no re-simulation.

:class:`JournalPlayback` is shaped like a :class:`~game.core.simulation.Simulation` for
whoever steps it (a session, the 3D replay): each :meth:`~JournalPlayback.step` writes the
recorded events of the next recorded step to its journal, and :meth:`~JournalPlayback.snapshot`
gives the read model as the recording describes it. So a journal recorded by any simulation
version stays viewable exactly as it happened; re-simulation is needed only to branch and
for ``--check``.

What a recording holds: every input (so the officers' poses, hands and words are exact),
every change of a subject's posture, activity, goal, branch and weapon, each reaction with
its agitation and trust, force reactions, and a 5 Hz sample of everybody's position —
between two samples a subject's position is interpolated. Not recorded: a subject's active
tree path (empty in the snapshot) and whether a branch could be forced (a recording forces
nothing).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import fields
from functools import cache
from typing import Any, Sequence

from game.core.clock import FixedClock
from game.core.events import INPUT_TYPES, Event, input_from_record
from game.core.journal import JournalSink
from game.core.scenario import EndingDef, ScenarioDef
from game.core.seats import seat_of
from game.core.snapshot import BranchView, OfficerView, SaidView, Snapshot, StepResult, SubjectView
from game.core import team_events  # noqa: F401  (the partner officers' events are known to _event_types)


@cache
def _event_types() -> dict[str, type[Event]]:
    out: dict[str, type[Event]] = {}
    stack: list[type[Event]] = [Event]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub.TYPE:
                out[sub.TYPE] = sub
            stack.append(sub)
    return out


def event_from_record(record: dict[str, Any]) -> Event | None:
    """Rebuild any event from its journal line (for playing a recording back as it was);
    None for a type this version does not know. Encoding it again gives the same line."""
    if record.get("type") in INPUT_TYPES:
        return input_from_record(record)
    cls = _event_types().get(record.get("type", ""))
    if cls is None:
        return None
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    try:
        return cls(**{k: v for k, v in record.items() if k in names})
    except TypeError:  # a field this version requires is not in the line
        return None


#: What a snapshot of a recording says when asked whether a branch can be forced.
RECORDED = "a recording: nothing can be forced (branch from it to take the controls)"


class JournalPlayback:
    """The recorded events of ``records``, step by step, into ``journal``."""

    def __init__(self, scenario: ScenarioDef, records: Sequence[dict[str, Any]], journal: JournalSink) -> None:
        if not records or records[0].get("type") != "SessionStarted":
            raise ValueError("a journal starts with SessionStarted")
        start = records[0]
        self.scenario = scenario
        self.journal = journal
        self.clock = FixedClock(int(start["hz"]))
        self.records = list(records)
        self._next = 0
        self.finished = False
        self.finish_reason = ""
        self.paused = False
        self.ending: EndingDef | None = None
        self.changes = 0  # steps and finishes, as Simulation.changes (see SimulationPort)
        starts = start.get("officers") or [[list(scenario.trainee_position), scenario.trainee_heading]]
        self._officers: dict[str, dict[str, Any]] = {
            f"officer:{i + 1}": {"position": (float(p[0]), float(p[1])), "heading": float(h), "pitch": 0.0,
                                 "hands": {"left": "", "right": ""}, "low": {"left": False, "right": False},
                                 "said": []}
            for i, (p, h) in enumerate(starts)}
        self._names = {s.id: s.name for s in scenario.subjects}
        self._weapon_names = {s.id: getattr(s.profile, "weapon_name", "") for s in scenario.subjects}
        self._subjects: dict[str, dict[str, Any]] = {
            s.id: {"position": tuple(s.position), "heading": s.heading, "posture": "relaxed", "activity": "idle",
                   "goal": "stay", "branch": "", "weapon": getattr(s.profile, "weapon", "") or "", "weapon_out": False,
                   "agitation": 0.0, "trust": 0.0, "compliance": 0.0, "down_until": -1.0}
            for s in scenario.subjects}
        # the 5 Hz samples of each subject's position, and of each partner officer's (the
        # simulation drives those: no Move of theirs is recorded), for interpolation between them
        self._track: dict[str, tuple[list[float], list[tuple[float, float, float]]]] = {}
        #: the partner officers on scene (they join at their OfficerArrived)
        self._partners: set[str] = set()
        partners = {r["officer"] for r in self.records if r.get("type") == "OfficerArrived"}
        for r in self.records:
            if r.get("type") == "StateSampled":
                entries = [(e["id"], e) for e in r.get("subjects", ())]
                entries += [(seat, e) for seat, e in (r.get("officers") or {}).items() if seat in partners]
                for key, entry in entries:
                    times, poses = self._track.setdefault(key, ([], []))
                    times.append(float(r["time"]))
                    poses.append((float(entry["position"][0]), float(entry["position"][1]), float(entry["heading"])))

    @property
    def now(self) -> float:
        return self.clock.time

    @property
    def trainee(self) -> Any:
        return self.snapshot().trainee

    def submit(self, event: Any) -> None:
        """A recording takes no inputs (branch from it instead)."""

    def finish(self, reason: str) -> None:
        if not self.finished:
            self.changes += 1
            self.finished = True
            self.finish_reason = reason

    def step(self, *, snapshot: bool = True) -> StepResult:
        """Writes the recorded events of the current step (all of them: several recorded steps
        share an index while paused) and advances the clock."""
        events: list[Event] = []
        self.changes += 1
        if self.finished:
            return StepResult((), self.snapshot() if snapshot else None)
        step = self.clock.step
        while self._next < len(self.records) and int(self.records[self._next]["step"]) <= step:
            record = self.records[self._next]
            self._next += 1
            event = event_from_record(record)
            if event is None:
                continue
            self.journal.record(int(record["step"]), float(record["time"]), event)
            events.append(event)
            self._apply(record)
        if self._next >= len(self.records) and not self.finished:
            last = self.records[-1]
            self.finish(last["reason"] if last.get("type") == "SessionEnded" else "cut_short")
        if not self.finished:
            self.clock.advance()
        return StepResult(tuple(events), self.snapshot() if snapshot else None)

    def _apply(self, r: dict[str, Any]) -> None:
        kind = r["type"]
        if r.get("source") not in (None, "sim") and kind in ("Move", "Draw", "Holster", "LowReady", "Say"):
            o = self._officers.get(seat_of(r["source"]))
            if o is None:
                return
            if kind == "Move":
                o["position"], o["heading"], o["pitch"] = tuple(r["position"]), r["heading"], r.get("pitch", 0.0)
            elif kind == "Draw":
                other = "left" if r["hand"] == "right" else "right"
                if o["hands"][other] == r["tool"]:
                    o["hands"][other] = ""
                o["hands"][r["hand"]], o["low"][r["hand"]] = r["tool"], bool(r.get("low_ready", False))
            elif kind == "Holster":
                o["hands"][r["hand"]] = ""
            elif kind == "LowReady":
                o["low"][r["hand"]] = bool(r.get("low", True))
            elif kind == "Say":
                o["said"] = (o["said"] + [SaidView(r["intent"], r.get("tone", "normal"), float(r["time"]))])[-3:]
            return
        if kind in ("OfficerLeft", "OfficerJoined"):
            o = self._officers.get(str(r.get("officer", "")))
            if o is not None:
                o["away"] = (r.get("reason") or "left") if kind == "OfficerLeft" else ""
            return
        if kind in ("Pause", "Resume"):
            self.paused = kind == "Pause"
            return
        if kind.startswith("Officer"):
            self._partner(r)
            return
        if kind == "ScenarioEnded":
            self.ending = self.scenario.ending(r["ending"])
            return
        s = self._subjects.get(r.get("subject", ""))
        if kind == "StateSampled":
            for entry in r.get("subjects", ()):
                t = self._subjects.get(entry["id"])
                if t is not None:
                    t.update({k: entry[k] for k in ("agitation", "trust", "compliance", "posture", "activity",
                                                      "goal", "branch", "weapon_out") if k in entry})
            return
        if s is None:
            return
        if kind == "SubjectPostureChanged":
            s["posture"] = r["posture"]
        elif kind == "SubjectActivityChanged":
            s["activity"] = r["activity"]
        elif kind == "SubjectGoalChanged":
            s["goal"] = r["goal"]
        elif kind == "BranchEntered":
            s["branch"] = r["branch"]
        elif kind == "BranchLeft":
            s["branch"] = ""
        elif kind == "SubjectWeaponChanged":
            s["weapon"], s["weapon_out"] = (r["weapon"] if r["out"] else s["weapon"]), bool(r["out"])
        elif kind == "SubjectReacted":
            s["agitation"], s["trust"] = r["agitation"], r["trust"]
        elif kind == "SubjectReactedToForce" and r.get("reaction") == "incapacitated":
            seconds = float(r.get("seconds", 0.0))
            s["down_until"] = math.inf if seconds < 0 else float(r["time"]) + seconds

    def _partner(self, r: dict[str, Any]) -> None:
        """A partner officer's recorded events: arrival, tools, words, activity."""
        seat, kind = r.get("officer", ""), r["type"]
        if kind == "OfficerArrived":
            self._partners.add(seat)
            self._officers[seat] = {"position": tuple(r["position"]), "heading": float(r["heading"]), "pitch": 0.0,
                                    "hands": {"left": "", "right": ""}, "low": {"left": True, "right": True},
                                    "said": [], "name": r.get("name", ""), "activity": "idle"}
            self._officers = dict(sorted(self._officers.items(), key=lambda kv: int(kv[0].split(":")[1])))
            return
        o = self._officers.get(seat)
        if o is None:
            return
        if kind == "OfficerToolChanged":
            o["hands"][r["hand"]], o["low"][r["hand"]] = r["tool"], bool(r.get("low_ready", True))
        elif kind == "OfficerSaid" and r.get("intent"):
            o["said"] = (o["said"] + [SaidView(r["intent"], r.get("tone", "normal"), float(r["time"]))])[-3:]
        elif kind == "OfficerActivityChanged":
            o["activity"] = r["activity"]

    def _pose(self, subject: str, now: float) -> tuple[tuple[float, float], float, float] | None:
        """Position, heading and speed at ``now``, between the samples around it."""
        track = self._track.get(subject)
        if not track:
            return None
        times, poses = track
        i = bisect_right(times, now)
        if i == 0:
            x, y, h = poses[0]
            return (x, y), h, 0.0
        if i >= len(times):
            x, y, h = poses[-1]
            return (x, y), h, 0.0
        t0, t1 = times[i - 1], times[i]
        (x0, y0, h0), (x1, y1, h1) = poses[i - 1], poses[i]
        f = (now - t0) / (t1 - t0) if t1 > t0 else 1.0
        turn = (h1 - h0 + 180.0) % 360.0 - 180.0
        speed = math.hypot(x1 - x0, y1 - y0) / (t1 - t0) if t1 > t0 else 0.0
        return (x0 + (x1 - x0) * f, y0 + (y1 - y0) * f), h0 + turn * f, speed

    def snapshot(self) -> Snapshot:
        now = self.now
        officers = []
        for seat, o in self._officers.items():
            position, heading = o["position"], o["heading"]
            partner = seat in self._partners
            if partner:
                pose = self._pose(seat, now)
                if pose is not None:
                    position, heading = pose[0], pose[1]
            officers.append(OfficerView(seat, position, heading, o["pitch"], (o["hands"]["left"], o["hands"]["right"]),
                                        (o["low"]["left"], o["low"]["right"]), tuple(o["said"]), o.get("away", ""),
                                        partner=partner, name=o.get("name", ""), activity=o.get("activity", "")))
        subjects = []
        for sid, s in self._subjects.items():
            pose = self._pose(sid, now)
            position, heading, speed = pose if pose is not None else (s["position"], s["heading"], 0.0)
            subjects.append(SubjectView(
                sid, self._names.get(sid, "") or sid, position, heading, speed, s["posture"], s["activity"], s["goal"],
                s["branch"], s["weapon"], bool(s["weapon_out"]), float(s["agitation"]), float(s["trust"]),
                float(s["compliance"]), s["down_until"] > now, (), (), self._weapon_names.get(sid, "")))
        branches = tuple(BranchView(b.id, b.subject, self._subjects.get(b.subject, {}).get("branch") == b.id, RECORDED)
                         for b in self.scenario.branches)
        return Snapshot(self.clock.step, now, self.clock.dt, self.paused, self.finished, self.finish_reason,
                        self.ending.id if self.ending else "", tuple(officers), tuple(subjects), branches, recorded=True)

