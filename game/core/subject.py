"""A subject's mind for the foundation model: inner state moved by stimuli, a posture
ladder, goals set by the scenario's endings, and lines said in reply.

The next layer (behaviour trees, scenario format v1's full vocabulary) builds on
the same pieces: :class:`SubjectState` for the state, :mod:`game.core.conditions`
for the checks, and the ``emit`` callback for what the subject does.
"""

from __future__ import annotations

import math
import random
from typing import Callable

from game.core.conditions import Condition, Context, compile_condition
from game.core.events import (
    WEAPONS,
    OutputEvent,
    Say,
    SubjectGoalChanged,
    SubjectPostureChanged,
    SubjectReacted,
    SubjectSaid,
)
from game.core.scenario import EndingDef, SubjectDef
from game.core.world import SaidRecord, SubjectState, TraineeState, distance, heading_to

Emit = Callable[[OutputEvent], None]

#: Postures a goal imposes, whatever the subject feels.
GOAL_POSTURES = {"comply": "hands_up", "flee": "running", "attack": "attacking"}

POSTURE_HYSTERESIS = 0.02
HEARING_RANGE = {"calm": 12.0, "normal": 15.0, "shout": 40.0}
SIGHT_RANGE = 25.0
LINE_COOLDOWN = 1.5
TURN_RATE = 150.0  # degrees per second
REPEAT_WINDOW = 10.0  # seconds within which saying the same thing again counts less
HEARD_MEMORY = 60.0  # seconds a subject remembers what it heard (conditions look back less)


