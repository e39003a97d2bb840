"""A partner officer: a second officer in the scene, driven by its own behaviour tree.

Authored in a format-2 scenario (``officers: [trainee, {partner: ...}]``) like a subject: a
tree of the actions below (:data:`PARTNER_ACTIONS`, built on the same engine,
:mod:`game.core.behaviour`, and the same conditions, :mod:`game.core.conditions`), its lines,
when it arrives (at a time, or some seconds after the trainee's radio call) and which subject
it watches. Pure and deterministic: its randomness is its own (``{seed}:officer:N``), it acts
inside :meth:`Simulation.step <game.core.simulation.Simulation.step>` after the subjects, and
what it does is journaled as outputs (:mod:`game.core.team_events`), so a journal of the
trainees' inputs replays it byte for byte.

In a partner's conditions ``trainee`` means officer 1 (the trainee it partners: its words,
its tools, how far it is from the watched subject) and the subject is the one it watches;
``officer: {number: 2, ...}`` and ``officer_within`` name officers by number, itself included.

It follows the trainee's lead (:data:`~game.core.terms.LEAD_INTENTS`: it acknowledges each,
and its tree reads them with ``trainee_said``); the default tree covers, steps back when told
and watches the hands when told. A scenario written for it can make it escalate instead —
``crowd``, ``slur``, ``force`` (unneeded hands-on force), shouted commands — and then the
trainee must intervene (:data:`~game.core.terms.INTERVENTION_INTENTS`, or stepping between it
and the subject): journaled as ``OfficerIntervened`` and, when it was needed, recorded on the
:class:`Team` (the ``intervened`` condition), seen by the subjects nearby (trust in the
officers who stopped it) and taken by the partner's tree (``when: {intervened: 5}``).
"""

from __future__ import annotations

import random
from typing import Any, Callable, Mapping

from game.core.behaviour import compile_tree
from game.core.conditions import Context, compile_condition
from game.core.events import HANDS, OutputEvent, Say
from game.core.scenario import Line, OfficerDef
from game.core.seats import journal_name
from game.core.team_events import (
    OfficerActivityChanged,
    OfficerArrived,
    OfficerFollowed,
    OfficerIntervened,
    OfficerSaid,
    OfficerToolChanged,
    OfficerUsedForce,
)
from game.core.partner_actions import (  # noqa: F401  (re-exported: the schema tool, the content checker)
    FORCE_EFFECT, FORCE_KINDS, FORCE_REACH, PARTNER_ACTIONS, PARTNER_FLAG_ACTIONS, RUN, WALK,
)
from game.core.terms import INTERVENTION_INTENTS, LEAD_INTENTS, TOOLS, WEAPONS
from game.core.world import SaidRecord, SubjectState, TraineeState, angle_between, distance, heading_to

Emit = Callable[[OutputEvent], None]
Point = tuple[float, float]

TREE_HZ = 30
TURN_RATE = 180.0  # degrees per second
#: An act of misconduct (a slur, unneeded force, starting to crowd) is "going on" this long:
#: an intervention within it was needed.
MISCONDUCT_WINDOW = 8.0
#: How close the trainee must be to count: a hand on the partner's shoulder, stepping between.
HOLD_REACH = 1.5
STEP_BETWEEN_REACH = 3.0
#: Stepping between, seen from the poses: this close to the line from the partner to the
#: subject it is misbehaving toward, and between them.
BETWEEN_LINE = 0.6
HEARING = {"calm": 12.0, "normal": 15.0, "shout": 40.0}
#: What a slur does to a subject who takes it in (agitation, trust); unneeded force: FORCE_EFFECT.
SLUR_EFFECT = (0.18, -0.2)
#: What a subject who sees an officer stop a misbehaving partner feels (agitation, trust).
SEEN_INTERVENTION = (-0.08, 0.12)
SEEN_RANGE = 12.0

#: What a partner says when a scenario gives it no line of that key.
DEFAULT_LINES: Mapping[str, str] = {
    "arrive": "I'm here. I've got cover.",
    "take_lead": "Copy, you talk. I'll cover.",
    "watch_hands": "Watching his hands.",
    "partner_step_back": "Backing off.",
    "intervened": "Okay. Okay, your call.",
}

#: The default partner: a cover officer who follows the trainee's lead.
DEFAULT_PARTNER_TREE: Mapping[str, Any] = {"selector": [
    {"when": {"trainee_said": {"intents": ["partner_step_back"], "seconds": 30}}, "do": {"step_back": 2.0},
     "name": "step back (told)"},
    {"when": {"trainee_said": {"intents": ["watch_hands"], "seconds": 30}},
     "do": {"cover": {"distance": 3.0}}, "name": "watch the hands"},
    {"cover": True, "name": "cover"},
]}


