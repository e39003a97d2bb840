"""``talkdown run --vr``: one session in a headset, with the instructor's mirror window.

:func:`probe` says in one line why no headset can be used (or "" when one can); the
runner calls it for a plain ``talkdown run`` and falls back to the desk. :func:`run_vr`
opens the engine (a window for the instructor when there is a display, else offscreen
with EGL), the OpenXR session with a graphics binding for Panda's context, the eyes,
the hand nodes and the trainee, and runs :class:`~game.xr.app.XrLoop`'s named tasks
until the session ends. Room-scale only: the play area starts where the scenario puts
the trainee, and only the trainee's own movement moves the camera.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, TextIO

from game.content.scenario import LoadedScenario
from game.content.xr_actions import XrActions, load_xr_actions
from game.core.tools import ToolSpecs
from game.live.host import RunPlan, SessionHost


def probe(actions: XrActions | None = None) -> str:
    """Why no headset session can be had here ("" when a runtime reports a headset)."""
    from game.xr.runtime import XrRuntime, XrUnavailable

    try:
        import xr  # noqa: F401
    except ImportError:
        return "pyopenxr is not installed (pip install talkdown[xr])"
    # the loader prints its own errors when it finds no runtime; we say it in one line instead
    # (a user who wants the loader's own diagnostics sets XR_LOADER_DEBUG themselves)
    os.environ.setdefault("XR_LOADER_DEBUG", "none")
    runtime = XrRuntime(actions or load_xr_actions(), log=lambda m: None)
    try:
        runtime.probe()
    except XrUnavailable as exc:
        return str(exc)
    finally:
        runtime.close()
    return ""


def run_vr(loaded: LoadedScenario, options: Any, run_dir: Path, *, tools: ToolSpecs, has_display: bool,
           instructor: Any = None, out: TextIO = sys.stdout) -> dict[str, Any]:
    """Runs one session in the headset. Raises :class:`~game.xr.runtime.XrUnavailable` (before
    anything is recorded) when the headset session cannot be opened. With ``instructor``
    bindings (and a window) the mirror on the desk is the instructor's console: insets, HUD
    and hotkeys, drawn on the window's own display regions — never into the eyes."""
    from game.engine.app import RealtimePacer
    from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display, destroy_showbase
    from game.engine.world.world_view import WorldView, prepare_view
    from game.xr.app import TASKS, XrLoop
    from game.xr.hands_view import HandNodes
    from game.xr.poses import StageAnchor
    from game.xr.runtime import XrRuntime
    from game.xr.stereo import XrStereo, binding_extensions, graphics_binding
    from game.xr.trainee import XrTrainee

    scenario = loaded.scenario
    offscreen = not has_display
    display = default_offscreen_display() if offscreen else ""
    talk = bool(getattr(options, "voice", False))
    base = create_showbase(EngineSettings(offscreen=offscreen, width=options.width, height=options.height,
                                          title=f"Talkdown (headset) — {scenario.title}", display=display,
                                          audio=talk))
    actions = load_xr_actions(options.xr_actions)
    runtime = XrRuntime(actions, StageAnchor(scenario.trainee_position, scenario.trainee_heading),
                        log=lambda m: print(m, file=out))
    host: SessionHost | None = None
    loop: Any = None
    try:
        base.graphics_engine.render_frame()  # Panda's GL context exists and is current
        module = display or base.pipe.get_type().get_name()
        runtime.open(graphics_binding, extensions=binding_extensions("p3headlessgl" if "egl" in module.lower()
                                                                     or module == "p3headlessgl" else module))
        trainee = XrTrainee(actions)
        plan = RunPlan(loaded, seed=options.seed, out=run_dir.parent, duration=options.duration, tools=tools,
                       trainee=options.trainee, instructor=options.instructor,
                       meta={"mode": "vr", "headset": runtime.system_name, "reference_space": runtime.reference_space,
                             "resolution": [options.width, options.height]})
        host = SessionHost(plan, [trainee], log=lambda line: print(line, file=out))
        # the teardown's order: the frame tasks, the devices, the capture, the session, the
        # microphone, then (last made, first destroyed) the views, the eyes, the runtime, the hands
        host.own(_Tasks(base), stop=True)
        session = host.start(run_dir)
        print(f"talkdown: {scenario.title} — seed {options.seed}, headset '{runtime.system_name}' "
              f"({runtime.reference_space.lower()} space), recording to {run_dir}", file=out)
        # the eyes render the scene through their own buffers: the PBR pipeline (a post-process on the
        # desk window) does not reach them yet, so the headset draws at quality low
        quality = prepare_view(base, loaded.scene, "low")
        view = host.own(WorldView(base.render, base.camera, loaded.scene, scenario, loader=base.loader, quality=quality),
                        destroy=True, listen=True)
        hands = host.own(HandNodes(view.root), destroy=True)
        hands.attach_tools(view.tools)
        host.own(_Closing(runtime), destroy=True)
        stereo = host.own(XrStereo(base, runtime, base.render, size=_eye_size()), destroy=True)
        if talk:  # the headset's push-to-talk action is the trainee's `talking`
            from game.engine.world.subject_voices import SubjectVoices
            from game.voice.trainee_voice import open_trainee_voice

            voice, mic = open_trainee_voice(loaded, options, trainee, out)
            if voice is not None:
                host.add_device(voice)
                host.own(mic, close=True)
                host.own(SubjectVoices(base, view.figures, scenario), destroy=True, listen=True)
        pacer = RealtimePacer()
        console = monitor = hud = None
        if instructor is not None:
            console, monitor, hud = _console(base, instructor, scenario, host)

        def present(frame: Any) -> None:
            head = frame.head
            pose = ((head.position[0], head.position[1]), head.heading, head.pitch) if head is not None else None
            snap = host.session.snapshot
            view.update(snap, snap.dt, pose)
            if monitor is not None:
                monitor.update(snap, pose, console.state.subject)
                hud.update(snap)

        loop = XrLoop(runtime, session, trainee, pacer=pacer, hands=hands, stereo=stereo, present=present,
                      log=lambda m: print(m, file=out), host=host)
        host.close_extra = lambda: {"rendered_frames": loop.frames}
        phases = {"talkdown:xr-poll": loop.poll, "talkdown:xr-wait": loop.wait, "talkdown:xr-input": loop.input,
                  "talkdown:simulate": loop.simulate, "talkdown:present": loop.present,
                  "talkdown:xr-submit": loop.submit}
        for name, sort in TASKS:
            base.task_mgr.add(_task(phases[name]), name, sort=sort)
        capture = None
        if getattr(options, "frames", True):  # frames for the review, as a window run saves them
            from game.engine.capture import FrameCapture

            # the trainee's left eye as rendered (the mirror window may show the instructor's console)
            source = stereo.eyes[0]["buffer"] if stereo.eyes else base.win
            interval = getattr(options, "frame_interval", 5.0)
            capture = FrameCapture(source, run_dir / "frames", interval=interval)
            host.own(capture, flush=True, listen=True)

            def restarted(next_session: Any) -> None:  # frames go to the next run's folder
                nonlocal capture
                host.sinks.remove(capture)
                host._flush.remove(capture)
                capture = FrameCapture(source, next_session.run_dir / "frames", interval=interval)
                host.own(capture, flush=True, listen=True)

            host.on_session.append(restarted)

            def save_frame() -> None:  # only a frame the eyes were rendered in (none before the headset focuses)
                if stereo.active and not loop.done and capture.due(host.session.now):
                    capture.save(host.session)

            base.task_mgr.add(_task(save_frame), CAPTURE_TASK[0], sort=CAPTURE_TASK[1])
        base.accept("escape", lambda: host.session.finish("ended by instructor"))
        try:
            while not loop.done:
                base.task_mgr.step()
            reason = "completed" if host.session.done else f"headset: {loop.ended_reason}"
        except (KeyboardInterrupt, SystemExit):
            reason = "interrupted"
        if capture is not None and stereo.active:
            capture.save(host.session)  # the last frame, as a window run saves it
        info = host.close(reason)
    except BaseException as exc:
        if host is not None:
            host.close(f"error: {type(exc).__name__}: {exc}")
        raise
    finally:
        if host is not None:
            host.close("closed")  # already closed above; never left open
        runtime.close()  # twice is safe: a failed open leaves no host to close it
        destroy_showbase(base)
    ending = info.get("ending") or "none"
    print(f"talkdown: session ended ({info['finish_reason']}; ending: {ending}) after {info['sim_seconds']:.1f} s "
          f"simulated, {loop.frames if loop else 0} headset frame(s) — journal {host.session.run_dir / 'journal.jsonl'}",
          file=out)
    return info


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


def _console(base: Any, bindings: Any, scenario: Any, host: SessionHost) -> tuple[Any, Any, Any]:
    """The instructor's console on the desk's mirror window: keys (a session provider),
    the inset cameras and the HUD."""
    from game.engine.console.hud import InstructorHud
    from game.engine.console.instructor import InstructorConsole, KeyboardFocus
    from game.engine.console.instructor_view import InstructorView

    names = {s.id: s.name for s in scenario.subjects}
    monitor = host.own(InstructorView(base.win, base.render, base.cam, names), destroy=True)
    console = InstructorConsole(base, bindings, scenario, focus=KeyboardFocus(), on_switch_view=monitor.cycle)
    host.add_device(console)
    hud = host.own(InstructorHud(base.win, console, labels=monitor.labels), destroy=True, listen=True)
    host.on_session.append(lambda s: (console.attach(s.sim), hud.new_session()))
    return console, monitor, hud


#: After Panda renders the mirror window (50) and the frame is submitted (55): saves its frame when due.
CAPTURE_TASK = ("talkdown:capture", 60)


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
