"""The desktop trainee: keyboard and mouse, through the action names of a bindings file.

Key events arrive through the ShowBase's messenger (so tests can send them with
``messenger.send``); :meth:`DesktopTrainee.poll` integrates movement once per frame,
and :meth:`DesktopTrainee.feed` hands the simulation what is due before each step.
"""

from __future__ import annotations

import math
from typing import Any

from game.content.bindings import Bindings
from game.core.drivers import PoseFilter, SeatPort
from game.core.controls import Hands, binding_action, events_for
from game.core.events import InputEvent

WALK_SPEED = 1.4  # m/s
TURN_SPEED = 90.0  # degrees per second
PITCH_SPEED = 60.0


class DesktopTrainee:
    """An input provider driven by key events; it also gives the camera its pose each frame."""

    def __init__(self, base: Any, bindings: Bindings, *, position: tuple[float, float], heading: float,
                 focus: Any = None, seat: str = "officer:1") -> None:
        """``seat``: the officer these keys play. ``focus`` (a :class:`~game.engine.console.instructor.KeyboardFocus`, optional): while it is
        captured (the instructor types a note on the shared keyboard) the keys do nothing."""
        self.base = base
        self.seat = seat
        self.focus = focus
        self.bindings = bindings
        self.position = position
        self.heading = heading
        self.pitch = 0.0
        self.held: set[str] = set()
        self.pending: list[InputEvent] = []
        self.filter = PoseFilter()
        #: The scene's footprints (a :class:`~game.core.navigation.Navigator`, from the
        #: simulation at each feed): the officer slides along a car instead of walking into it.
        self.navigator: Any = None
        self.tool_presses: list[tuple[str, dict[str, Any]]] = []  # (action, args) of game.core.controls
        self.talking = False  # push-to-talk held (for the voice recogniser), as on the headset
        self._accepted: list[str] = []
        self._looking = False
        self._last_mouse: tuple[float, float] | None = None
        self._accept("mouse3", self._set_looking, [True])
        self._accept("mouse3-up", self._set_looking, [False])
        for key, action in bindings.key_map().items():
            self._accept(key, self._press, [action, "normal"])
            self._accept(f"{key}-up", self._release, [action])
            # with a modifier held, Panda sends "shift-w": phrases change tone, the rest act as usual
            self._accept(f"shift-{key}", self._press, [action, "shout"])
            self._accept(f"control-{key}", self._press, [action, "calm"])

    def _accept(self, event: str, fn: Any, args: list[Any]) -> None:
        self.base.accept(event, fn, args)
        self._accepted.append(event)

    def detach(self) -> None:
        """Stops listening to key events (called when the session closes)."""
        for event in self._accepted:
            self.base.ignore(event)
        self._accepted.clear()

    # ------------------------------------------------------------------ events

    def reset(self, position: tuple[float, float], heading: float) -> None:
        """Back to the start (the instructor restarted the scenario)."""
        self.position, self.heading, self.pitch = position, heading, 0.0
        self.held.clear()
        self.pending.clear()
        self.tool_presses.clear()
        self.filter = PoseFilter()

    def _press(self, action: str, tone: str) -> None:
        if self.focus is not None and self.focus.captured:
            return
        known = binding_action(action)
        if action == "push_to_talk":
            self.talking = True
        elif known is None:
            self.held.add(action)  # movement: integrated in poll()
        elif known[0] in ("say", "touch", "use", "end"):
            name, args = known
            self.pending += events_for(name, Hands(), seat=self.seat, **({**args, "tone": tone} if name == "say" else args))
        else:
            self.tool_presses.append(known)  # resolved against what the hands hold, in feed()

    def _release(self, action: str) -> None:
        self.held.discard(action)
        if action == "push_to_talk":
            self.talking = False

    # -------------------------------------------------------------------- frame

    def poll(self, dt: float) -> None:
        """Called once per frame: moves and turns by the keys held and the mouse."""
        if self.focus is not None and self.focus.captured:
            self.held.clear()
        h = self.held
        turn = (("turn_left" in h) - ("turn_right" in h)) * TURN_SPEED * dt
        self.heading = (self.heading + turn + 180.0) % 360.0 - 180.0
        self.pitch += (("look_up" in h) - ("look_down" in h)) * PITCH_SPEED * dt
        self._mouse_look()
        self.pitch = max(-60.0, min(60.0, self.pitch))
        fwd = ("move_forward" in h) - ("move_back" in h)
        side = ("strafe_right" in h) - ("strafe_left" in h)
        if fwd or side:
            rad = math.radians(self.heading)
            norm = WALK_SPEED * dt / math.hypot(fwd, side)
            dx = (-math.sin(rad) * fwd + math.cos(rad) * side) * norm
            dy = (math.cos(rad) * fwd + math.sin(rad) * side) * norm
            wanted = (self.position[0] + dx, self.position[1] + dy)
            self.position = self.navigator.slide(self.position, wanted) if self.navigator else wanted

    def _mouse_look(self) -> None:
        """While the right mouse button is held, mouse motion turns the head."""
        watcher = getattr(self.base, "mouseWatcherNode", None)
        if not self._looking or watcher is None or not watcher.has_mouse():
            self._last_mouse = None
            return
        x, y = watcher.get_mouse_x(), watcher.get_mouse_y()
        if self._last_mouse is not None:
            dh, dp = mouse_look(self._last_mouse, (x, y), self.bindings.mouse_sensitivity, self.bindings.invert_y)
            self.heading += dh
            self.pitch += dp
        self._last_mouse = (x, y)

    def _set_looking(self, looking: bool) -> None:
        self._looking = looking

    def feed(self, sim: SeatPort) -> None:
        """Called before each step: the pose (filtered) and any phrase or tool action."""
        self.navigator = getattr(sim, "navigator", None)
        if self.navigator:  # a start placed in a footprint: out of it before the first Move
            self.position = self.navigator.slide(self.position, self.position)
        self.filter.offer(sim, self.position, self.heading, self.pitch, by=self.seat)
        pending, self.pending = self.pending, []
        for event in pending:
            sim.submit(event)
        presses, self.tool_presses = self.tool_presses, []
        if not presses:
            return
        me = sim.snapshot().officer(self.seat or "officer:1")
        assert me is not None, f"no officer at {self.seat!r} in this session"
        hands = Hands.of(me.hands, me.low_ready)
        for name, args in presses:
            for event in events_for(name, hands, seat=self.seat, **args):
                sim.submit(event)

    @property
    def pose(self) -> tuple[tuple[float, float], float, float]:
        return self.position, self.heading, self.pitch


def mouse_look(last: tuple[float, float], now: tuple[float, float], sensitivity: float,
               invert_y: bool) -> tuple[float, float]:
    """How far a mouse move from ``last`` to ``now`` (window coordinates, -1..1) turns the
    view: (heading, pitch) in degrees, by a bindings file's ``mouse_look`` settings."""
    s = sensitivity * 400.0
    dy = (now[1] - last[1]) * s
    return -(now[0] - last[0]) * s, (-dy if invert_y else dy)