class Team:
    """The team's record, for conditions and the review: when the trainee radioed (``called``),
    each act of misconduct ``(time, officer, kind, subject)`` and each intervention that
    reached a partner ``(time, officer, how, needed)``."""

    def __init__(self) -> None:
        self.called: float | None = None
        self.misconduct: list[tuple[float, str, str, str]] = []
        self.intervened: list[tuple[float, str, str, bool]] = []


# ------------------------------------------------------------------------------ the mind


class PartnerMind:
    """One partner officer: its seat's :class:`TraineeState` (``me``: pose, hands, words), its
    tree and lines, when it comes. The simulation calls :meth:`arrive_if_due` and
    :meth:`update` each step and :meth:`heard` for what officers say to it."""

    def __init__(self, definition: OfficerDef, seat: str, rng: random.Random, *, hz: int, team: Team) -> None:
        assert definition.partner is not None
        self.definition = definition
        self.partner = definition.partner
        self.seat = seat
        self.rng = rng
        self.team = team
        self.me = TraineeState(position=definition.position, heading=definition.heading)
        self.present = False
        self.tree = compile_tree(self.partner.tree or DEFAULT_PARTNER_TREE, PARTNER_ACTIONS, compile_condition)
        self.tick_every = max(1, hz // TREE_HZ)
        self.activity = "idle"
        self.line_used: dict[str, float] = {}
        self._motion: tuple[Callable[[], Point | None], float] | None = None
        self._owner: object = None
        self._face: Any = "subject"
        self._stepped_between_at = -1e9
        # set at each update, for the actions
        self.now = 0.0
        self.emit: Emit = lambda e: None
        self.sim: Any = None
        self.trainee = TraineeState()
        self.context: Context | None = None

    # ----------------------------------------------------------------- the simulation's calls

    def due(self, now: float, scene_start: float = 0.0) -> str:
        """Why the partner arrives now (``start``, ``time``, ``call``), or "" if not (yet);
        ``at`` counts from ``scene_start`` (the unit's arrival, when the scenario has a call)."""
        if self.present:
            return ""
        a = self.partner.arrives
        if a.at is not None and now - scene_start >= a.at - 1e-9:
            return "start" if a.at <= 0.0 else "time"
        if a.on_call and self.team.called is not None and now >= self.team.called + a.after - 1e-9:
            return "call"
        return ""

    def arrive(self, cause: str, now: float, emit: Emit) -> None:
        self.present = True
        self.now, self.emit = now, emit
        emit(OfficerArrived(officer=self.seat, name=self.definition.name, position=self.me.position,
                            heading=self.me.heading, cause=cause))
        if cause != "start" or "arrive" in self.partner.lines:
            self._line("arrive", "normal", "", "", 0.0, "")

    def update(self, sim: Any, step: int, now: float, dt: float, emit: Emit) -> None:
        if not self.present:
            return
        self.sim, self.now, self.emit = sim, now, emit
        self.trainee = sim.trainee
        watched = self.watched()
        if watched is not None:
            self.context = Context(now, self.trainee, watched, sim.subjects, sim.officers, self.team)
            if sim.ending is None and step % self.tick_every == (len(sim.minds) + 1) % self.tick_every:
                self._look_for_stepping_between(sim)
                self.tree.tick(self)
        self._move(dt)

    def heard(self, say: Say, speaker: TraineeState, seat: str, now: float, emit: Emit) -> None:
        """An officer (``seat``) said or did one of the officer intents near this partner."""
        if not self.present:
            return
        self.now, self.emit = now, emit
        gap = distance(speaker.position, self.me.position)
        if say.intent in INTERVENTION_INTENTS:
            reach = {"step_between": STEP_BETWEEN_REACH, "hold_partner": HOLD_REACH}.get(
                say.intent, HEARING.get(say.tone, 15.0))
            if say.intent == "step_between":
                target = self._misconduct_target()
                where = self.position_of(target) if target else None
                if where is not None:
                    gap = min(gap, _to_segment(speaker.position, self.me.position, where)[0])
            self.intervened(say.intent, seat, gap <= reach)
        elif say.intent in LEAD_INTENTS and gap <= HEARING.get(say.tone, 15.0):
            emit(OfficerFollowed(officer=self.seat, order=say.intent, leader=_journal(seat)))
            self._line(say.intent, "normal", "", "", 0.0, "")

    def intervened(self, how: str, seat: str, reached: bool) -> None:
        needed = self.misbehaving()
        self.emit(OfficerIntervened(officer=self.seat, intervener=_journal(seat), how=how, reached=reached,
                                    needed=needed))
        if not reached:
            return
        self.team.intervened.append((self.now, self.seat, how, needed))
        if needed:
            self.tree.halt(self)  # what it was doing stops now; the tree starts over on its next tick
            self.halt()
            self._line("intervened", "normal", "", "", 0.0, "")
            sim = self.sim
            for mind in (sim.minds if sim is not None else ()):
                s = mind.state
                if distance(s.position, self.me.position) <= SEEN_RANGE:
                    mind.feelings.shift(*SEEN_INTERVENTION, f"intervened:{self.seat}", self.emit)

    # --------------------------------------------------------------------- the body, for actions

    def watched(self) -> SubjectState | None:
        subjects = self.sim.subjects if self.sim is not None else {}
        if self.partner.watches:
            return subjects.get(self.partner.watches)
        return min(subjects.values(), key=lambda s: distance(s.position, self.me.position), default=None)

    def watched_position(self) -> Point | None:
        s = self.watched()
        return None if s is None else s.position

    def position_of(self, who: str) -> Point | None:
        if who == "subject":
            return self.watched_position()
        if who == "trainee":
            return self.trainee.position
        if who.startswith("officer:"):
            o = self.sim.officers.get(who) if self.sim is not None else None
            return None if o is None else o.position
        s = self.sim.subjects.get(who) if self.sim is not None else None
        return None if s is None else s.position

    def go(self, activity: str, target: Callable[[], Point | None], speed: float, owner: object = None,
           toward: str = "") -> None:
        self._motion, self._owner = (target, speed), owner
        self._set_activity(activity, self._subject_id(toward))

    def halt(self, owner: object = None) -> None:
        if owner is not None and owner is not self._owner:
            return
        self._motion, self._owner = None, None
        self._set_activity("idle")

    def face(self, target: Any) -> None:
        self._face = target

    def say(self, key: str, tone: str, intent: str, to: str, cooldown: float, conduct: str) -> None:
        self._line(key, tone, intent, to, cooldown, conduct)

    def draw(self, tool: str, hand: str, low_ready: bool) -> None:
        me = self.me
        if me.hands[hand] == tool:
            return
        previous = me.hands[hand]
        me.hands[hand], me.low_ready[hand] = tool, low_ready
        self.emit(OfficerToolChanged(officer=self.seat, hand=hand, tool=tool, low_ready=low_ready))
        for mind in self.sim.minds:
            if previous:
                mind.see_tool(previous, False, me, self.emit)
            mind.see_tool(tool, True, me, self.emit)

    def holster(self) -> None:
        for hand in HANDS:
            tool = self.me.hands[hand]
            if tool:
                self.me.hands[hand] = ""
                self.emit(OfficerToolChanged(officer=self.seat, hand=hand, tool=""))
                for mind in self.sim.minds:
                    mind.see_tool(tool, False, self.me, self.emit)

    def point(self, raised: bool) -> None:
        for hand in HANDS:
            tool = self.me.hands[hand]
            if tool and self.me.low_ready[hand] == raised:
                self.me.low_ready[hand] = not raised
                self.emit(OfficerToolChanged(officer=self.seat, hand=hand, tool=tool, low_ready=not raised))
        if raised and any(t in WEAPONS for t in self.me.tools_out()):
            self.misbehave("point", "subject")

    def lay_hands(self, who: str, how: str) -> None:
        target = self._subject(who)
        if target is None:
            return
        self.misbehave(f"force:{how}", target.state.id)
        self.emit(OfficerUsedForce(officer=self.seat, subject=target.state.id, how=how))
        target.state.last_touch = self.now
        da, dtr = FORCE_EFFECT.get(how, FORCE_EFFECT["shove"])
        target.feelings.shift(da, dtr, f"partner_force:{how}", self.emit)

    def misbehave(self, kind: str, who: str) -> None:
        target = self._subject(who)
        self.team.misconduct.append((self.now, self.seat, kind, target.state.id if target else who))

    def misbehaving(self) -> bool:
        """Whether an intervention is needed now: crowding, or an act within the window."""
        if self.activity == "crowd":
            return True
        return any(o == self.seat and self.now - t <= MISCONDUCT_WINDOW for t, o, _k, _s in self.team.misconduct)

    # --------------------------------------------------------------------------------- helpers

    def _subject(self, who: str) -> Any:
        sid = who
        if who == "subject":
            w = self.watched()
            sid = w.id if w is not None else ""
        return next((m for m in self.sim.minds if m.state.id == sid), None) if self.sim is not None else None

    def _misconduct_target(self) -> str:
        for t, o, _k, sid in reversed(self.team.misconduct):
            if o == self.seat:
                return sid
        return ""

    def _look_for_stepping_between(self, sim: Any) -> None:
        """An officer who walks in between this partner, misbehaving, and its subject intervenes."""
        if not self.misbehaving() or self.now - self._stepped_between_at < MISCONDUCT_WINDOW:
            return
        where = self.position_of(self._misconduct_target() or "subject")
        if where is None:
            return
        for seat, officer in sim.officers.items():
            if seat == self.seat or seat in sim.partner_seats:
                continue
            gap, along = _to_segment(officer.position, self.me.position, where)
            if gap <= BETWEEN_LINE and 0.15 <= along <= 0.85:
                self._stepped_between_at = self.now
                self.intervened("stepped_between", seat, True)
                return

    def _line(self, key: str, tone: str, intent: str, to: str, cooldown: float, conduct: str) -> bool:
        options = self.partner.lines.get(key)
        if not options and key not in DEFAULT_LINES:
            return False
        if self.now - self.line_used.get(key, -1e9) < cooldown:
            return False
        self.line_used[key] = self.now
        chosen: str | Line = (options[self.rng.randrange(len(options))] if len(options) > 1 else options[0]) \
            if options else DEFAULT_LINES[key]
        text = chosen if isinstance(chosen, str) else chosen.text
        if conduct and not to:
            watched = self.watched()
            to = watched.id if watched is not None else ""
        self.emit(OfficerSaid(officer=self.seat, line=key, text=text, tone=tone, intent=intent, conduct=conduct, to=to))
        sim = self.sim
        if sim is None:
            return True
        if intent:
            self.me.said.append(SaidRecord(intent, tone, self.now, text))
            say = Say(intent=intent, tone=tone, text=text, to=to, by=self.seat)
            for mind in sim.minds:
                mind.hear(say, self.me, self.now, self.emit)
        if conduct:
            self.misbehave(conduct, to)
            for mind in sim.minds:
                if distance(mind.state.position, self.me.position) <= HEARING.get(tone, 15.0) * mind.feelings.w["hearing"]:
                    mind.feelings.shift(*SLUR_EFFECT, f"partner_{conduct}", self.emit)
        return True

    def _set_activity(self, activity: str, target: str = "") -> None:
        if activity != self.activity:
            self.emit(OfficerActivityChanged(officer=self.seat, activity=activity, previous=self.activity, target=target))
            self.activity = activity

    def _subject_id(self, who: str) -> str:
        """The subject id ``who`` names (``subject``: the watched one); "" for an officer or nobody."""
        if not who or who == "trainee" or who.startswith("officer:"):
            return ""
        mind = self._subject(who)
        return mind.state.id if mind is not None else ""

    def _move(self, dt: float) -> None:
        me = self.me
        target = self._motion[0]() if self._motion is not None else None
        if target is not None:
            speed = self._motion[1]  # type: ignore[index]
            gap = distance(me.position, target)
            stepd = min(gap, speed * dt)
            if gap > 1e-9:
                me.position = (me.position[0] + (target[0] - me.position[0]) * stepd / gap,
                               me.position[1] + (target[1] - me.position[1]) * stepd / gap)
        face = self._face
        where = face if isinstance(face, tuple) else self.position_of(face)
        if where is None or distance(where, me.position) < 0.05:
            if target is None or distance(target, me.position) < 0.3:
                return
            where = target
        want = heading_to(me.position, where)
        diff = (want - me.heading + 180.0) % 360.0 - 180.0
        limit = TURN_RATE * dt
        if angle_between(want, me.heading) > 1e-6:
            me.heading = (me.heading + max(-limit, min(limit, diff)) + 180.0) % 360.0 - 180.0


def _to_segment(p: Point, a: Point, b: Point) -> tuple[float, float]:
    """How far ``p`` is from the segment ``a``–``b``, and where along it (0 at ``a``, 1 at ``b``)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 < 1e-9:
        return distance(p, a), 0.0
    t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2
    c = min(1.0, max(0.0, t))
    return distance(p, (a[0] + dx * c, a[1] + dy * c)), t


def _journal(seat: str) -> str:
    return journal_name(seat)


__all__ = ["DEFAULT_LINES", "DEFAULT_PARTNER_TREE", "FORCE_KINDS", "MISCONDUCT_WINDOW", "PARTNER_ACTIONS",
           "PARTNER_FLAG_ACTIONS", "PartnerMind", "TOOLS", "Team"]
