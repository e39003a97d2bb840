"""The headset's frame loop around a :class:`~game.live.session.Session`.

:class:`XrLoop` runs one frame per :meth:`XrLoop.frame`, in this order (in the window
these are named tasks, see :data:`TASKS`; tests call ``frame()`` directly):

=====================  =====  ===========================================================
task                   sort   does
=====================  =====  ===========================================================
``talkdown:xr-poll``    -40   runtime events → session state; pause or resume the session
``talkdown:xr-wait``    -35   ``xrWaitFrame``/``xrBeginFrame``: the runtime paces the frame
``talkdown:xr-input``   -30   sync actions; head, hands, buttons → :class:`XrTrainee`
``talkdown:simulate``   -20   the pacer's fixed steps (only while the headset has focus)
``talkdown:present``    -10   figures, hand nodes, tools; each eye's camera from its view
``talkdown:xr-submit``   55   after Panda renders (sort 50): release swapchains, ``xrEndFrame``
=====================  =====  ===========================================================

While the session is not focused the simulation does not step: the session records the
pause with its reason (``run.json``) and the reason is logged in one line. The journal
loses nothing: it is flushed and synced at each pause.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from game.live.session import Session
from game.xr.runtime import SessionStatus, XrRuntime
from game.xr.trainee import XrFrame, XrTrainee

TASKS = (
    ("talkdown:xr-poll", -40),
    ("talkdown:xr-wait", -35),
    ("talkdown:xr-input", -30),
    ("talkdown:simulate", -20),
    ("talkdown:present", -10),
    ("talkdown:xr-submit", 55),
)


class XrLoop:
    """Drives ``session`` from ``runtime``: see the module's table. ``hands`` (optional) are
    :class:`~game.xr.hands_view.HandNodes`; ``stereo`` (optional) renders the eyes;
    ``present`` (optional) is called with the frame after the simulation stepped."""

    def __init__(self, runtime: XrRuntime, session: Session, trainee: XrTrainee, *, pacer: Any,
                 hands: Any = None, stereo: Any = None, present: Callable[[XrFrame], None] | None = None,
                 log: Callable[[str], None] = print, host: Any = None) -> None:
        """``host`` (a :class:`~game.live.host.SessionHost`, optional): steps go through it, so
        the instructor's restart opens the next run in the headset too; the loop goes on with it."""
        self.runtime = runtime
        self.session = session
        self.host = host
        if host is not None:
            host.on_session.append(self._restarted)
        self.trainee = trainee
        self.pacer = pacer
        self.hands = hands
        self.stereo = stereo
        self.present_fn = present
        self.log = log
        self.status = SessionStatus("IDLE", False, "the headset session is starting")
        self.latest = XrFrame()
        self.in_frame = False
        self.frames = 0
        self.ended_reason = ""

    @property
    def done(self) -> bool:
        return self.session.done or bool(self.ended_reason)

    def frame(self) -> None:
        """One whole frame (tests and the headless loop)."""
        self.poll()
        self.wait()
        self.input()
        self.simulate()
        self.present()
        if self.stereo is not None and self.in_frame:
            self.stereo.render_eyes()
        self.submit()

    # ------------------------------------------------------------------ phases

    def poll(self) -> None:
        status = self.runtime.poll()
        if status.ended:
            self.ended_reason = status.reason
        if status.running:
            if self.session.paused:
                self.session.resume()
        elif self.runtime.focused_once:  # start-up states are not a pause
            self.session.pause(status.reason)
        self.status = status

    def wait(self) -> None:
        self.in_frame = False
        if not self.runtime.began:
            time.sleep(0.01)  # no frame loop before the session begins: do not spin
            return
        self.runtime.wait_frame()
        self.in_frame = True
        if self.stereo is not None:
            self.stereo.begin()

    def input(self) -> None:
        if not self.in_frame:
            return
        self.latest = self.runtime.sync()
        self.trainee.update(self.latest)

    def simulate(self) -> None:
        if not self.status.running:
            return
        for _ in range(self.pacer.steps(self.session.dt)):
            if self.session.done:
                break
            if self.host is not None:
                self.host.step()  # a restart: _restarted gives the loop the next session
            else:
                self.session.step()

    def _restarted(self, session: Session) -> None:
        self.session = session  # the next poll pauses it if the headset is not in use

    def present(self) -> None:
        if self.hands is not None:
            self.hands.update(self.latest)
        if self.present_fn is not None:
            self.present_fn(self.latest)

    def submit(self) -> None:
        if not self.in_frame:
            return
        layers = self.stereo.finish() if self.stereo is not None else []
        self.runtime.end_frame(layers)
        self.in_frame = False
        self.frames += 1
