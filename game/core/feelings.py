"""How stimuli move a subject's inner state (agitation and trust, 0..1).

:class:`Feelings` holds a subject's profile weights (after its triggers) and is
called by the subject's mind: ``hear``/``see_tool``/``touched``/``hit`` when an
input reaches the subject, ``settle`` once per step for continuous stimuli
(crowding, approach, weapons, light, other subjects) and recovery. Every change is
announced as ``SubjectReacted`` with its cause, so the review can say why.
"""

from __future__ import annotations

import random
from typing import Callable

from game.core.events import COMMANDS, VISUAL_INTENTS, WEAPONS, OutputEvent, Say, SubjectReacted
from game.core.scenario import CALMER_RECOVERY, DEFAULT_SENSITIVITY, VOICES_SURGE, Profile
from game.core.tools import DEFAULT_TOOLS, KINDS, ToolSpecs, beam_in_eyes
from game.core.world import SaidRecord, SubjectState, TraineeState, angle_between, distance, heading_to

Emit = Callable[[OutputEvent], None]

HEARING_RANGE = {"calm": 12.0, "normal": 15.0, "shout": 40.0}
SIGHT_RANGE = 25.0
#: A gesture or a note is taken in within this distance, by a subject facing the trainee.
VISUAL_RANGE = 10.0
VISUAL_CONE = 100.0
REPEAT_WINDOW = 10.0  # seconds within which saying the same thing again counts less
#: Intents that tell or warn rather than connect (weighted by the ``commands`` sensitivity).
DIRECTIVE = frozenset(COMMANDS) | {"warn_force", "explain_consequences"}
#: Intents that try to connect; too early (agitation above RAPPORT_CEILING) they mostly fail.
RAPPORT = frozenset({"empathise", "reassure", "offer_help"})
RAPPORT_CEILING = 0.82
#: What a subject who wants to be heard responds to best.
BEING_HEARD = frozenset({"listen", "ask_what_happened", "empathise"})
OTHERS_RANGE = 6.0
VOICES_EVERY = 20.0  # mean seconds between surges for a subject who hears voices
#: Metres beyond the comfort distance the trainee must step back before a crowded subject
#: feels given space again (a band, not one line: a trainee standing at the edge, whose head
#: sways a centimetre, crowded and freed the subject every step — thousands of events and an
#: agitation kick each time). Crowding starts inside ``comfort_distance``; how much it agitates
#: still grows smoothly from zero at the edge, so only the crowded/given-space events change.
CROWDING_BAND = 0.25
#: Postures in which being handled is expected (a touch counts for much less).
YIELDING = frozenset({"hands_up", "kneeling", "prone", "sitting"})