def _clamp(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


class SubjectMind:
    """One subject: owns its :class:`SubjectState`; the simulation calls its hooks.

    ``hear`` / ``see_tool`` / ``nudge`` are called when an input reaches the subject,
    ``update`` once per step after the inputs. Each emits what the subject did.
    """

    def __init__(self, definition: SubjectDef, endings: tuple[EndingDef, ...], rng: random.Random) -> None:
        self.definition = definition
        self.profile = definition.profile
        self.rng = rng
        p = self.profile
        jitter = rng.uniform(-0.03, 0.03)
        self.state = SubjectState(
            id=definition.id,
            position=definition.position,
            heading=definition.heading,
            anchor=definition.position,
            agitation=_clamp(p.baseline_agitation + jitter),
            trust=_clamp(p.baseline_trust),
        )
        self.state.posture = self._ladder(self.state.agitation)
        self.endings: list[tuple[EndingDef, Condition]] = [
            (e, compile_condition(e.when)) for e in endings if e.subject in ("", definition.id)
        ]
        self.done_ending: EndingDef | None = None

    # ------------------------------------------------------------------ stimuli

    def hear(self, say: Say, trainee: TraineeState, now: float, emit: Emit) -> None:
        """Called when the trainee says something (after it is added to ``trainee.said``)."""
        s, p = self.state, self.profile
        if s.goal != "stay":
            return
        d = distance(trainee.position, s.position)
        if d > HEARING_RANGE.get(say.tone, 15.0):
            return
        s.heard.append(SaidRecord(say.intent, say.tone, now, say.text))
        while now - s.heard[0].time > HEARD_MEMORY:
            s.heard.pop(0)
        da, dtr = p.intent_effects.get(say.intent, (0.0, 0.0))
        repeats = sum(1 for r in s.heard[:-1] if r.intent == say.intent and now - r.time <= REPEAT_WINDOW)
        factor = p.repeat_damping**repeats
        da, dtr = da * factor, dtr * factor
        if say.tone == "shout":
            da += p.shout
            dtr -= p.shout * 0.5
        elif say.tone == "calm" and da < 0:
            da *= 1.25
        if s.crowded and da < 0:
            da *= 0.5  # hard to feel reassured by somebody in your face
        self._shift(da, dtr, f"said:{say.intent}:{say.tone}", emit)
        key = say.intent if say.intent in self.definition.lines else (
            "reply_agitated" if s.agitation >= 0.6 else "reply"
        )
        self._say(key, now, emit)

    def see_tool(self, tool: str, drawn: bool, trainee: TraineeState, emit: Emit) -> None:
        """Called when the trainee draws or holsters ``tool``."""
        if self.state.goal != "stay" or tool not in WEAPONS:
            return
        if distance(trainee.position, self.state.position) > SIGHT_RANGE:
            return
        if drawn:
            self._shift(0.05, -0.04, f"tool_drawn:{tool}", emit)
        else:
            self._shift(-0.03, 0.01, f"tool_holstered:{tool}", emit)

    def nudge(self, amount: float, cause: str, emit: Emit) -> None:
        """Called for an instructor's escalate (+) or calm (-)."""
        self._shift(amount, 0.0, cause, emit)

    # ------------------------------------------------------------------- update

    def update(self, trainee: TraineeState, now: float, dt: float, emit: Emit) -> EndingDef | None:
        """Called once per step. Returns the ending whose goal the subject has just completed."""
        s = self.state
        d = distance(trainee.position, s.position)
        if s.last_distance >= 0.0:
            raw = (s.last_distance - d) / dt
            alpha = min(1.0, dt * 6.0)
            s.closing_speed += (raw - s.closing_speed) * alpha
        s.last_distance = d

        if s.goal == "stay":
            self._feel(trainee, d, now, dt, emit)
            self._check_endings(trainee, now, emit)
        s.compliance = _clamp(s.trust * (1.0 - s.agitation) * 2.0)
        self._set_posture(GOAL_POSTURES.get(s.goal) or self._posture_for(s.agitation, s.posture), emit)
        self._move(trainee, d, dt)
        return self._goal_reached(d, now)

    def _feel(self, trainee: TraineeState, d: float, now: float, dt: float, emit: Emit) -> None:
        s, p = self.state, self.profile
        da = 0.0
        intrusion = max(0.0, (p.comfort_distance - d) / p.comfort_distance)
        crowded = intrusion > 0.0
        if crowded != s.crowded:
            s.crowded = crowded
            self._shift(0.03 if crowded else 0.0, -0.02 if crowded else 0.0,
                        "crowded" if crowded else "given_space", emit)
            if crowded:
                self._say("crowded", now, emit)
        da += p.crowding * intrusion * dt
        if d < 2.0 * p.comfort_distance and s.closing_speed > 0.6:
            da += p.approach * (s.closing_speed - 0.6) * dt
        if d <= SIGHT_RANGE:
            weapons = trainee.weapons_out()
            if weapons:
                aimed = trainee.is_aiming_at(s.position)
                da += (p.weapon_drawn + (p.weapon_aimed if aimed else 0.0)) * len(weapons) * dt
            if "flashlight" in trainee.tools_out() and d < 15.0 and trainee.is_aiming_at(s.position):
                da += p.flashlight * dt
        if da > 0.0:
            s.agitation = _clamp(s.agitation + da)
            s.trust = _clamp(s.trust - 0.3 * da)
        else:
            rest = p.baseline_agitation * (1.0 - 0.6 * s.trust)
            step = p.recovery * dt
            if s.agitation > rest:
                s.agitation = max(rest, s.agitation - step)
            elif s.agitation < rest:
                s.agitation = min(rest, s.agitation + step)

    def _check_endings(self, trainee: TraineeState, now: float, emit: Emit) -> None:
        ctx = Context(now=now, trainee=trainee, subject=self.state)
        fired: EndingDef | None = None
        for ending, cond in self.endings:  # every condition sees every step: `for` keeps time
            if cond.holds(ctx) and fired is None:
                fired = ending
        if fired is not None:
            s = self.state
            emit(SubjectGoalChanged(subject=s.id, goal=fired.goal, previous=s.goal, because=fired.id))
            s.goal, s.goal_since, s.ending = fired.goal, now, fired.id
            s.move_target = None
            self._say(f"goal_{fired.goal}", now, emit, force=True)

    def _goal_reached(self, d: float, now: float) -> EndingDef | None:
        s = self.state
        if s.goal == "stay" or self.done_ending is not None:
            return None
        elapsed = now - s.goal_since
        done = (
            (s.goal == "comply" and elapsed >= 2.5)
            or (s.goal == "flee" and (d > 18.0 or elapsed >= 8.0))
            or (s.goal == "attack" and (d < 0.9 or elapsed >= 4.0))
        )
        if done:
            self.done_ending = next(e for e, _ in self.endings if e.id == s.ending)
            return self.done_ending
        return None

    # --------------------------------------------------------------- movement

    def _move(self, trainee: TraineeState, d: float, dt: float) -> None:
        s, p = self.state, self.profile
        target: tuple[float, float] | None = None
        speed = 0.0
        if s.goal == "flee":
            away = heading_to(trainee.position, s.position)
            rad = math.radians(away)
            target = (s.position[0] - math.sin(rad) * 5.0, s.position[1] + math.cos(rad) * 5.0)
            speed = p.run_speed * 0.85
        elif s.goal == "attack":
            target, speed = trainee.position, p.run_speed
        elif s.goal == "stay" and s.posture == "agitated":
            if s.move_target is None or distance(s.position, s.move_target) < 0.1:
                a = self.rng.uniform(0.0, 2.0 * math.pi)
                r = self.rng.uniform(0.3, p.pace_radius)
                s.move_target = (s.anchor[0] + r * math.cos(a), s.anchor[1] + r * math.sin(a))
            target, speed = s.move_target, p.walk_speed * 0.7
        if target is not None and speed > 0.0:
            gap = distance(s.position, target)
            stepd = min(gap, speed * dt)
            if gap > 1e-9:
                ux, uy = (target[0] - s.position[0]) / gap, (target[1] - s.position[1]) / gap
                s.position = (s.position[0] + ux * stepd, s.position[1] + uy * stepd)
                self._turn_toward(heading_to(s.position, target) if gap > 0.05 else s.heading, dt)
            s.speed = stepd / dt
        else:
            s.speed = 0.0
            if d < 20.0:
                self._turn_toward(heading_to(s.position, trainee.position), dt)

    def _turn_toward(self, heading: float, dt: float) -> None:
        s = self.state
        diff = (heading - s.heading + 180.0) % 360.0 - 180.0
        limit = TURN_RATE * dt
        s.heading = (s.heading + max(-limit, min(limit, diff)) + 180.0) % 360.0 - 180.0

    # ------------------------------------------------------------------ helpers

    def _shift(self, da: float, dtr: float, cause: str, emit: Emit) -> None:
        s = self.state
        a0, t0 = s.agitation, s.trust
        s.agitation, s.trust = _clamp(a0 + da), _clamp(t0 + dtr)
        emit(SubjectReacted(subject=s.id, cause=cause, agitation=s.agitation, trust=s.trust,
                            delta_agitation=s.agitation - a0, delta_trust=s.trust - t0))

    def _ladder(self, agitation: float) -> str:
        for threshold, posture in self.profile.postures:
            if agitation >= threshold:
                return posture
        return self.profile.postures[-1][1]

    def _posture_for(self, agitation: float, current: str) -> str:
        low = self._ladder(agitation - POSTURE_HYSTERESIS)
        high = self._ladder(agitation + POSTURE_HYSTERESIS)
        return low if low == high else current if current in (low, high) else low

    def _set_posture(self, posture: str, emit: Emit) -> None:
        s = self.state
        if posture != s.posture:
            emit(SubjectPostureChanged(subject=s.id, posture=posture, previous=s.posture))
            s.posture = posture

    def _say(self, key: str, now: float, emit: Emit, force: bool = False) -> None:
        s = self.state
        options = self.definition.lines.get(key)
        if not options or (not force and now - s.last_line_time < LINE_COOLDOWN):
            return
        text = options[self.rng.randrange(len(options))] if len(options) > 1 else options[0]
        s.last_line_time = now
        emit(SubjectSaid(subject=s.id, line=key, text=text))

