"""A subject's mind: inner state moved by stimuli (:mod:`game.core.feelings`), a
behaviour tree that decides what the body does (:mod:`game.core.behaviour`,
:mod:`game.core.actions`), named branches, and the body itself (posture, voice,
motion, weapon).

The simulation calls, in this order each step: the stimulus hooks for inputs that
reach the subject (``hear``, ``see_tool``, ``touched``, ``hit``; instructor's
``nudge`` and ``force_branch``), then ``update`` once. ``update`` settles feelings,
ticks the tree at :data:`TREE_HZ` (staggered between subjects), and moves the body.
"""

from __future__ import annotations

import math
import random
from typing import Any, Callable, Mapping

from game.core.actions import ACTIONS
from game.core.behaviour import Node, compile_tree
from game.core.conditions import Condition, Context, compile_condition
from game.core.events import (
    WEAPONS,
    BranchEntered,
    BranchLeft,
    OutputEvent,
    Say,
    SubjectActivityChanged,
    SubjectAttacked,
    SubjectGoalChanged,
    SubjectPostureChanged,
    SubjectReactedToForce,
    SubjectSaid,
    SubjectWeaponChanged,
)
from game.core.feelings import Feelings, clamp
from game.core.knowledge import DEFAULT_LINES, Conversation
from game.core.navigation import Navigator, Route
from game.core.puppet import SPOKEN_LINE
from game.core.scenario import BranchDef, EndingDef, SubjectDef
from game.core.branch_needs import needs_weapon
from game.core.tools import DEFAULT_TOOLS, KINDS, ToolSpecs
from game.core.world import SubjectState, TraineeState, distance, heading_to

Emit = Callable[[OutputEvent], None]

#: How often a subject's tree is ticked (the body moves on every simulation step).
TREE_HZ = 30
POSTURE_HYSTERESIS = 0.02
LINE_GAP = 1.5  # seconds between two replies of one subject (behaviours' lines have cooldowns of their own)
TURN_RATE = 150.0  # degrees per second
WALL_MARGIN = 0.3  # metres a subject keeps from the edge of the scene's walkable area
#: What a hit does when the caller does not say (a hand-built simulation, old tests): a
#: CEW hit incapacitates for its cycle, a firearm hit for good; OC and baton hurt (each
#: tool's ``reaction`` in game.core.tools.KINDS).
DEFAULT_REACTION = {name: kind.reaction for name, kind in KINDS.items() if kind.force}
#: Postures a subject goes down into, by tool (each tool's ``down_posture``).
DOWN_POSTURE = {name: kind.down_posture for name, kind in KINDS.items()}
DEFAULT_TREE: Mapping[str, Any] = {"idle": True}


