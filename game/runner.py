"""``talkdown run``: opens the engine (window or offscreen), runs one session, writes the run folder."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from game.content.bindings import load_bindings
from game.content.library import package_dir
from game.content.scenario import LoadedScenario
from game.content.script import load_script
from game.content.tools import load_tools
from game.content.xr_actions import load_xr_actions
from game.core.drivers import ScriptedTrainee, TraineeScript
from game.session import Session, new_run_dir


@dataclass
class RunOptions:
    offscreen: bool = False
    script: str | None = None
    seed: int = 1
    out: str = "runs"
    duration: float | None = None
    realtime: bool = False
    width: int = 1280
    height: int = 720
    render_hz: float = 10.0
    frame_interval: float = 5.0
    bindings: str | None = None
    tools: str | None = None
    vr: bool | None = None  # True: the headset or nothing; None: the headset when one is there; False: never
    xr_actions: str | None = None


def has_display() -> bool:
    """Whether a window could open: on Linux an X or Wayland display must be set; elsewhere assumed."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run(loaded: LoadedScenario, options: RunOptions, *, out: TextIO = sys.stdout) -> dict[str, Any]:
    """Runs a session and returns the finished ``run.json`` data.

    Raises ``EngineUnavailable`` or ``RunFolderError`` (one-line messages) when no engine can be
    opened or no run folder made, and :class:`~game.content.errors.ContentError` for a broken
    script or bindings file — each before anything is recorded.
    """
    from game.engine.settings import EngineUnavailable, destroy_showbase

    offscreen = options.offscreen
    if options.vr or (options.vr is None and not offscreen and not options.script):
        info = _try_vr(loaded, options, out)
        if info is not None:
            return info
    if not offscreen and not has_display():
        print("talkdown: no display found; running offscreen instead (see --offscreen)", file=out)
        offscreen = True
    script, bindings = _inputs(loaded, options, offscreen)
    tools = load_tools(options.tools)
    run_dir = new_run_dir(options.out, loaded.scenario.id, options.seed)
    try:
        base = _open_engine(loaded, options, offscreen)
    except EngineUnavailable as exc:
        if offscreen:
            run_dir.rmdir()
            raise
        print(f"talkdown: {exc}; running offscreen instead", file=out)
        offscreen = True
        script, bindings = _inputs(loaded, options, offscreen)
        try:
            base = _open_engine(loaded, options, offscreen)
        except EngineUnavailable:
            run_dir.rmdir()
            raise
    try:
        return _run_in(base, loaded, options, run_dir, offscreen=offscreen, script=script, bindings=bindings,
                       tools=tools, out=out)
    finally:
        destroy_showbase(base)


def _try_vr(loaded: LoadedScenario, options: RunOptions, out: TextIO) -> dict[str, Any] | None:
    """Runs the session in a headset if there is one (None when there is not: the caller goes on
    at the desk). With ``--vr`` a missing headset is an error (``XrUnavailable``, one line)."""
    from game.xr.run import probe, run_vr
    from game.xr.runtime import XrUnavailable

    actions = load_xr_actions(options.xr_actions)  # a broken actions file is reported, not skipped
    why = probe(actions)
    if why:
        if options.vr:
            raise XrUnavailable(why)
        print(f"talkdown: no headset — {why}; running at the desk", file=out)
        return None
    tools = load_tools(options.tools)
    run_dir = new_run_dir(options.out, loaded.scenario.id, options.seed)
    try:
        return run_vr(loaded, options, run_dir, tools=tools, has_display=has_display(), out=out)
    except XrUnavailable as exc:
        if not any(run_dir.iterdir()):
            run_dir.rmdir()
        if options.vr:
            raise
        print(f"talkdown: the headset could not start ({exc}); running at the desk", file=out)
        return None