def clamp(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


class Feelings:
    """A subject's sensitivities and the rules that turn stimuli into changes of state."""

    def __init__(self, state: SubjectState, profile: Profile, rng: random.Random,
                 tools: ToolSpecs = DEFAULT_TOOLS) -> None:
        self.state = state
        self.tools = tools
        self.profile = profile
        self.rng = rng
        self.w = {channel: profile.weight(channel) for channel in DEFAULT_SENSITIVITY}
        self.calmers = frozenset(profile.calmed_by)

    # ------------------------------------------------------------- discrete stimuli

    def sees(self, trainee: TraineeState, within: float = VISUAL_RANGE) -> bool:
        """Whether the subject faces the trainee, close enough to read hands and face."""
        s = self.state
        facing = angle_between(s.heading, heading_to(s.position, trainee.position)) <= VISUAL_CONE / 2
        return facing and distance(trainee.position, s.position) <= within

    def perceives(self, say: Say, trainee: TraineeState) -> bool:
        """Whether the subject takes in what the trainee just said or showed."""
        if say.intent in VISUAL_INTENTS:
            return self.sees(trainee)
        d = distance(trainee.position, self.state.position)
        return d <= HEARING_RANGE.get(say.tone, 15.0) * self.w["hearing"]

    def see_shouting(self, now: float, emit: Emit) -> None:
        """Called when a subject who cannot hear sees the trainee shout at them: the words are
        lost, the anger is not."""
        w = self.w["shout"]
        self.shift(w, -0.5 * w, "saw_shouting", emit)

    def hear(self, say: Say, now: float, emit: Emit) -> None:
        """Called when the subject has perceived ``say`` (see :meth:`perceives`)."""
        s, p, w = self.state, self.profile, self.w
        s.heard.append(SaidRecord(say.intent, say.tone, now, say.text))
        while now - s.heard[0].time > p.memory:
            s.heard.pop(0)
        da, dtr = p.intent_effects.get(say.intent, (0.0, 0.0))
        repeats = sum(1 for r in s.heard[:-1] if r.intent == say.intent and now - r.time <= REPEAT_WINDOW)
        factor = p.repeat_damping**repeats * (w["commands"] if say.intent in DIRECTIVE else w["words"])
        if say.intent in self.calmers:
            factor *= 2.0
        if (s.goal == "be_heard" or "be_heard" in p.goals) and say.intent in BEING_HEARD:
            factor *= 1.5
        da, dtr = da * factor, dtr * factor
        if say.intent in RAPPORT and s.agitation > RAPPORT_CEILING:
            da, dtr = da * 0.3, min(dtr * 0.3, -0.02)  # "don't tell me to calm down"
        if say.tone == "shout":
            if say.intent in DIRECTIVE and s.trust < 0.3 and s.agitation > 0.6 and da > 0:
                da *= 1.5  # a command barked at a frightened subject
            da += w["shout"]
            dtr -= w["shout"] * 0.5
        elif say.tone == "calm" and da < 0:
            da *= 1.25
        if s.crowded and da < 0:
            da *= 0.5  # hard to feel reassured by somebody in your face
        self.shift(da, dtr, f"said:{say.intent}:{say.tone}", emit)

    def see_tool(self, tool: str, drawn: bool, trainee: TraineeState, emit: Emit) -> None:
        """Called when the trainee draws or holsters a weapon (the flashlight is not one)."""
        if distance(trainee.position, self.state.position) > SIGHT_RANGE:
            return
        scale = self.w["weapon_drawn"] / DEFAULT_SENSITIVITY["weapon_drawn"]
        if drawn:
            self.shift(0.05 * scale, -0.04, f"tool_drawn:{tool}", emit)
        else:
            self.shift(-0.03, 0.01, f"tool_holstered:{tool}", emit)

    def touched(self, emit: Emit) -> None:
        """Called when the trainee's hand reaches the subject."""
        scale = 0.3 if self.state.posture in YIELDING else 1.0
        t = self.w["touch"] * scale
        self.shift(t, -0.5 * t, "touch", emit)

    def hit(self, tool: str, emit: Emit) -> None:
        """Called when a force option lands on the subject."""
        da, dtr = KINDS[tool].feelings
        self.shift(da, dtr, f"force:{tool}", emit)

    # ------------------------------------------------------------ continuous stimuli

    def settle(self, trainee: TraineeState, others: list[SubjectState], now: float, dt: float, emit: Emit) -> None:
        """Called once per step: crowding, approach, weapons, light, others; else recovery."""
        s, p, w = self.state, self.profile, self.w
        d = distance(trainee.position, s.position)
        intrusion = max(0.0, (p.comfort_distance - d) / p.comfort_distance)
        crowded = d <= p.comfort_distance + CROWDING_BAND if s.crowded else intrusion > 0.0
        if crowded != s.crowded:
            s.crowded = crowded
            if crowded:
                self.shift(0.03, -0.02, "crowded", emit)
            else:
                self.shift(0.0, 0.0, "given_space", emit)
        da = w["crowding"] * intrusion * dt
        if d < 2.0 * p.comfort_distance and s.closing_speed > 0.6:
            da += w["approach"] * (s.closing_speed - 0.6) * dt
        weapons = trainee.weapons_out() if d <= SIGHT_RANGE else []
        pointed = trainee.tools_pointed_at(s.position)
        if weapons:
            aimed = sum(1 for t in pointed if t in WEAPONS)
            da += (w["weapon_drawn"] * len(weapons) + w["weapon_aimed"] * aimed) * dt
        s.lit = "flashlight" in pointed and self.eyes_lit(trainee)
        if s.lit:
            da += w["flashlight"] * dt
        for o in others:
            if o.agitation > s.agitation and distance(o.position, s.position) <= OTHERS_RANGE:
                da += w["others"] * (o.agitation - s.agitation) * dt
        if w["voices"] > 0.0 and self.rng.random() < dt / VOICES_EVERY:
            self.shift(VOICES_SURGE * w["voices"], 0.0, "voices", emit)
        if da > 0.0:
            s.agitation = clamp(s.agitation + da)
            s.trust = clamp(s.trust - 0.3 * da)
            return
        rest = p.baseline_agitation * (1.0 - 0.6 * s.trust)
        step = p.recovery * dt * (CALMER_RECOVERY if self._calmed(trainee, d, weapons, now) else 1.0)
        if s.agitation > rest:
            s.agitation = max(rest, s.agitation - step)
        elif s.agitation < rest:
            s.agitation = min(rest, s.agitation + step)

    def eyes_lit(self, trainee: TraineeState) -> bool:
        """Whether a flashlight's beam is in the subject's eyes (see :func:`game.core.tools.eyes_lit`)."""
        s = self.state
        return any(trainee.hands[hand] == "flashlight" and not trainee.low_ready[hand]
                   and beam_in_eyes(trainee, hand, s.posture, s.position, s.heading, self.tools)
                   for hand in ("left", "right"))

    def _calmed(self, trainee: TraineeState, d: float, weapons: list[str], now: float) -> bool:
        c = self.calmers
        if not c:
            return False
        s = self.state
        return (
            "time" in c
            or ("space" in c and d > 2.0 * self.profile.comfort_distance)
            or ("quiet" in c and not s.heard_within(now, 10.0))
            or ("light_off" in c and not s.lit)
            or ("weapons_away" in c and not weapons)
        )

    def shift(self, da: float, dtr: float, cause: str, emit: Emit) -> None:
        """Moves the state by (``da``, ``dtr``; trust gains weighted) and announces why."""
        s = self.state
        if dtr > 0.0:
            dtr *= self.w["trust_gain"]
        a0, t0 = s.agitation, s.trust
        s.agitation, s.trust = clamp(a0 + da), clamp(t0 + dtr)
        emit(SubjectReacted(subject=s.id, cause=cause, agitation=s.agitation, trust=s.trust,
                            delta_agitation=s.agitation - a0, delta_trust=s.trust - t0))
