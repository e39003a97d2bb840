"""Runs a :class:`~game.live.session.Session` inside a ShowBase that the caller passes in.

Each frame is a fixed order of named tasks (lower sort runs first; Panda3D
renders at sort 50 in its ``igLoop``):

====================  =====  ===============================================
task                  sort   does
====================  =====  ===============================================
``talkdown:input``     -30   desktop keys and mouse → the trainee's pose
``talkdown:simulate``  -20   the pacer's number of fixed steps (inputs fed first)
``talkdown:present``   -10   figures, camera, tools and overlay from the state
``talkdown:instructor``  -5   the instructor's cameras and HUD from the state
(Panda3D ``igLoop``)    50   renders the frame
``talkdown:capture``    60   copies the rendered frame when one is due (``capture.py``)
====================  =====  ===============================================
"""

from __future__ import annotations

import time
from typing import Any

from game.engine.capture import FrameCapture
from game.live.session import Session

__all__ = ["FixedPacer", "FrameCapture", "RealtimePacer", "SessionApp", "TASKS"]

TASKS = (
    ("talkdown:input", -30),
    ("talkdown:simulate", -20),
    ("talkdown:present", -10),
    ("talkdown:instructor", -5),
    ("talkdown:capture", 60),
)


class FixedPacer:
    """As fast as the machine allows: ``steps_per_frame`` simulation steps per rendered frame."""

    def __init__(self, steps_per_frame: int) -> None:
        self.steps_per_frame = max(1, steps_per_frame)

    def steps(self, sim_dt: float) -> int:
        return self.steps_per_frame


class RealtimePacer:
    """Wall-clock speed: as many steps as real time has passed (at most ``max_steps`` a frame,
    so a stalled frame slows the simulation instead of making it leap)."""

    def __init__(self, max_steps: int = 8) -> None:
        self.max_steps = max_steps
        self._last: float | None = None
        self._debt = 0.0

    def steps(self, sim_dt: float) -> int:
        now = time.perf_counter()
        if self._last is None:
            self._last = now
            return 1
        self._debt += now - self._last
        self._last = now
        n = int(self._debt / sim_dt)
        self._debt -= n * sim_dt
        if n > self.max_steps:
            n, self._debt = self.max_steps, 0.0
        return n


class SessionApp:
    """Wires a session, its view and its input into ``base``'s task manager.

    ``view`` is a :class:`~game.engine.world.world_view.WorldView`; ``desktop`` (optional)
    gives the camera its per-frame pose; ``overlay`` (optional) draws text; ``console``,
    ``monitor`` and ``hud`` (optional) are the instructor's keys, monitor cameras and HUD;
    ``sinks`` more journal sinks (the subjects' voices).
    """

    def __init__(self, base: Any, session: Session, view: Any, *, pacer: Any, desktop: Any = None,
                 overlay: Any = None, capture: FrameCapture | None = None, console: Any = None,
                 monitor: Any = None, hud: Any = None, sinks: tuple[Any, ...] = (), host: Any = None) -> None:
        """``host`` (a :class:`~game.live.host.SessionHost`, optional): steps go through it, so
        the instructor's restart opens the next run (it then calls :meth:`replace_session`)."""
        self.base = base
        self.host = host
        self.sinks = sinks
        self.view = view
        self.pacer = pacer
        self.desktop = desktop
        self.overlay = overlay
        self.capture = capture
        self.console = console
        self.monitor = monitor
        self.hud = hud
        self.frames = 0
        self.hud_seconds = 0.0  # wall time spent in the instructor task (cameras + HUD)
        self._frame_dt = 0.0
        self.session = session
        self._listen(session)

    def _listen(self, session: Session) -> None:
        session.listen(self.view)
        if self.capture is not None:
            self.capture.watch(self.view)  # key moments the trainee's view misses: a witness camera
        for sink in (self.overlay, self.hud, self.capture, *self.sinks):
            if sink is not None:
                session.listen(sink)
        if self.console is not None:
            self.console.attach(session.port)

    def replace_session(self, session: Session) -> None:
        """Goes on with ``session`` (the instructor restarted the scenario): the views hear
        its events, the console acts on it, the desktop trainee starts where it starts."""
        self.session = session
        self._frame_dt = 0.0
        self._listen(session)
        if self.hud is not None:
            self.hud.new_session()
        if self.desktop is not None:
            sc = session.loaded.scenario
            self.desktop.reset(sc.trainee_position, sc.trainee_heading)
        if self.overlay is not None and hasattr(self.overlay, "reset"):
            self.overlay.reset()
    def start(self) -> None:
        """Adds the named tasks in their order (see the module's table)."""
        fns = {
            "talkdown:input": self._input_task,
            "talkdown:simulate": self._simulate_task,
            "talkdown:present": self._present_task,
            "talkdown:instructor": self._instructor_task,
            "talkdown:capture": self._capture_task,
        }
        for name, sort in TASKS:
            self.base.task_mgr.add(fns[name], name, sort=sort)

    def stop(self) -> None:
        for name, _ in TASKS:
            self.base.task_mgr.remove(name)

    def flush(self) -> None:
        """Waits for the frames being written (the host's teardown, a restart)."""
        if self.capture is not None:
            self.capture.flush()

    def run(self) -> None:
        """Steps the engine until the session is done."""
        while not self.session.done:
            self.base.task_mgr.step()
        # one more frame so the final state is drawn, then the last capture
        self.present()
        self.base.graphics_engine.render_frame()
        if self.capture is not None:
            self.capture.save(self.session)
            self.capture.flush()

    def present(self) -> None:
        """Places the figures, cameras and HUD for the current state without stepping (the
        last frame; a replay that sought while paused; tests)."""
        self._present_task(None)
        self._instructor_task(None)

    # -------------------------------------------------------------------- tasks

    def _input_task(self, task: Any) -> int:
        if self.console is not None:
            self.console.poll()
        if self.desktop is not None:
            self.desktop.poll(self.base.clock.get_dt())
        return task.cont

    def _simulate_task(self, task: Any) -> int:
        session = self.session  # a restart replaces self.session; the figures move by this one's steps
        n = self.pacer.steps(session.dt)
        before = session.step_index
        for _ in range(n):
            if self.session.done:
                break
            if self.host is not None:
                self.host.step()  # a restart replaces self.session (on_session)
            else:
                self.session.step()
        # the figures animate by the simulated time that passed: none while paused
        self._frame_dt = (session.step_index - before) * session.dt
        return task.cont

    def _present_task(self, task: Any) -> Any:
        pose = self.desktop.pose if self.desktop is not None else None
        snap = self.session.snapshot
        self.view.update(snap, self._frame_dt, pose)
        if self.overlay is not None:
            self.overlay.update(snap.time, snap.trainee.hands)
        self.frames += 1
        return task.cont if task is not None else None

    def _instructor_task(self, task: Any) -> Any:
        if self.monitor is None and self.hud is None:
            return task.cont if task is not None else None
        started = time.perf_counter()
        snap = self.session.snapshot
        # the subject the console (or a read-only HUD) is on: the monitor's subject view follows it
        subject = self.console.state.subject if self.console is not None else \
            (self.hud.state.subject if self.hud is not None else "")
        if self.monitor is not None:
            self.monitor.update(snap, self.desktop.pose if self.desktop is not None else None, subject)
        if self.hud is not None:
            self.hud.update(snap)
        self.hud_seconds += time.perf_counter() - started
        return task.cont if task is not None else None

    def _capture_task(self, task: Any) -> int:
        if self.capture is not None and self.capture.due(self.session.now):
            self.capture.save(self.session)
        return task.cont
