"""Input providers that need no device: the scripted trainee, and the pose filter
every provider (script, keyboard, headset) uses before it submits a ``Move``.

A provider is called once before each simulation step with ``feed(sim)`` and
submits whatever input events are due. What it is handed is a :class:`SeatPort`: it
submits inputs and reads the frozen :class:`~game.core.snapshot.Snapshot` — never the
simulation's minds or mutable states (a :class:`~game.core.simulation.Simulation` is one;
so, later, is a network client's stand-in for the host's simulation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping, Protocol

from game.core.controls import Hands, events_for
from game.core.events import (
    NUDGE,
    InputEvent,
    Move,
)
from game.core.snapshot import Snapshot
from game.core.world import angle_between, distance, heading_to


class SeatPort(Protocol):
    """What a seat's device is handed before each step: where its inputs go, and the read
    model after the last step (built once per step, shared with the views)."""

    def submit(self, event: InputEvent) -> None: ...

    def snapshot(self) -> Snapshot: ...


class SimulationPort:
    """The :class:`SeatPort` a session hands its devices: submits go to ``sim`` (a
    :class:`~game.core.simulation.Simulation`, or a recording's
    :class:`~game.core.playback.JournalPlayback`), and :meth:`snapshot` is built once per
    step, when first asked (``sim.changes`` counts steps and finishes), so every device
    before a step and the views after it share one. It offers nothing else: a device
    cannot reach the simulation's minds or mutable states through it."""

    __slots__ = ("_sim", "_snapshot", "_at")

    def __init__(self, sim: Any) -> None:
        self._sim = sim
        self._snapshot: Snapshot | None = None
        self._at = -1

    def submit(self, event: InputEvent) -> None:
        self._sim.submit(event)

    def snapshot(self) -> Snapshot:
        changes = self._sim.changes
        if self._snapshot is None or self._at != changes:
            self._snapshot, self._at = self._sim.snapshot(), changes
        return self._snapshot


class InputProvider(Protocol):
    def feed(self, sim: SeatPort) -> None:
        """Called before each step; submits the input events that are due now."""


class PoseFilter:
    """Turns a continuous pose into ``Move`` events: at most every ``min_steps`` steps, and
    only when the pose has changed by more than ``min_move`` metres or ``min_turn`` degrees.

    Keeps the journal small (a walking trainee gives ~30 lines a second at most) while
    the subject still sees every approach.
    """

    def __init__(self, min_steps: int = 3, min_move: float = 0.01, min_turn: float = 0.5) -> None:
        self.min_steps = min_steps
        self.min_move = min_move
        self.min_turn = min_turn
        self._last: tuple[tuple[float, float], float, float] | None = None
        self._last_step = -10**9

    def offer(self, sim: SeatPort, position: tuple[float, float], heading: float, pitch: float = 0.0, *,
              by: str = "") -> bool:
        """Submits a ``Move`` to ``sim`` if the pose is worth journaling. Returns whether it did."""
        step = sim.snapshot().step
        if step - self._last_step < self.min_steps:
            return False
        if self._last is not None:
            p0, h0, pi0 = self._last
            if (
                distance(p0, position) < self.min_move
                and angle_between(h0, heading) < self.min_turn
                and abs(pi0 - pitch) < self.min_turn
            ):
                return False
        sim.submit(Move(position=position, heading=heading, pitch=pitch, by=by))
        self._last = (position, heading, pitch)
        self._last_step = step
        return True


@dataclass(frozen=True, slots=True)
class ScriptAction:
    """One timed action of a trainee script: ``verb`` with its ``args`` at ``at`` seconds."""

    at: float
    verb: str  # walk_to, turn_to, say, draw, ready, holster, touch, use, instructor, radio, end
    args: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class TraineeScript:
    actions: tuple[ScriptAction, ...]
    title: str = ""
    scenario: str = ""  # the scenario it was written for, if it says
    source: str = ""


#: What a script's ``instructor:`` may say (what the console's keys do).
INSTRUCTOR_COMMANDS = ("escalate", "calm", "branch", "pause", "resume", "mark", "end", "puppet")


def branch_id(snap: Snapshot, branch: str | int) -> str:
    """The id of a branch given by id or by its number (1 = the scenario's first branch in
    file order, as the instructor's console numbers them); an unknown number gives ``#N``,
    which the simulation refuses with a journaled ``BranchRefused``."""
    if isinstance(branch, int) and not isinstance(branch, bool):
        branches = snap.branches
        return branches[branch - 1].id if 1 <= branch <= len(branches) else f"#{branch}"
    return str(branch)


def instructor_event(snap: Snapshot, command: str, args: Mapping[str, Any]) -> Any:
    """The input event for an instructor ``command`` (``escalate``, ``calm``, ``branch``,
    ``pause``, ``resume``, ``mark``, ``end``, ``puppet``) with a script's ``args`` (an action of
    :mod:`game.core.controls`); None for one it does not know."""
    subject = args.get("subject", "")
    if command == "branch":
        return events_for("force_branch", Hands(), branch=branch_id(snap, args["branch"]), subject=subject)[0]
    if command in ("escalate", "calm"):
        return events_for(command, Hands(), amount=float(args.get("amount", NUDGE)), subject=subject)[0]
    if command == "mark":
        return events_for("mark", Hands(), note=args.get("note", ""))[0]
    if command in ("pause", "resume"):
        return events_for(command, Hands())[0]
    if command == "end":
        return events_for("end", Hands(), seat="instructor", reason=args.get("reason", "ended by instructor"))[0]
    if command == "puppet":  # the subject says its authored line (game.core.puppet)
        return events_for("puppet", Hands(), subject=subject, line=args["line"], variant=int(args.get("variant", 0)))[0]
    return None