class SubjectMind:
    """One subject: owns its :class:`SubjectState`, its feelings, its trees, its body."""

    def __init__(self, definition: SubjectDef, branches: tuple[BranchDef, ...],
                 endings: tuple[EndingDef, ...], rng: random.Random, index: int = 0, hz: int = 90,
                 bounds: tuple[tuple[float, float], tuple[float, float]] | None = None,
                 tools: ToolSpecs = DEFAULT_TOOLS, navigator: Navigator | None = None) -> None:
        """``navigator``: the scene's footprints, walked around (None or empty: open ground)."""
        self.definition = definition
        self.profile = p = definition.profile
        self.rng = rng
        self.state = s = SubjectState(
            id=definition.id,
            position=definition.position,
            heading=definition.heading,
            anchor=definition.position,
            agitation=clamp(p.baseline_agitation + rng.uniform(-0.03, 0.03)),
            trust=clamp(p.baseline_trust),
            goal=p.goals[0],
            weapon="" if p.weapon == "none" else p.weapon,
            weapon_out=p.weapon != "none" and not p.concealed,  # carried openly: in hand from the start
            weapon_seen=p.weapon != "none" and not p.concealed,
            memory=p.memory,
        )
        self.feelings = Feelings(s, p, rng, tools)
        s.posture = self._ladder(s.agitation)
        self.posture_auto = True
        self.main = self._compile(definition.tree or DEFAULT_TREE)
        self.branches: dict[str, tuple[BranchDef, Condition | None, Condition | None]] = {
            b.id: (b, _maybe(b.when), _maybe(b.until)) for b in branches if b.subject == definition.id
        }
        self.weapon_branches = frozenset(bid for bid, entry in self.branches.items() if needs_weapon(entry[0]))
        self.tree = self.main
        self.endings = [(e, compile_condition(e.when)) for e in endings
                        if e.when is not None and e.subject in ("", definition.id)]
        self.tick_every = max(1, hz // TREE_HZ)
        self.tick_phase = index % self.tick_every
        self.incapacitated_until = -1.0
        #: Effects still to come (OC's onset): (at, tool, reaction, seconds, detail), in order.
        self.pending: list[tuple[float, str, str, float, str]] = []
        self._until_armed = False
        self._last_reply = -1e9
        self.last_strike = -1e9
        self.line_used: dict[str, float] = {}
        self.ending_request = ""
        #: Subjects this one struck since the simulation last looked (it makes them react).
        self.struck: list[str] = []
        self._branch_request = ""
        self._motion: tuple[Callable[[], tuple[float, float] | None], float] | None = None
        self._motion_owner: object = None
        self._last_trainee: tuple[float, float] | None = None
        self._contact: object = None  # whose closing speed that is (the contact officer)
        #: The walkable area, kept WALL_MARGIN inside the scene's bounds (None: everywhere).
        self.bounds = None if bounds is None else (
            (bounds[0][0] + WALL_MARGIN, bounds[0][1] + WALL_MARGIN), (bounds[1][0] - WALL_MARGIN, bounds[1][1] - WALL_MARGIN))
        #: The subject is pressed against the edge of the walkable area (or a footprint), going nowhere.
        self.pinned = False
        #: The scene's footprints and this subject's way around them.
        self.navigator = navigator if navigator else None
        self.route = Route()
        #: Where the body walked toward on the last step (None: it stood).
        self.way: tuple[float, float] | None = None
        #: Bodies meeting (game.core.presence): the officer held and until when; until when
        #: it pushes past each officer; when it last took hold of each.
        self.grapple: tuple[str, float] | None = None
        self.pushing: dict[str, float] = {}
        self.grappled_at: dict[str, float] = {}
        #: What it knows and will tell, and its memory of the conversation.
        self.conversation = Conversation(definition.id, definition.name, tuple(definition.knows),
                                         {k: _text(v[0]) for k, v in definition.lines.items() if v})
        self._face: Any = "trainee"
        # set at each update, for the actions and conditions
        self.now = 0.0
        self.emit: Emit = lambda e: None
        self.trainee = TraineeState()
        self.subjects: Mapping[str, SubjectState] = {s.id: s}
        #: Every officer by seat (the simulation's); ``trainee`` in a target is the contact officer.
        self.officers: Mapping[str, TraineeState] = {}
        #: The team's record (partner officers' misconduct, interventions); None without partners.
        self.team: Any = None
        self.context = Context(0.0, self.trainee, s, self.subjects)

    def _compile(self, data: Any) -> Node:
        return compile_tree(data, ACTIONS, compile_condition)

    # ------------------------------------------------------------- stimulus hooks

    def hear(self, say: Say, trainee: TraineeState, now: float, emit: Emit) -> None:
        """Called when the trainee says (or shows) something; the subject may not take it in."""
        if not self.feelings.perceives(say, trainee):
            if self.feelings.w["hearing"] == 0.0 and self.feelings.sees(trainee, within=15.0):
                if say.tone == "shout":
                    self.feelings.see_shouting(now, emit)
                if self.feelings.sees(trainee, within=8.0):
                    self._say_line("cannot_hear", "normal", now, emit, cooldown=8.0)
            return
        self.feelings.hear(say, now, emit)
        if self.incapacitated_until > now:
            return
        if say.to and say.to != self.state.id:
            return  # overheard: it counts, but the subject does not answer what was not asked of it
        if self._converse(say.intent, say.text, trainee, now, emit):
            return
        lines = self.definition.lines
        key = say.intent if say.intent in lines else ("reply_agitated" if self.state.agitation >= 0.6 else "reply")
        if now - self._last_reply >= LINE_GAP and self._say_line(key, "normal", now, emit, cooldown=0.0, gap=0.0):
            self._last_reply = now

    def hear_words(self, text: str, tone: str, trainee: TraineeState, now: float, emit: Emit) -> None:
        """Called for speech no intent was found in (``SpeechHeard``): its words may still
        ask about something the subject knows ("any meds today?"), or use its name."""
        if not text or self.incapacitated_until > now:
            return
        if not self.feelings.perceives(Say(intent="listen", tone=tone), trainee):
            return
        self._converse("", text, trainee, now, emit)

    def _converse(self, intent: str, text: str, trainee: TraineeState, now: float, emit: Emit) -> bool:
        """The name, promises, and a question about something it knows: answered (True) or not asked."""
        c, s = self.conversation, self.state
        shift = lambda da, dtr, cause: self.feelings.shift(da, dtr, cause, emit)  # noqa: E731
        c.heard(text, now, distance(trainee.position, s.position), shift)
        fact = c.question(intent, text)
        if fact is None:
            return False
        how, said = c.answer(fact, s.agitation, s.trust, now, emit, shift)
        s.last_line_time = self._last_reply = now
        emit(SubjectSaid(subject=s.id, line=f"knows.{fact.id}.{how}", text=said,
                         tone="shout" if how == "irritated" and s.agitation >= 0.6 else "normal",
                         narration=fact.narration))
        return True

    def see_tool(self, tool: str, drawn: bool, trainee: TraineeState, emit: Emit) -> None:
        """Called when the trainee draws or holsters ``tool``."""
        if tool in WEAPONS:
            self.feelings.see_tool(tool, drawn, trainee, emit)

    def touched(self, now: float, emit: Emit) -> None:
        """Called when the trainee's hand reaches this subject."""
        self.state.last_touch = now
        self.feelings.touched(emit)

    def struck_by(self, other: str, now: float, emit: Emit) -> None:
        """Called when another subject's blow lands on this one."""
        self.feelings.shift(0.3, -0.1, f"struck_by:{other}", emit)

    def hit(self, tool: str, now: float, emit: Emit, *, zone: str = "torso", reaction: str | None = None,
            seconds: float | None = None, detail: str = "") -> None:
        """Called when a force option lands on this subject (on ``zone``) and works as
        ``reaction`` (see :func:`game.core.force.reaction_for`) for ``seconds`` (-1: for good).
        A subject who wants to flee runs from what only hurts."""
        s = self.state
        self.now, self.emit = now, emit
        s.last_force, s.last_force_tool = now, tool
        self.feelings.hit(tool, emit)
        if reaction is None:
            reaction, seconds = DEFAULT_REACTION[tool]
        seconds = 0.0 if seconds is None else seconds
        if reaction in ("pain", "flinch") and "flee" in self.profile.goals and self.incapacitated_until <= now:
            reaction = "flee"
        emit(SubjectReactedToForce(subject=s.id, tool=tool, reaction=reaction, zone=zone, detail=detail,
                                   seconds=seconds))
        if reaction in ("incapacitated", "fall"):
            self.incapacitated_until = math.inf if seconds < 0 else max(self.incapacitated_until, now + seconds)
            self.tree.halt(self)
            self.halt_motion()
            self.set_activity("collapse")
            self.set_posture(DOWN_POSTURE.get(tool, "prone") if reaction == "incapacitated" else
                             ("collapsed" if seconds < 0 else "prone"))
            if s.weapon_out:
                self.drop_weapon()
        elif reaction == "flee":
            self.set_goal("flee", because=f"force:{tool}")

    def dose(self, tool: str, at: float, reaction: str, seconds: float, detail: str) -> None:
        """A force option whose effect comes later (OC spray): it works at ``at``."""
        self.pending.append((at, tool, reaction, seconds, detail))
        self.pending.sort(key=lambda p: p[0])

    def nudge(self, amount: float, cause: str, emit: Emit) -> None:
        """Called for an instructor's escalate (+) or calm (-)."""
        self.feelings.shift(amount, 0.0, cause, emit)

    def force_branch(self, branch: str, now: float, emit: Emit) -> None:
        """Called when the instructor forces ``branch``: it starts at once (the simulation
        has asked :meth:`can_enter` first)."""
        self.now, self.emit = now, emit
        self._enter(branch, "instructor")

    def can_enter(self, branch: str, now: float) -> str | None:
        """Whether an instructor can force ``branch`` on this subject now: None if so, else
        why not, in words for the console (the HUD shows it; ``BranchRefused`` journals it)."""
        s, name = self.state, self.definition.name or self.state.id
        entry = self.branches.get(branch)
        if entry is None:
            return f"'{branch}' is not a branch of {name}"
        if s.branch == branch:
            return "already running"
        if self.incapacitated_until > now:
            if math.isinf(self.incapacitated_until):
                return f"{name} is down and will not get up"
            return f"{name} is down for {math.ceil(self.incapacitated_until - now)} s more"
        if not s.weapon and branch in self.weapon_branches:
            had = self.profile.weapon != "none"
            return f"{name} no longer has a weapon" if had else f"{name} has no weapon"
        return None

    # ------------------------------------------------------------------- update

    def update(self, trainee: TraineeState, subjects: Mapping[str, SubjectState], step: int,
               now: float, dt: float, emit: Emit, think: bool = True) -> None:
        """Called once per step after the inputs; sets ``ending_request`` when an ending is reached.
        ``think`` is False once the scenario has ended: the subject feels and finishes moving,
        but its behaviour does no more (the session's epilogue is not a new scene)."""
        s = self.state
        self.now, self.emit, self.trainee, self.subjects = now, emit, trainee, subjects
        self.context = Context(now, trainee, s, subjects, self.officers, self.team)
        d = distance(trainee.position, s.position)
        if trainee is not self._contact:  # another officer is nearest now: no closing speed from the switch
            self._contact, self._last_trainee = trainee, None
        if self._last_trainee is not None:
            # how fast the trainee closes in: only the trainee's own movement counts, not the
            # subject's (a subject who walks up to the officer does not frighten himself)
            raw = (distance(self._last_trainee, s.position) - d) / dt
            s.closing_speed += (raw - s.closing_speed) * min(1.0, dt * 6.0)
        self._last_trainee = trainee.position
        s.last_distance = d
        while self.pending and self.pending[0][0] <= now + 1e-9:
            _at, tool, reaction, seconds, detail = self.pending.pop(0)
            self.hit(tool, now, emit, zone="head", reaction=reaction, seconds=seconds, detail=detail)
        self.feelings.settle(trainee, [o for o in subjects.values() if o is not s], now, dt, emit)
        broken = self.conversation.watch(now, d, s.last_touch,
                                         lambda da, dtr, cause: self.feelings.shift(da, dtr, cause, emit))
        if broken:
            emit(SubjectSaid(subject=s.id, line=broken, tone="shout" if s.agitation >= 0.6 else "normal",
                             text=self.conversation.lines.get(broken, DEFAULT_LINES[broken])))
            s.last_line_time = now
        s.compliance = clamp(s.trust * (1.0 - s.agitation) * 2.0)
        if think and step % self.tick_every == self.tick_phase:
            self._think()
        if self.posture_auto and s.activity != "collapse":
            self._show_posture(self._posture_for(s.agitation, s.posture))
        self._move(dt)

    def _think(self) -> None:
        s = self.state
        for ending, cond in self.endings:  # every condition sees every tick: `for` keeps time
            if cond.holds(self.context) and not self.ending_request:
                self.ending_request = ending.id
        if self.incapacitated_until > self.now:
            return
        if s.activity == "collapse" and self.incapacitated_until > 0.0:
            self.incapacitated_until = 0.0
            self.set_activity("idle")
            self.posture_auto = True
        self._transitions()
        self.tree.tick(self)
        if self._branch_request:
            target, self._branch_request = self._branch_request, ""
            self._enter(target, "tree")

    def _transitions(self) -> None:
        """Leaves the branch whose ``until`` holds, or enters the first branch whose ``when``
        holds and may be entered from where the subject is. Conditions only count time (``for``)
        while they can matter: a ``when`` from where the subject is now, an ``until`` once it
        has not held at least once since the branch began (so a branch the instructor forces
        does not end on the tick it starts)."""
        s = self.state
        if s.branch:
            until = self.branches[s.branch][2]
            if until is not None:
                holds = until.holds(self.context)
                if holds and self._until_armed:
                    self._leave()
                elif not holds:
                    self._until_armed = True
        here = s.branch or "main"
        for bid, (b, when, _until) in self.branches.items():
            if when is None or bid == s.branch or not (here in b.entered_from or "any" in b.entered_from):
                continue
            if when.holds(self.context):
                self._enter(bid, "auto")
                return

    def _fresh_conditions(self) -> None:
        """Called when the subject changes branch: every ``when`` and ``until`` starts counting anew."""
        for bid, (b, _when, _until) in self.branches.items():
            self.branches[bid] = (b, _maybe(b.when), _maybe(b.until))
        self._until_armed = False

    def _enter(self, branch: str, cause: str) -> None:
        s = self.state
        if branch not in self.branches:
            return
        self.tree.halt(self)
        previous = s.branch
        s.branch, s.branch_since = branch, self.now
        self._fresh_conditions()
        self.tree = self._compile(self.branches[branch][0].tree)  # a branch starts from its beginning
        self.emit(BranchEntered(subject=s.id, branch=branch, previous=previous, cause=cause))

    def _leave(self) -> None:
        s = self.state
        self.tree.halt(self)
        self.emit(BranchLeft(subject=s.id, branch=s.branch))
        s.branch = ""
        self._fresh_conditions()
        self.tree = self.main
        self.posture_auto = True

    # ------------------------------------------------ the body, for the actions

    def position_of(self, who: str) -> tuple[float, float] | None:
        """Where ``who`` is: ``trainee`` (the contact officer), ``officer:N`` or a subject's id."""
        if who == "trainee":
            return self.trainee.position
        if who.startswith("officer:"):
            named = self.officers.get(who)
            return None if named is None else named.position
        other = self.subjects.get(who)
        return None if other is None else other.position

    def distance_to(self, who: str) -> float:
        where = self.position_of(who)
        return math.inf if where is None else distance(self.state.position, where)

    def set_posture(self, posture: str) -> None:
        """Takes ``posture`` and keeps it; ``auto`` hands posture back to the agitation ladder."""
        self.posture_auto = posture == "auto"
        if not self.posture_auto:
            self._show_posture(posture)

    def _show_posture(self, posture: str) -> None:
        s = self.state
        if posture != s.posture:
            self.emit(SubjectPostureChanged(subject=s.id, posture=posture, previous=s.posture))
            s.posture = posture

    def set_activity(self, activity: str) -> None:
        s = self.state
        if activity != s.activity:
            self.emit(SubjectActivityChanged(subject=s.id, activity=activity, previous=s.activity))
            s.activity = activity

    def set_goal(self, goal: str, because: str) -> None:
        s = self.state
        if goal != s.goal:
            self.emit(SubjectGoalChanged(subject=s.id, goal=goal, previous=s.goal, because=because))
            s.goal = goal

    def say(self, key: str, tone: str, cooldown: float) -> bool:
        """A behaviour's line: said even right after a reply (only its own cooldown applies)."""
        return self._say_line(key, tone, self.now, self.emit, cooldown, gap=0.0)

    def feel(self, da: float, dtr: float, cause: str) -> None:
        self.feelings.shift(da, dtr, cause, self.emit)

    def face(self, target: Any) -> None:
        self._face = target

    def go(self, activity: str, target: Callable[[], tuple[float, float] | None], speed: float,
           owner: object = None) -> None:
        """Starts moving toward ``target()`` (asked again each step) at ``speed``, for ``owner``."""
        self._motion = (target, speed)
        self._motion_owner = owner
        self.set_activity(activity)

    def halt_motion(self, owner: object = None) -> None:
        """Stops moving; with ``owner``, only if that action's motion is the one running (a
        behaviour halted after a higher-priority one started moving must not stop it)."""
        if owner is not None and owner is not self._motion_owner:
            return
        self._motion = None
        self._motion_owner = None
        self.state.speed = 0.0
        if self.state.activity not in ("collapse", "comply"):
            self.set_activity("idle")

    def draw_weapon(self) -> bool:
        s = self.state
        if not s.weapon:
            return False
        if not s.weapon_out:
            s.weapon_out = s.weapon_seen = True
            self.emit(SubjectWeaponChanged(subject=s.id, weapon=s.weapon, out=True))
        return True

    def drop_weapon(self) -> bool:
        s = self.state
        if not s.weapon_out:
            return bool(s.weapon)
        s.weapon_out = False
        self.emit(SubjectWeaponChanged(subject=s.id, weapon=s.weapon, out=False, dropped=True))
        s.weapon = ""
        return True

    def strike(self, target: str) -> None:
        s = self.state
        s.attacked = True
        self.last_strike = self.now
        weapon = s.weapon if s.weapon_out else ""
        self.emit(SubjectAttacked(subject=s.id, target=target, weapon=weapon, hit=True))
        victim = self.subjects.get(target)
        if victim is not None:
            victim.hurt = True
            self.struck.append(target)

    def request_branch(self, branch: str) -> None:
        self._branch_request = branch

    def request_end(self, ending: str) -> None:
        if not self.ending_request:
            self.ending_request = ending

    # ------------------------------------------------------------------ helpers

    def attack_target(self) -> str | None:
        """Whom the running attack is for (``trainee``, ``officer:N`` or a subject), or None."""
        if self.state.activity != "attack":
            return None
        return getattr(self._motion_owner, "who", None)

    def grappling(self, now: float) -> str | None:
        """The officer this subject holds on to now, or None."""
        return self.grapple[0] if self.grapple is not None and now < self.grapple[1] - 1e-9 else None

    def _move(self, dt: float) -> None:
        s = self.state
        self.way = None
        held = self.grappling(self.now)
        if held is not None:  # holding on to an officer: stands there, facing them
            s.speed = 0.0
            where = self.position_of(held)
            if where is not None:
                self._turn_toward(heading_to(s.position, where), dt)
            return
        target = self._motion[0]() if self._motion is not None else None
        self.pinned = False
        if target is not None and self.bounds is not None:
            (x0, y0), (x1, y1) = self.bounds
            inside = (min(max(target[0], x0), x1), min(max(target[1], y0), y1))
            self.pinned = distance(inside, target) > 0.05 and distance(s.position, inside) < 0.01
            target = inside
        way = target
        nav = self.navigator
        if target is not None and nav is not None:
            free = nav.free_point(target)  # a goal in a footprint is reached as near as it allows
            if distance(free, target) > 0.05 and distance(s.position, free) < 0.01:
                self.pinned = True
            target = free
            way = self.route.next_point(nav, s.position, target, self.now)
            if way is None:  # walled off from it: stands, as against the edge of the scene
                self.pinned = True
                target = None
        if target is not None and way is not None:
            self.way = way
            speed = self._motion[1]  # type: ignore[index]
            gap = distance(s.position, way)
            stepd = min(gap, speed * dt)
            if gap > 1e-9:
                s.position = (s.position[0] + (way[0] - s.position[0]) * stepd / gap,
                              s.position[1] + (way[1] - s.position[1]) * stepd / gap)
                if gap > 0.05 or way != target:
                    backing = s.activity == "retreat" or (s.activity == "comply" and speed < 1.0)
                    h = heading_to(s.position, way)
                    self._turn_toward(h + 180.0 if backing else h, dt)
            s.speed = stepd / dt
            return
        s.speed = 0.0
        if s.activity == "collapse":
            return
        face = self._face
        where = face if isinstance(face, tuple) else self.position_of(face)
        if where is not None and distance(where, s.position) < 25.0:
            self._turn_toward(heading_to(s.position, where), dt)

    def _turn_toward(self, heading: float, dt: float) -> None:
        s = self.state
        diff = (heading - s.heading + 180.0) % 360.0 - 180.0
        limit = TURN_RATE * dt
        s.heading = (s.heading + max(-limit, min(limit, diff)) + 180.0) % 360.0 - 180.0

    def _ladder(self, agitation: float) -> str:
        for threshold, posture in self.profile.postures:
            if agitation >= threshold:
                return posture
        return self.profile.postures[-1][1]

    def _posture_for(self, agitation: float, current: str) -> str:
        low = self._ladder(agitation - POSTURE_HYSTERESIS)
        high = self._ladder(agitation + POSTURE_HYSTERESIS)
        return low if low == high else current if current in (low, high) else low

    def _say_line(self, key: str, tone: str, now: float, emit: Emit, cooldown: float, gap: float = LINE_GAP) -> bool:
        s = self.state
        options = self.definition.lines.get(key)
        if not options or now - s.last_line_time < gap:
            return False
        if now - self.line_used.get(key, -1e9) < cooldown:
            return False
        chosen = options[self.rng.randrange(len(options))] if len(options) > 1 else options[0]
        text, audio = (chosen, "") if isinstance(chosen, str) else (chosen.text, chosen.audio)
        s.last_line_time = now
        self.line_used[key] = now
        emit(SubjectSaid(subject=s.id, line=key, text=text, tone=tone, audio=audio,
                         narration=getattr(chosen, "narration", False)))
        return True

    def puppet(self, key: str, variant: int, tone: str, now: float, emit: Emit) -> None:
        """The instructor makes the subject say its line ``key`` (text ``variant``) now."""
        s = self.state
        chosen = self.definition.lines[key][variant]
        text, audio = (chosen, "") if isinstance(chosen, str) else (chosen.text, chosen.audio)
        s.last_line_time = now
        self.line_used[key] = now
        emit(SubjectSaid(subject=s.id, line=key, text=text, tone=tone or ("shout" if s.agitation >= 0.6 else "normal"),
                         audio=audio, narration=getattr(chosen, "narration", False), instructor="puppet"))

    def spoken_by_instructor(self, text: str, tone: str, now: float, emit: Emit) -> None:
        """The instructor's words (understood by the recogniser) came from the subject's head."""
        self.state.last_line_time = now
        emit(SubjectSaid(subject=self.state.id, line=SPOKEN_LINE, text=text, tone=tone, instructor="voice"))

    def active_behaviour(self) -> list[str]:
        """The labels of what the tree is running now, root first (for the instructor's HUD)."""
        return self.tree.active()


def _text(line: Any) -> str:
    return line if isinstance(line, str) else line.text


def _maybe(data: Mapping[str, Any] | None) -> Condition | None:
    return None if data is None else compile_condition(data)
