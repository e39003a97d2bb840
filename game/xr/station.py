"""The headset's views around a session host: the world drawn into the eyes
(:class:`~game.xr.stereo.XrStereo`), the hand nodes holding the tools, the subjects' voices,
the instructor's console on the mirror window, the frames saved for the review, and the
named frame tasks of :class:`~game.xr.app.XrLoop`.

``talkdown run --vr`` (:mod:`game.xr.run`) opens the runtime and chooses who sits at each
seat (the headset at officer 1, the console, the microphone); this module draws the session
for them and runs its frames. Every part made here goes to the host's teardown, in this
order: the frame tasks stop, the devices let go, the capture flushes, the session closes,
the microphone closes, then (last made, first destroyed) the console's views, the eyes, the
runtime, the hands and the world.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable

from game.content.scenario import LoadedScenario
from game.live.host import SessionHost

#: After Panda renders the mirror window (50) and the frame is submitted (55): saves its frame when due.
CAPTURE_TASK = ("talkdown:capture", 60)


@dataclass(frozen=True)
class HeadsetViews:
    """What the headset draws besides the eyes: frames for the review every ``frame_interval``
    s (``frames``), the subjects' voices (``voice``)."""

    frames: bool = True
    frame_interval: float = 5.0
    voice: bool = False
    #: The instructor's microphone at the console (speaking as a subject or dispatch).
    instructor_voice: bool = False


def run_headset(base: Any, runtime: Any, host: SessionHost, loaded: LoadedScenario, trainee: Any, *,
                views: HeadsetViews = HeadsetViews(), console: Any = None,
                say: Callable[[str], None] = print) -> str:
    """Draws the host's session into the headset opened on ``runtime`` (and the mirror window of
    ``base``) and runs its frames until it ends; returns the reason for
    :meth:`~game.live.host.SessionHost.drive`: "completed", "headset: …" when the runtime
    ended it, "interrupted" (Ctrl-C, the window closed: the last frame is saved first)."""
    from game.engine.app import RealtimePacer
    from game.engine.world.world_view import WorldView, prepare_view
    from game.xr.app import TASKS, XrLoop
    from game.xr.hands_view import HandNodes
    from game.xr.stereo import XrStereo

    session = host.session
    assert session is not None, "start the host's session first"
    scenario = loaded.scenario
    host.own(_Tasks(base), stop=True)
    # the eyes render the scene through their own buffers: the PBR pipeline (a post-process on the
    # desk window) does not reach them yet, so the headset draws at quality low
    quality = prepare_view(base, loaded.scene, "low")
    view = host.own(WorldView(base.render, base.camera, loaded.scene, scenario, loader=base.loader, quality=quality),
                    destroy=True, listen=True)
    hands = host.own(HandNodes(view.root), destroy=True)
    hands.attach_tools(view.tools)
    host.own(_Closing(runtime), destroy=True)
    stereo = host.own(XrStereo(base, runtime, base.render, size=_eye_size()), destroy=True)
    if views.voice:
        from game.engine.world.subject_voices import SubjectVoices

        host.own(SubjectVoices(base, view.figures, scenario), destroy=True, listen=True)
    monitor = hud = None
    if console is not None:
        monitor, hud = _console_views(base, console, scenario, host)
        if views.instructor_voice:
            from game.engine.console.voice_setup import add_instructor_voice

            add_instructor_voice(base, host, console, view.figures, out=say)

    def present(frame: Any) -> None:
        head = frame.head
        pose = ((head.position[0], head.position[1]), head.heading, head.pitch) if head is not None else None
        snap = host.session.snapshot
        view.update(snap, snap.dt, pose)
        if monitor is not None:
            monitor.update(snap, pose, console.state.subject)
            hud.update(snap)

    loop = XrLoop(runtime, session, trainee, pacer=RealtimePacer(), hands=hands, stereo=stereo, present=present,
                  log=say, host=host)
    earlier = host.close_extra  # what other parts add (the network's stations) is kept
    host.close_extra = lambda: {**earlier(), "rendered_frames": loop.frames}
    phases = {"talkdown:xr-poll": loop.poll, "talkdown:xr-wait": loop.wait, "talkdown:xr-input": loop.input,
              "talkdown:simulate": loop.simulate, "talkdown:present": loop.present,
              "talkdown:xr-submit": loop.submit}
    for name, sort in TASKS:
        base.task_mgr.add(_task(phases[name]), name, sort=sort)
    capture = _capture(base, host, stereo, loop, views) if views.frames else None
    base.accept("escape", lambda: host.session.finish("ended by instructor"))
    try:
        while not loop.done:
            base.task_mgr.step()
        reason = "completed" if host.session.done else f"headset: {loop.ended_reason}"
    except (KeyboardInterrupt, SystemExit):
        reason = "interrupted"
    if capture is not None and stereo.active:
        capture().save(host.session)  # the last frame, as a window run saves it
    return reason


