"""The replay's controls: its pacer (pause, speed), its keys (action names from a
``replay`` bindings file, input/replay.yaml) and the free camera they fly.

Keys arrive through the ShowBase's messenger, each listened to by :class:`ReplayKeys`'
own listener object (so :meth:`ReplayKeys.detach` lets go of exactly these keys and the
trainee's or the instructor's can take the same ones when a branch takes the controls).
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

from direct.showbase.DirectObject import DirectObject
from panda3d.core import BitMask32, Camera, NodePath, PerspectiveLens

from game.content.bindings import FLY_ACTIONS, Bindings
from game.engine.desk.desktop import mouse_look
from game.engine.console.instructor_view import INSTRUCTOR_BIT

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
FLY_SPEED = 4.0  # m/s
LOOK_SPEED = 90.0  # degrees per second (arrow keys)
MIN_HEIGHT = 0.2  # the free camera stays above the ground


class ReplayPacer:
    """Wraps a pacer with pause and a speed factor (fractional steps carry over)."""

    def __init__(self, inner: Any, speed: float = 1.0) -> None:
        self.inner = inner
        self.speed = speed
        self.paused = False
        self._carry = 0.0

    def steps(self, sim_dt: float) -> int:
        n = self.inner.steps(sim_dt)
        if self.paused:
            return 0
        x = n * self.speed + self._carry
        k = int(x)
        self._carry = x - k
        return k

    def faster(self, up: bool) -> None:
        i = min(range(len(SPEEDS)), key=lambda j: abs(SPEEDS[j] - self.speed))
        self.speed = SPEEDS[max(0, min(len(SPEEDS) - 1, i + (1 if up else -1)))]


class ReplayKeys:
    """Dispatches the replay's key events: a press of an action in ``handlers`` calls it; the
    free camera's ``fly_``/``look_`` actions are held (in :attr:`held`) until the key is up.
    The right mouse button held is :attr:`looking` (mouse look), the left one clicks
    ``on_click`` (the timeline), as in the trainee's desktop controls."""

    def __init__(self, messenger_base: Any, bindings: Bindings, handlers: Mapping[str, Callable[[], Any]], *,
                 on_click: Callable[[], Any] | None = None) -> None:
        self.bindings = bindings
        self.held: set[str] = set()
        self.looking = False
        self._listener = DirectObject()
        self._base = messenger_base
        for key, action in bindings.key_map().items():
            if action in FLY_ACTIONS:
                self._listener.accept(key, self.held.add, [action])
                self._listener.accept(f"{key}-up", self.held.discard, [action])
            elif action in handlers:
                self._listener.accept(key, handlers[action])
        self._listener.accept("mouse3", self._set_looking, [True])
        self._listener.accept("mouse3-up", self._set_looking, [False])
        if on_click is not None:
            self._listener.accept("mouse1", on_click)

    def _set_looking(self, looking: bool) -> None:
        self.looking = looking

    def detach(self) -> None:
        """Stops listening (the branch took the controls, or the replay ended)."""
        self._listener.ignoreAll()
        self.held.clear()
        self.looking = False


class FreeCamera:
    """A camera that flies: forward/back/left/right along the ground in the direction it
    faces, up and down, turning and pitching with the arrow keys or the mouse (right button
    held). It starts where another camera is (:meth:`place`). Its node sees what the
    instructor's cameras see (the trainee's figure included)."""

    def __init__(self, render: NodePath, *, fov: float = 70.0) -> None:
        self.np = render.attach_new_node(Camera("free_camera", PerspectiveLens()))
        lens = self.np.node().get_lens()
        lens.set_fov(fov)
        lens.set_near_far(0.1, 300.0)
        self.np.node().set_camera_mask(BitMask32.bit(INSTRUCTOR_BIT))
        self.position = (0.0, 0.0, 10.0)
        self.heading = 0.0
        self.pitch = -60.0
        self._last_mouse: tuple[float, float] | None = None
        self._apply()

    def place(self, camera: NodePath) -> None:
        """Starts from where ``camera`` is, looking where it looks (roll dropped)."""
        root = self.np.get_parent()
        p = camera.get_pos(root)
        h, pitch, _ = camera.get_hpr(root)
        self.position = (p.x, p.y, max(MIN_HEIGHT, p.z))
        self.heading, self.pitch = h, max(-89.0, min(89.0, pitch))
        self._apply()

    def pose(self) -> tuple[tuple[float, float, float], float, float]:
        return self.position, self.heading, self.pitch

    def poll(self, dt: float, held: set[str], *, mouse: tuple[float, float] | None = None,
             sensitivity: float = 0.2, invert_y: bool = False) -> None:
        """Once a frame: moves by the actions held for ``dt`` seconds and turns by the mouse
        (``mouse``: its position in -1..1 while the look button is held, else None)."""
        def axis(plus: str, minus: str) -> int:
            return (plus in held) - (minus in held)

        self.heading = (self.heading + axis("look_left", "look_right") * LOOK_SPEED * dt + 180.0) % 360.0 - 180.0
        self.pitch += axis("look_up", "look_down") * LOOK_SPEED * dt
        if mouse is not None and self._last_mouse is not None:
            dh, dp = mouse_look(self._last_mouse, mouse, sensitivity, invert_y)
            self.heading += dh
            self.pitch += dp
        self._last_mouse = mouse
        self.pitch = max(-89.0, min(89.0, self.pitch))
        fwd, side, up = axis("fly_forward", "fly_back"), axis("fly_right", "fly_left"), axis("fly_up", "fly_down")
        if fwd or side or up:
            rad = math.radians(self.heading)
            step = FLY_SPEED * dt
            x, y, z = self.position
            x += (-math.sin(rad) * fwd + math.cos(rad) * side) * step
            y += (math.cos(rad) * fwd + math.sin(rad) * side) * step
            self.position = (x, y, max(MIN_HEIGHT, z + up * step))
        self._apply()

    def _apply(self) -> None:
        self.np.set_pos(*self.position)
        self.np.set_hpr(self.heading, self.pitch, 0.0)

    def destroy(self) -> None:
        self.np.remove_node()
