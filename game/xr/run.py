"""``talkdown run --vr``: one session in a headset, with the instructor's mirror window.

:func:`probe` says in one line why no headset can be used (or "" when one can); the
runner calls it for a plain ``talkdown run`` and falls back to the desk. :func:`run_vr`
opens the engine (a window for the instructor when there is a display, else offscreen
with EGL) and the OpenXR session with a graphics binding for Panda's context, chooses a
device per seat and hands them to the session host; :mod:`game.xr.station` draws the
eyes, the hand nodes and the console and runs :class:`~game.xr.app.XrLoop`'s named tasks
until the session ends. Room-scale only: the play area starts where the scenario puts
the trainee, and only the trainee's own movement moves the camera.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

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
           instructor: Any = None, out: TextIO = sys.stdout,
           after: Sequence[Callable[[Path, dict[str, Any]], None]] = ()) -> dict[str, Any]:
    """Runs one session in the headset: a device per seat (officer 1: the headset; the
    instructor: the console on the mirror window, with ``instructor`` bindings and a window;
    the microphone with ``--voice``), handed to the session host, which runs them under the
    headset's views (:func:`game.xr.station.run_headset`) and then its ``after`` hooks.
    Raises :class:`~game.xr.runtime.XrUnavailable` (before anything is recorded) when the
    headset session cannot be opened."""
    from game.engine.console.instructor import InstructorConsole, KeyboardFocus
    from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display, destroy_showbase
    from game.voice.trainee_voice import open_trainee_voice
    from game.xr.poses import StageAnchor
    from game.xr.runtime import XrRuntime
    from game.xr.station import HeadsetViews, run_headset
    from game.xr.stereo import binding_extensions, graphics_binding
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
    try:
        base.graphics_engine.render_frame()  # Panda's GL context exists and is current
        module = display or base.pipe.get_type().get_name()
        runtime.open(graphics_binding, extensions=binding_extensions("p3headlessgl" if "egl" in module.lower()
                                                                     or module == "p3headlessgl" else module))
        trainee = XrTrainee(actions)
        # the headset's push-to-talk action is the trainee's `talking`
        voice, mic = open_trainee_voice(loaded, options, trainee, out) if talk else (None, None)
        console = InstructorConsole(base, instructor, scenario, focus=KeyboardFocus()) if instructor is not None else None
        plan = RunPlan(loaded, seed=options.seed, out=run_dir.parent, duration=options.duration, tools=tools,
                       trainee=options.trainee, instructor=options.instructor,
                       meta={"mode": "vr", "headset": runtime.system_name, "reference_space": runtime.reference_space,
                             "resolution": [options.width, options.height]})
        host = SessionHost(plan, [trainee, voice, console], after=after, log=lambda line: print(line, file=out))
        host.own(mic, close=True)
        host.start(run_dir)
        print(f"talkdown: {scenario.title} — seed {options.seed}, headset '{runtime.system_name}' "
              f"({runtime.reference_space.lower()} space), recording to {run_dir}", file=out)
        views = HeadsetViews(frames=getattr(options, "frames", True), frame_interval=getattr(options, "frame_interval", 5.0),
                             voice=voice is not None)
        return host.drive(lambda: run_headset(base, runtime, host, loaded, trainee, views=views, console=console,
                                              say=lambda m: print(m, file=out)))
    finally:
        if host is not None:
            host.close("closed")  # already closed by drive(); never left open
        runtime.close()  # twice is safe: a failed open leaves no host to close it
        destroy_showbase(base)