def _capture(base: Any, host: SessionHost, stereo: Any, loop: Any, views: HeadsetViews) -> Callable[[], Any]:
    """Frames for the review: the trainee's left eye as rendered (the mirror window may show
    the instructor's console), saved after the frame is submitted; a restart's frames go to
    the next run's folder. Returns how to reach the current capture."""
    from game.engine.capture import FrameCapture

    source = stereo.eyes[0]["buffer"] if stereo.eyes else base.win
    current = [host.own(FrameCapture(source, host.session.run_dir / "frames", interval=views.frame_interval),
                        flush=True, listen=True)]

    def restarted(next_session: Any) -> None:
        host.disown(current[0])
        current[0] = host.own(FrameCapture(source, next_session.run_dir / "frames", interval=views.frame_interval),
                              flush=True, listen=True)

    host.on_session.append(restarted)

    def save_frame() -> None:  # only a frame the eyes were rendered in (none before the headset focuses)
        if stereo.active and not loop.done and current[0].due(host.session.now):
            current[0].save(host.session)

    base.task_mgr.add(_task(save_frame), CAPTURE_TASK[0], sort=CAPTURE_TASK[1])
    return lambda: current[0]


def _console_views(base: Any, console: Any, scenario: Any, host: SessionHost) -> tuple[Any, Any]:
    """The instructor's console on the desk's mirror window: the inset cameras and the HUD
    (the console's keys are a device at the instructor's seat)."""
    from game.engine.console.hud import InstructorHud
    from game.engine.console.instructor_view import InstructorView

    names = {s.id: s.name for s in scenario.subjects}
    monitor = host.own(InstructorView(base.win, base.render, base.cam, names), destroy=True)
    console.on_switch_view = monitor.cycle
    hud = host.own(InstructorHud(base.win, console, labels=monitor.labels), destroy=True, listen=True)
    host.on_session.append(lambda s: (console.attach(s.port), hud.new_session()))
    return monitor, hud


class _Tasks:
    """The headset's named frame tasks, removed first at teardown."""

    def __init__(self, base: Any) -> None:
        self.base = base

    def stop(self) -> None:
        from game.xr.app import TASKS

        for name, _sort in (*TASKS, CAPTURE_TASK):
            self.base.task_mgr.remove(name)


class _Closing:
    """The OpenXR runtime, closed in the views' turn (after the eyes, before the hands)."""

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime

    def destroy(self) -> None:
        self.runtime.close()


def _task(phase: Any) -> Any:
    def task(t: Any) -> Any:
        phase()
        return t.cont
    return task


def _eye_size() -> tuple[int, int] | None:
    """``TALKDOWN_XR_EYE=WxH`` renders smaller eyes than the runtime recommends (CI, slow GPUs)."""
    text = os.environ.get("TALKDOWN_XR_EYE", "")
    try:
        w, h = (int(v) for v in text.lower().split("x"))
        return (w, h) if w > 0 and h > 0 else None
    except ValueError:
        return None