def _inputs(loaded: LoadedScenario, options: RunOptions, offscreen: bool) -> tuple[TraineeScript | None, Any]:
    """The trainee's script (given, or the scenario's own offscreen) or else the desktop bindings."""
    script: TraineeScript | None = None
    if options.script:
        script = load_script(options.script)
        if script.scenario and script.scenario != loaded.scenario.id:
            print(f"talkdown: warning: {options.script} was written for scenario '{script.scenario}', "
                  f"not '{loaded.scenario.id}'", file=sys.stderr)
    elif offscreen:
        script = loaded.default_script
    bindings = None
    if not offscreen and script is None:
        bindings = load_bindings(options.bindings or package_dir("input") / "desktop.yaml")
    return script, bindings


def _open_engine(loaded: LoadedScenario, options: RunOptions, offscreen: bool) -> Any:
    from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display

    return create_showbase(EngineSettings(
        offscreen=offscreen,
        width=options.width,
        height=options.height,
        title=f"Talkdown — {loaded.scenario.title}",
        display=default_offscreen_display() if offscreen else "",
        gl_finish=offscreen,
    ))


def _run_in(base: Any, loaded: LoadedScenario, options: RunOptions, run_dir: Path, *, offscreen: bool,
            script: TraineeScript | None, bindings: Any, out: TextIO, tools: Any = None) -> dict[str, Any]:
    from game.engine.app import FixedPacer, FrameCapture, RealtimePacer, SessionApp
    from game.engine.desktop import DesktopTrainee
    from game.engine.overlay import Overlay, legend_text
    from game.engine.settings import renderer_name
    from game.engine.world_view import WorldView, prepare_view

    scenario = loaded.scenario
    providers: list[Any] = []
    desktop = None
    if script is not None:
        providers.append(ScriptedTrainee(script))
    elif bindings is not None:
        desktop = DesktopTrainee(base, bindings, position=scenario.trainee_position, heading=scenario.trainee_heading)
        providers.append(desktop)

    session = Session(
        loaded,
        seed=options.seed,
        run_dir=run_dir,
        providers=providers,
        duration=options.duration,
        tools=tools if tools is not None else load_tools(None),
        meta={
            "mode": "offscreen" if offscreen else "window",
            "script": script.source if script is not None else "",
            "renderer": renderer_name(base),
            "resolution": [options.width, options.height],
            "tools": options.tools or "",
        },
    )
    print(f"talkdown: {scenario.title} — seed {options.seed}, {'offscreen' if offscreen else 'window'}, "
          f"recording to {run_dir}", file=out)
    view = None
    overlay = None
    app = None
    try:
        prepare_view(base, loaded.scene)
        view = WorldView(base.render, base.camera, loaded.scene, scenario, loader=base.loader)
        if not offscreen:
            names = {s.id: s.name for s in scenario.subjects}
            legend = legend_text(bindings.key_map()) if desktop is not None else f"scripted trainee: {script.title if script else ''}"
            overlay = Overlay(base.aspect2d, base.a2dTopLeft, base.a2dBottomLeft, title=scenario.title,
                              briefing=scenario.briefing, legend=legend, names=names)
        if offscreen and not options.realtime:
            pacer: Any = FixedPacer(max(1, round(session.sim.clock.hz / options.render_hz)))
        else:
            pacer = RealtimePacer()
        capture = FrameCapture(base.win, run_dir / "frames", interval=options.frame_interval) if offscreen else None
        app = SessionApp(base, session, view, pacer=pacer, desktop=desktop, overlay=overlay, capture=capture)
        app.start()
        app.run()
        info = session.close("completed", rendered_frames=app.frames)
    except (KeyboardInterrupt, SystemExit):  # Ctrl-C, or the window was closed
        info = session.close("interrupted", rendered_frames=app.frames if app else 0)
    except BaseException as exc:
        session.close(f"error: {type(exc).__name__}: {exc}")
        raise
    finally:
        if app is not None:
            app.stop()
        if desktop is not None:
            desktop.detach()
        if overlay is not None:
            overlay.destroy()
        if view is not None:
            view.destroy()
    ending = info.get("ending") or "none"
    print(f"talkdown: session ended ({info['finish_reason']}; ending: {ending}) after "
          f"{info['sim_seconds']:.1f} s simulated — {len(info['frames'])} frame(s), journal {run_dir / 'journal.jsonl'}",
          file=out)
    return info