class ScriptedTrainee:
    """Plays a :class:`TraineeScript` into a simulation, deterministically.

    Walking is simulated here as a trainee would do it: at ``speed`` m/s toward the
    target, facing the subject (or the path), one pose per step offered to the filter.

    ``at`` times are on the session's clock, which keeps running while the instructor has
    paused the simulation (each step call while paused counts one step's time); without a
    pause it is the simulated time. So ``pause`` at 10 and ``resume`` at 13 pause for three
    seconds, and an action at 15 happens at 12 s of simulated time. While paused the
    scripted trainee stands still.
    """

    def __init__(self, script: TraineeScript, *, pose_filter: PoseFilter | None = None,
                 seat: str = "officer:1") -> None:
        #: The officer's seat this script plays (its ``instructor:`` lines are the instructor's).
        self.seat = seat
        self.actions = sorted(script.actions, key=lambda a: a.at)
        self._next = 0
        self.filter = pose_filter or PoseFilter()
        self._walk: tuple[tuple[float, float], float, str] | None = None
        self._facing: str | float | None = None
        self._pose: tuple[tuple[float, float], float] | None = None
        self.paused_time = 0.0

    @property
    def finished(self) -> bool:
        return self._next >= len(self.actions) and self._walk is None

    def reset(self, position: tuple[float, float], heading: float) -> None:
        """The session starts again (the instructor's restart): the script plays from its start."""
        self._next, self._walk, self._facing, self._pose, self.paused_time = 0, None, None, None, 0.0
        self.filter = PoseFilter(self.filter.min_steps, self.filter.min_move, self.filter.min_turn)

    def feed(self, sim: SeatPort) -> None:
        snap = sim.snapshot()
        if snap.en_route:
            return  # the call is being taken (game.core.call): the script starts when the unit is on scene
        if snap.paused:
            self.paused_time += snap.dt
        now = snap.time - snap.scene_start + self.paused_time
        if self._pose is None:
            me = snap.officer(self.seat)
            assert me is not None, f"no officer at {self.seat!r} in this session"
            self._pose = (me.position, me.heading)
        while self._next < len(self.actions) and self.actions[self._next].at <= now + 1e-9:
            self._start(self.actions[self._next], sim, snap)
            self._next += 1
        if not snap.paused:
            self._advance(sim, snap)

    def _start(self, action: ScriptAction, sim: SeatPort, snap: Snapshot) -> None:
        a, verb, by = action.args, action.verb, self.seat
        me = snap.officer(self.seat)
        assert me is not None
        hands = Hands.of(me.hands, me.low_ready)
        if verb == "walk_to":
            target = (float(a["walk_to"][0]), float(a["walk_to"][1]))
            self._walk = (target, float(a.get("speed", 1.2)), str(a.get("face", "subject")))
            return
        if verb == "turn_to":
            self._facing = a["turn_to"]
            return
        if verb == "instructor":
            event = instructor_event(snap, a["instructor"], a)
            if event is not None:
                sim.submit(event)
            return
        who = a.get("touch")
        named = {
            "say": ("say", {"intent": a.get("say"), "tone": a.get("tone", "normal"), "text": a.get("text", ""),
                            "to": a.get("to", "")}),
            "draw": ("draw", {"tool": a.get("draw"), "hand": a.get("hand", "right"),
                              "low_ready": bool(a.get("low_ready", False))}),
            "ready": ("low_ready", {"hand": a.get("hand", "right"), "low": a.get("ready") == "low"}),
            "holster": ("holster", {"hand": a.get("holster"), "order": ("left", "right")}),  # a script: left first
            "touch": ("touch", {"hand": a.get("hand", "left"), "subject": "" if who in (True, "nearest") else who}),
            "use": ("use", {"hand": a.get("use")}),
            "radio": ("radio", {"request": a.get("radio"), "text": a.get("text", "")}),
            "end": ("end", {"reason": a.get("reason", "script ended")}),
        }.get(verb)
        if named is not None:
            for event in events_for(named[0], hands, seat=by, **named[1]):
                sim.submit(event)

    def _advance(self, sim: SeatPort, snap: Snapshot) -> None:
        assert self._pose is not None
        position, heading = self._pose
        if self._walk is not None:
            target, speed, walk_face = self._walk
            gap = distance(position, target)
            stepd = speed * snap.dt
            if gap <= stepd:
                position, self._walk = target, None
            else:
                position = (
                    position[0] + (target[0] - position[0]) * stepd / gap,
                    position[1] + (target[1] - position[1]) * stepd / gap,
                )
                if walk_face == "path":
                    heading = heading_to(position, target)
            if walk_face != "path":
                self._facing = walk_face
        if isinstance(self._facing, (int, float)):
            heading = float(self._facing)
        elif isinstance(self._facing, str) and snap.subjects:
            who = self._facing
            target = snap.subjects[0] if who == "subject" else snap.subject(who)
            if target is not None:
                heading = heading_to(position, target.position)
        self._pose = (position, heading)
        self.filter.offer(sim, position, heading, by=self.seat)
