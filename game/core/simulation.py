"""The simulation: owns the clock, the randomness, the world and the subjects' minds.

The loop belongs to whoever drives it (the engine's task, a test, a benchmark):
they :meth:`Simulation.submit` input events and call :meth:`Simulation.step`.
An input takes effect at the start of the next step and is journaled there,
before the outputs it causes, so a journal replays exactly.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from typing import Sequence

from game.core.clock import DEFAULT_HZ, FixedClock
from game.core.puppet import instructor_voice_problem
from game.core.events import (
    OFFICER_INTENTS,
    NUDGE_CAUSES,
    Calm,
    Draw,
    EndSession,
    Escalate,
    ForceBranch,
    BranchRefused,
    HandMove,
    Holster,
    Event,
    InputEvent,
    LowReady,
    Mark,
    Move,
    OfficerJoined,
    OfficerLeft,
    OutputEvent,
    Pause,
    Puppet,
    Restart,
    Resume,
    Say,
    SpeakAs,
    ScenarioEnded,
    SessionEnded,
    SessionStarted,
    SpeechHeard,
    StateSampled,
    SubjectGrappled,
    SubjectPushedPast,
    SubjectTouched,
    Touch,
    Use,
)
from game.core.call import CallRun
from game.core.input_checks import check_input
from game.core.events import AnswerCall, AskCaller, DispatchUnit, FillCard, Radio, RadioAnswer
from game.core.force import ForceOptions
from game.core.journal import JOURNAL_FORMAT, JournalSink
from game.core import read_model
from game.core.lookfor import LookForWatch
from game.core.navigation import Navigator
from game.core.partner import PartnerMind, Team
from game.core.presence import (
    GRAPPLE_SECONDS,
    GRAPPLE_SPACE,
    PASSING_SPACE,
    PUSH_SECONDS,
    REGRAPPLE_SECONDS,
    in_the_way,
    keep_apart,
    shoulder_past,
)
from game.core.scenario import EndingDef, ScenarioDef
from game.core.snapshot import OfficerView, Snapshot, StepResult
from game.core.seats import OFFICER, OFFICER_1, ROLE_INPUTS, SeatError, officer, officer_number, role_of
from game.core.subject import WALL_MARGIN, SubjectMind
from game.core.tools import DEFAULT_TOOLS, KINDS, ToolSpecs
from game.core.world import HandPose, SaidRecord, SubjectState, TraineeState, distance

#: The version of the simulation's behaviour: bumped whenever the same inputs give other
#: outputs (a subject moves or feels differently), so a journal says which simulation
#: recorded it (``SessionStarted.simulation``; absent: 1). A journal of another version is
#: still viewed as recorded (3D replay, review), but re-simulating it (``--check``, a
#: branch) may differ, and they say so. 1: up to issue 14; 2: hysteresis on crowding,
#: giving space and the continuous conditions (issue 13); 3: the personal-space body keeps
#: subjects 0.7 m from every officer (issue 15), subjects answer what they know and a `Say`
#: carries its confidence (issue 17); 4: subjects walk around the scene's collision
#: footprints (cars, furniture) and a pacing subject picks a new goal when it cannot reach one.
SIMULATION_VERSION = 4

_NUDGE_CAUSE = {kind: cause for cause, kind in NUDGE_CAUSES.items()}

#: How often positions and inner states are sampled into the journal.
SAMPLE_HZ = 5
#: Words older than this are forgotten (conditions look back at most this far).
MEMORY_SECONDS = 600.0
#: How far a hand reaches to touch a subject (metres, centre to centre).
TOUCH_REACH = 1.1


class Simulation:
    """One session of one scenario. Deterministic for a given seed and input sequence."""

    def __init__(
        self, scenario: ScenarioDef, *, seed: int, journal: JournalSink, hz: int = DEFAULT_HZ,
        tools: ToolSpecs = DEFAULT_TOOLS, about: dict[str, str] | None = None,
        officers: Sequence[tuple[tuple[float, float], float]] | None = None,
        dispatcher: str = "",
    ) -> None:
        """``officers``: where each officer trainees play starts (position, heading), officer 1
        first; None: where the scenario puts them (format 1: one, the trainee). A format-2
        scenario's partner officers come after them (see :mod:`game.core.partner`).
        ``dispatcher``: who takes the call (a name; empty: nobody — the officer gets the
        scenario's briefing, as before)."""
        #: ``software``, ``trainee``, ``instructor``: journaled in ``SessionStarted`` (self-describing journals)
        self.about = {k: str(v) for k, v in (about or {}).items() if k in ("software", "trainee", "instructor")}
        self.scenario = scenario
        self.seed = int(seed)
        self.journal = journal
        self.clock = FixedClock(hz)
        starts = list(officers) if officers else scenario.human_officers()
        #: The officers in the scene by seat (``officer:1`` …): pose, hands, tools, words; a
        #: partner officer joins when it arrives.
        self.officers: dict[str, TraineeState] = {
            officer(i + 1): TraineeState(position=(float(p[0]), float(p[1])), heading=float(h))
            for i, (p, h) in enumerate(starts)
        }
        self._starts = starts
        #: What the team did (misconduct, interventions, the radio call), for conditions.
        self.team = Team()
        #: The officers the simulation drives (format 2's ``partner:``), by seat.
        self.partners: dict[str, PartnerMind] = {}
        for odef in scenario.partners:
            seat = officer(odef.number)
            if seat in self.officers:
                raise ValueError(f"{seat} is this scenario's partner officer, but the run gives {len(starts)} officers "
                                 "that trainees play: partner officers come after them")
            self.partners[seat] = PartnerMind(odef, seat, random.Random(f"{self.seed}:{seat}"), hz=hz, team=self.team)
        self.partner_seats = frozenset(self.partners)
        #: The scene's footprints (walked around), inside the area subjects walk in.
        self.navigator = Navigator(scenario.obstacles, None if scenario.bounds is None else (
            (scenario.bounds[0][0] + WALL_MARGIN, scenario.bounds[0][1] + WALL_MARGIN),
            (scenario.bounds[1][0] - WALL_MARGIN, scenario.bounds[1][1] - WALL_MARGIN)))
        self.minds = [
            SubjectMind(sdef, scenario.branches, scenario.endings, random.Random(f"{self.seed}:{sdef.id}"),
                        index=i, hz=hz, bounds=scenario.bounds, tools=tools, navigator=self.navigator)
            for i, sdef in enumerate(scenario.subjects)
        ]
        self.subjects = {m.state.id: m.state for m in self.minds}
        for mind in self.minds:
            mind.officers = self.officers
            mind.team = self.team if self.partners else None
        self.force = ForceOptions(tools)
        self.watch = LookForWatch(scenario.look_for, self.subjects)
        self.watch.officers, self.watch.team = self.officers, (self.team if self.partners else None)
        self.ending: EndingDef | None = None
        self.finished = False
        self.finish_reason = ""
        self._queue: list[InputEvent] = []
        #: While paused: the trainee's inputs wait here (a newer Move replaces an older one).
        self._held: list[InputEvent] = []
        self.paused = False
        self._started = False
        self._sample_every = max(1, hz // SAMPLE_HZ)
        self._events: list[Event] = []
        self._names = {s.id: s.name for s in scenario.subjects}
        #: Officers whose station has left (``OfficerLeft``), with why: they stand where they were.
        self.away: dict[str, str] = {}
        self.dispatcher = str(dispatcher)
        #: The call and the radio (game.core.call): only with a dispatcher in the session.
        self.call: CallRun | None = (CallRun(scenario.call, random.Random(f"{self.seed}:call"), hz)
                                     if self.dispatcher else None)
        #: Steps taken (paused ones too) and finishes: a snapshot built at the same count is current
        #: (see :class:`~game.core.drivers.SimulationPort`).
        self.changes = 0

    # ------------------------------------------------------------------ driving

    @property
    def now(self) -> float:
        return self.clock.time

    @property
    def en_route(self) -> bool:
        """The officer is on the way (the call is being taken): the scene has not started."""
        return self.call is not None and self.call.en_route

    @property
    def scene_start(self) -> float:
        """When the scene started: the unit's arrival (0 without a call)."""
        return self.call.scene_start if self.call is not None else 0.0

    @property
    def trainee(self) -> TraineeState:
        """Officer 1 (the one trainee of a single-officer session)."""
        return self.officers[OFFICER_1]

    def contact_of(self, subject: SubjectState) -> TraineeState:
        """The subject's contact officer: the nearest officer (ties: the lower number). What
        a condition or target saying ``trainee`` means; see :mod:`game.core.seats`."""
        if len(self.officers) == 1:
            return self.trainee
        return min(self.officers.values(), key=lambda o: distance(o.position, subject.position))

    def submit(self, event: InputEvent) -> None:
        """Queue ``event`` for the next step. Raises ``ValueError`` for an event no step could
        apply, :class:`~game.core.seats.SeatError` (a ``ValueError``) for one its seat may not
        send or from a seat this session does not have."""
        self._check_seat(event)
        check_input(event)
        if isinstance(event, (Puppet, SpeakAs)):
            problem = instructor_voice_problem(self.scenario, event)
            if problem:
                raise ValueError(problem)
        if isinstance(event, SpeakAs):
            event = replace(event, seconds=round(float(event.seconds), 4),
                            at=None if event.at is None else round(float(event.at), 4))
        if isinstance(event, (Escalate, Calm)):
            event = replace(event, amount=round(float(event.amount), 4))
        elif isinstance(event, Mark) and event.at is not None:
            event = replace(event, at=round(float(event.at), 4))
        elif isinstance(event, Move):
            event = replace(
                event,
                position=(round(float(event.position[0]), 4) + 0.0, round(float(event.position[1]), 4) + 0.0),
                heading=round(float(event.heading), 4) + 0.0,  # + 0.0: no "-0.0" in the journal
                pitch=round(float(event.pitch), 4) + 0.0,
            )
        elif isinstance(event, HandMove):
            event = replace(
                event,
                position=tuple(round(float(v), 4) + 0.0 for v in event.position),  # type: ignore[arg-type]
                heading=round(float(event.heading), 4) + 0.0,  # + 0.0: no "-0.0" in the journal
                pitch=round(float(event.pitch), 4) + 0.0,
                roll=round(float(event.roll), 4) + 0.0,
            )
        self._queue.append(event)

    def step(self, *, snapshot: bool = True) -> StepResult:
        """Advance one fixed step: apply queued inputs, update every subject, journal what happened.

        While paused, a step applies the instructor's inputs and the end of the session but
        nothing else: the subjects, the clock and the step index stay where they are, and
        the trainee's inputs are held until ``Resume`` (then journaled right after it). So a
        journal replays byte for byte when each step's inputs are submitted once, in order,
        before one step.

        Returns the step's events and the :class:`~game.core.snapshot.Snapshot` after it
        (``snapshot=False``: None instead, for a driver that steps several times a frame and
        reads one snapshot afterwards — building one costs about half a step)."""
        self._events = []
        self.changes += 1
        self._step()
        return StepResult(tuple(self._events), self.snapshot() if snapshot else None)

    def _step(self) -> None:
        if self.finished:
            return
        if not self._started:
            self._started = True
            self._emit(
                SessionStarted(
                    journal_format=JOURNAL_FORMAT,
                    scenario=self.scenario.id,
                    scenario_sha256=self.scenario.sha256,
                    seed=self.seed,
                    hz=self.clock.hz,
                    subjects=tuple(m.state.id for m in self.minds),
                    **self.about,
                    simulation=SIMULATION_VERSION,
                    officers=tuple((o.position, o.heading) for o in self.officers.values()) if len(self.officers) > 1 else (),
                    dispatcher=self.dispatcher,
                )
            )
            if self.call is not None:
                self.call.start(self.now, self._emit)
            if not self.en_route:
                self._arrivals()
        queue, self._queue = self._queue, []
        i = 0
        while i < len(queue):
            event = queue[i]
            i += 1
            if (self.paused or self.en_route) and role_of(event.seat) == OFFICER and not isinstance(event, EndSession):
                self._hold(event)
                continue
            self._journal(event)
            was_paused = self.paused
            self._apply(event)
            if self.finished:
                return
            if was_paused and not self.paused:
                queue[i:i] = self._held
                self._held = []
        if self.paused:
            return
        now, dt, step = self.now, self.clock.dt, self.clock.step
        if self.call is not None and self.call.update(now, step, self._emit):
            self._queue[0:0] = self._held  # on scene: what the officer did on the way takes effect
            self._held = []
        if self.en_route:
            if now >= self.scenario.time_limit + (self.scenario.call.time_limit if self.scenario.call else 0.0):
                self.finish("time_limit")
                return
            self.clock.advance()
            return
        for mind in self.minds:
            mind.update(self.contact_of(mind.state), self.subjects, step, now, dt, self._emit, think=self.ending is None)
            while mind.struck:
                victim = mind.struck.pop(0)
                for other in self.minds:
                    if other.state.id == victim:
                        other.struck_by(mind.state.id, now, self._emit)
            if mind.ending_request and self.ending is None:
                self._end(mind.ending_request, mind.state.id)
        if self.partners:
            self._arrivals()
            for partner in self.partners.values():
                partner.update(self, step, now, dt, self._emit)
        self._bodies_meet(now)
        self._hold_apart(now, dt)  # nobody walks through an officer
        if self.navigator:  # nor through a car: one pressed into a footprint stands just off it
            for mind in self.minds:
                mind.state.position = self.navigator.push_out(mind.state.position)
            self._hold_apart(now, dt)  # and the officers' ring wins where both press
        if self.ending is None:
            self.watch.check(self.contact_of, now, step, self._emit)
        if self.clock.step % self._sample_every == 0:
            self._emit(self._sample())
        if now - self.scene_start >= self.scenario.time_limit and self.ending is None:
            self.finish("time_limit")
            return
        self.clock.advance()

    def _arrivals(self) -> None:
        """Partner officers whose time has come join the officers (kept in seat order). With a
        call (``call:``), their ``at`` counts from the unit's arrival on scene."""
        for seat, partner in self.partners.items():
            why = partner.due(self.now, self.scene_start)
            if why:
                partner.arrive(why, self.now, self._emit)
                everyone = {**self.officers, seat: partner.me}
                self.officers.clear()  # the same mapping the minds hold
                self.officers.update(sorted(everyone.items(), key=lambda kv: officer_number(kv[0]) or 0))

    def _bodies_meet(self, now: float) -> None:
        """A fleeing subject with an officer in its way pushes past; one attacking someone else
        grapples the officer in its way (see :mod:`game.core.presence`)."""
        for mind in self.minds:
            s = mind.state
            if s.activity not in ("flee", "attack") or mind.incapacitated_until > now:
                continue
            for seat, o in self.officers.items():
                if mind.grappling(now) is not None or now < mind.pushing.get(seat, -math.inf) - 1e-9:
                    break
                if not in_the_way(s.position, mind.way, o.position):
                    continue
                if s.activity == "attack":
                    who = mind.attack_target()
                    if who == seat or (who == "trainee" and self.contact_of(s) is o):
                        continue  # the one it is after: the strike lands as before
                    if now - mind.grappled_at.get(seat, -math.inf) >= REGRAPPLE_SECONDS:
                        mind.grapple = (seat, now + GRAPPLE_SECONDS)
                        mind.grappled_at[seat] = now
                        mind.pushing[seat] = now + GRAPPLE_SECONDS + PUSH_SECONDS
                        self._emit(SubjectGrappled(subject=s.id, officer=seat, seconds=GRAPPLE_SECONDS))
                        break
                mind.pushing[seat] = now + PUSH_SECONDS
                self._emit(SubjectPushedPast(subject=s.id, officer=seat))
                break

    def _hold_apart(self, now: float, dt: float) -> None:
        for seat, o in self.officers.items():
            for mind in self.minds:
                s = mind.state
                if mind.grappling(now) == seat:
                    if distance(s.position, o.position) > 2.0 * GRAPPLE_SPACE:
                        mind.grapple = None  # the officer broke away
                    else:  # held at arm's length, wherever the officer goes
                        x, y = s.position[0] - o.position[0], s.position[1] - o.position[1]
                        d = math.hypot(x, y) or 1.0
                        s.position = (o.position[0] + x / d * GRAPPLE_SPACE, o.position[1] + y / d * GRAPPLE_SPACE)
                        continue
                if now < mind.pushing.get(seat, -math.inf) - 1e-9 and mind.grappling(now) is None:
                    shoulder_past(s, o.position, mind.way, PASSING_SPACE, max(s.speed, 1.0) * dt)
                else:
                    keep_apart((s,), o)

    def _hold(self, event: InputEvent) -> None:
        if isinstance(event, Move):
            self._held = [e for e in self._held if not isinstance(e, Move)]
        self._held.append(event)

    def can_force(self, branch: str, subject: str = "") -> str | None:
        """Whether the instructor can force ``branch`` (on ``subject``; empty: the branch's
        own) now: None if so, else why not. The console greys out and refuses with this; a
        ``ForceBranch`` that cannot apply journals ``BranchRefused`` with the same words."""
        if self.finished:
            return "the session has ended"
        if self.ending is not None:
            return f"the scenario has ended ({self.ending.id.replace('_', ' ')})"
        b = self.scenario.branch(branch)
        if b is None:
            return f"no branch '{branch}' in this scenario"
        mind = next((m for m in self.minds if m.state.id == (subject or b.subject)), None)
        if mind is None:
            return f"no subject '{subject}'"
        return mind.can_enter(branch, self.now)

    def run_for(self, seconds: float) -> None:
        """Steps for ``seconds`` of simulated time, or until the session finishes."""
        for _ in range(self.clock.steps_for(seconds)):
            if self.finished:
                return
            self.step()

    def _end(self, ending_id: str, subject: str) -> None:
        ending = self.scenario.ending(ending_id)
        if ending is None:  # the content checker refuses this; a hand-built scenario may not
            raise ValueError(f"no ending {ending_id!r} in scenario {self.scenario.id!r}")
        self.ending = ending
        self._emit(ScenarioEnded(ending=ending.id, outcome=ending.outcome, subject=subject))

    def finish(self, reason: str) -> None:
        """Ends the session (idempotent): journals ``SessionEnded`` with ``reason``."""
        if self.finished:
            return
        self.changes += 1
        self.finished = True
        self.finish_reason = reason
        self._emit(SessionEnded(reason=reason, ending=self.ending.id if self.ending else ""))

    # ------------------------------------------------------------------ inputs

    def _check_seat(self, event: InputEvent) -> None:
        seat = event.seat
        role = role_of(seat)
        if event.TYPE not in ROLE_INPUTS[role]:
            allowed = ", ".join(sorted(ROLE_INPUTS[role]))
            raise SeatError(f"seat {seat!r} may not send {event.TYPE} (an {role} sends {allowed})")
        if seat in self.partners:
            raise SeatError(f"seat {seat!r} is the scenario's partner officer: the simulation drives it")
        if role == OFFICER and seat not in self.officers:
            raise SeatError(f"seat {seat!r} is not in this session (officers: {', '.join(self.officers)})")
        if isinstance(event, (OfficerLeft, OfficerJoined)) and event.officer not in self.officers:
            raise SeatError(f"{event.TYPE}: {event.officer!r} is not in this session (officers: {', '.join(self.officers)})")

    def _apply(self, event: InputEvent) -> None:
        t = self.officers.get(event.seat) or self.trainee
        if isinstance(event, Move):
            t.position, t.heading, t.pitch = event.position, event.heading, event.pitch
        elif isinstance(event, HandMove):
            before = t.hand_poses.get(event.hand)
            if not event.tracked:
                t.hand_poses.pop(event.hand, None)
                return
            after = HandPose(event.position, event.heading, event.pitch, event.roll, self.now)
            t.hand_poses[event.hand] = after
            if t.hands[event.hand] and KINDS[t.hands[event.hand]].swings:
                self.force.swing(t, event.hand, before, after, self.minds, self.now, self._emit)
        elif isinstance(event, Say):
            t.said.append(SaidRecord(event.intent, event.tone, self.now, event.text))
            while t.said and self.now - t.said[0].time > MEMORY_SECONDS:
                t.said.pop(0)
            if self.partners:
                self._radio(event)
            if event.intent in OFFICER_INTENTS:  # said to a fellow officer: the partners take it
                for partner in self.partners.values():
                    partner.heard(event, t, event.seat, self.now, self._emit)
            else:
                for mind in self.minds:
                    mind.hear(event, t, self.now, self._emit)
            if self.call is not None:
                self.call.hear(event.intent, event.seat)
        elif isinstance(event, SpeechHeard):
            for mind in self.minds:
                mind.hear_words(event.text, event.tone, t, self.now, self._emit)
        elif isinstance(event, Draw):
            other = "left" if event.hand == "right" else "right"
            switched = t.hands[other] == event.tool  # the tool changes hands: nothing new is drawn
            if switched:
                t.hands[other] = ""
            previous = t.hands[event.hand]
            t.low_ready[event.hand] = event.low_ready
            if previous == event.tool:
                return
            t.hands[event.hand] = event.tool
            for mind in self.minds:
                if previous:
                    mind.see_tool(previous, False, t, self._emit)
                if not switched:
                    mind.see_tool(event.tool, True, t, self._emit)
        elif isinstance(event, Holster):
            previous = t.hands[event.hand]
            t.hands[event.hand] = ""
            if previous:
                for mind in self.minds:
                    mind.see_tool(previous, False, t, self._emit)
        elif isinstance(event, LowReady):
            t.low_ready[event.hand] = event.low
        elif isinstance(event, Touch):
            mind = self._within_reach(t, event.subject, TOUCH_REACH)
            if mind is not None:
                self._emit(SubjectTouched(subject=mind.state.id, hand=event.hand))
                mind.touched(self.now, self._emit)
        elif isinstance(event, Use):
            self.force.use(t, event.hand, self.minds, self.now, self._emit)  # see game.core.force
        elif isinstance(event, ForceBranch):
            branch = self.scenario.branch(event.branch)
            subject = event.subject or (branch.subject if branch else "")
            refused = self.can_force(event.branch, event.subject)
            if refused is not None:
                self._emit(BranchRefused(subject=subject, branch=event.branch, reason=refused))
                return
            for mind in self.minds:
                if mind.state.id == subject:
                    mind.force_branch(event.branch, self.now, self._emit)
        elif isinstance(event, (Escalate, Calm)):
            sign = 1.0 if isinstance(event, Escalate) else -1.0
            for mind in self.minds:
                if event.subject in ("", mind.state.id):
                    mind.nudge(sign * event.amount, _NUDGE_CAUSE[event.TYPE], self._emit)
        elif isinstance(event, EndSession):
            self.finish(event.reason)
        elif isinstance(event, Restart):
            self.finish("restart")
        elif isinstance(event, (Pause, Resume)):
            self.paused = isinstance(event, Pause)
        elif isinstance(event, Puppet):
            for mind in self.minds:
                if mind.state.id == event.subject:
                    mind.puppet(event.line, event.variant, event.tone, self.now, self._emit)
        elif isinstance(event, SpeakAs):
            for mind in self.minds:
                if mind.state.id == event.voice and event.understood and event.text:
                    mind.spoken_by_instructor(event.text, event.tone, self.now, self._emit)
        elif isinstance(event, Mark):
            pass  # the journal line is the mark
        elif isinstance(event, OfficerLeft):
            self.away[event.officer] = event.reason or "left"
        elif isinstance(event, OfficerJoined):
            self.away.pop(event.officer, None)
        elif isinstance(event, (AnswerCall, AskCaller, FillCard, DispatchUnit, RadioAnswer, Radio)):
            if self.call is not None:
                self.call.apply(event, self.now, self._emit)

    def _radio(self, event: Say) -> None:
        """The first radio call that calls a partner (its ``on_call`` intents) starts its clock."""
        if self.team.called is None and any(event.intent in p.partner.arrives.on_call and not p.present
                                            for p in self.partners.values()):
            self.team.called = self.now

    def _within_reach(self, t: TraineeState, subject: str, reach: float) -> SubjectMind | None:
        best, best_d = None, reach
        for mind in self.minds:
            d = distance(t.position, mind.state.position)
            if (not subject or mind.state.id == subject) and d <= best_d:
                best, best_d = mind, d
        return best

    # ----------------------------------------------------------------- outputs

    def _emit(self, event: OutputEvent) -> None:
        self._journal(event)

    def _journal(self, event: Event) -> None:
        self._events.append(event)
        self.journal.record(self.clock.step, self.now, event)

    def officer_view(self, seat: str) -> OfficerView:
        """One officer's part of the read model (see :mod:`game.core.read_model`)."""
        return read_model.officer_view(self, seat)

    def snapshot(self) -> Snapshot:
        """The read model now (see :mod:`game.core.snapshot`), built afresh: the devices and the
        views share one a step through :class:`~game.core.drivers.SimulationPort`."""
        return read_model.snapshot(self)

    def _sample(self) -> StateSampled:
        return StateSampled(
            trainee=_officer_sample(self.trainee),
            subjects=tuple(m.state.sample() for m in self.minds),
            officers={seat: _officer_sample(o) for seat, o in self.officers.items() if seat != OFFICER_1},
        )


def _officer_sample(t: TraineeState) -> dict[str, object]:
    return {"position": [round(t.position[0], 3), round(t.position[1], 3)], "heading": round(t.heading, 1),
            "hands": dict(t.hands)}
