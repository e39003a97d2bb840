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
from game.content.script import load_script_for, subject_lines
from game.content.tools import load_tools
from game.content.xr_actions import load_xr_actions
from game.core.drivers import ScriptedTrainee, TraineeScript
from game.live.filing import filing_hook
from game.live.host import RunPlan, SessionHost
from game.live.session import new_run_dir
from game.voice.trainee_voice import open_trainee_voice


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
    #: Lighting quality: ``low``, ``high`` or ``auto`` (by the renderer; see game.engine.world.lighting).
    quality: str = "auto"
    frame_interval: float = 5.0
    #: Save frames of the trainee's view for the review (every ``frame_interval`` s and at key moments).
    frames: bool = True
    bindings: str | None = None
    #: The instructor's console (keys, monitor insets, HUD): on in a window unless turned off;
    #: offscreen only when asked (the saved frames then show the instructor's monitor).
    console: bool | None = None
    instructor_bindings: str | None = None
    tools: str | None = None
    vr: bool | None = None  # True: the headset or nothing; None: the headset when one is there; False: never
    xr_actions: str | None = None
    trainee: str = ""  # names journaled in SessionStarted and run.json (the records file them by trainee)
    instructor: str = ""
    db: str | None = None  # the records database (None: the default in the user's data folder; "" : none)
    #: After the session: write the review beside each run (``review.html``) and, with ``records``,
    #: file it in the records database (``talkdown run`` does both; ``--no-records`` only the review).
    review: bool = False
    records: bool = True
    #: Listen to the microphone (game/voice/): the trainee's speech becomes ``Say`` events.
    voice: bool = False
    push_to_talk: bool = False  # only while P (the headset's push-to-talk) is held, else voice activity
    calibrate: float = 4.0  # seconds of normal speech to calibrate the level at the start (0: skip)
    vocabulary: str | None = None
    #: Who takes the call at the dispatcher's seat (``talkdown dispatch``; empty: nobody) and the
    #: devices of other seats to plug in (the dispatcher's web page, game.web.dispatch).
    dispatcher: str = ""
    devices: tuple[Any, ...] = ()
    #: The instructor's microphone: held keys speak as the chosen subject or as dispatch (game/voice/instructor_voice.py).
    instructor_voice: bool = False
    #: Where officers 1…N start (``talkdown host --window``; None: the scenario's own officers).
    officers: list[Any] | None = None
    #: Called with the session host before its session starts, to plug in more seats (the trainee
    #: stations of ``talkdown host --window``: game.net.hosting.attach_network); may raise a
    #: one-line error (an address that cannot be listened on), before anything is recorded.
    services: tuple[Any, ...] = ()


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
    instructor = _instructor_bindings(options, offscreen, bindings)
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
        instructor = _instructor_bindings(options, offscreen, bindings)
        try:
            base = _open_engine(loaded, options, offscreen)
        except EngineUnavailable:
            run_dir.rmdir()
            raise
    try:
        return _run_in(base, loaded, options, run_dir, offscreen=offscreen, script=script, bindings=bindings,
                       instructor=instructor, tools=tools, out=out)
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
    display = has_display()
    # the trainee is in the headset, so the keyboard is the instructor's alone
    instructor = _instructor_bindings(options, not display, None) if display else None
    run_dir = new_run_dir(options.out, loaded.scenario.id, options.seed)
    try:
        return run_vr(loaded, options, run_dir, tools=tools, has_display=display, instructor=instructor, out=out,
                      after=after_session(options, out))
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
        scenario = loaded.scenario  # the names it uses are checked as `talkdown validate` checks them
        script = load_script_for(options.script, [s.id for s in scenario.subjects], [b.id for b in scenario.branches],
                                 subject_lines(scenario))
        if script.scenario and script.scenario != loaded.scenario.id:
            print(f"talkdown: warning: {options.script} was written for scenario '{script.scenario}', "
                  f"not '{loaded.scenario.id}'", file=sys.stderr)
    elif offscreen:
        script = loaded.default_script
    bindings = None
    if not offscreen and script is None:
        bindings = load_bindings(options.bindings or package_dir("input") / "desktop.yaml", device="desktop")
    return script, bindings


def _instructor_bindings(options: RunOptions, offscreen: bool, trainee: Any) -> Any:
    """The instructor's bindings when the console is on (checked against the trainee's keys:
    they may share a keyboard), else None."""
    on = options.console if options.console is not None else not offscreen
    if not on:
        return None
    if trainee is None:  # a scripted trainee: still checked against the keys a desk would use
        trainee = load_bindings(options.bindings or package_dir("input") / "desktop.yaml", device="desktop")
    path = options.instructor_bindings or package_dir("input") / "instructor.yaml"
    return load_bindings(path, device="instructor", shared_with=trainee)


def _open_engine(loaded: LoadedScenario, options: RunOptions, offscreen: bool) -> Any:
    from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display

    return create_showbase(EngineSettings(
        offscreen=offscreen,
        width=options.width,
        height=options.height,
        title=f"Talkdown — {loaded.scenario.title}",
        display=default_offscreen_display() if offscreen else "",
        gl_finish=offscreen,
        audio=(options.voice or options.instructor_voice) and not offscreen,  # the subject answers aloud; the instructor speaks as it
    ))


def _run_in(base: Any, loaded: LoadedScenario, options: RunOptions, run_dir: Path, *, offscreen: bool,
            script: TraineeScript | None, bindings: Any, instructor: Any, out: TextIO,
            tools: Any = None) -> dict[str, Any]:
    """The desk: a device per seat (officer 1: the script or the desk's keys; the instructor:
    the console or nobody; the microphone), handed to the session host, which runs them under
    the desk's views (:func:`game.engine.desk.station.run_desk`) and files the run after."""
    from game.engine.console.instructor import InstructorConsole, KeyboardFocus
    from game.engine.desk.desktop import DesktopTrainee
    from game.engine.desk.overlay import legend_text
    from game.engine.desk.station import DeskViews, desk_facts, run_desk

    scenario = loaded.scenario
    focus = KeyboardFocus()  # the trainee's keys and the console may share the keyboard
    desktop = None
    if script is None and bindings is not None:
        desktop = DesktopTrainee(base, bindings, position=scenario.trainee_position, heading=scenario.trainee_heading,
                                 focus=focus)
    console = InstructorConsole(base, instructor, scenario, focus=focus) if instructor is not None else None
    voice, mic = open_trainee_voice(loaded, options, desktop, out) if options.voice and not offscreen else (None, None)
    facts = desk_facts(base, options.quality)
    meta = {
        "mode": "offscreen" if offscreen else "window",
        "script": script.source if script is not None else "",
        "renderer": facts["renderer"],
        "resolution": [options.width, options.height],
        "console": console is not None,
        "tools": options.tools or "",
        "quality": facts["quality"],
        "voice": voice is not None,
    }
    plan = RunPlan(loaded, seed=options.seed, out=Path(options.out), duration=options.duration,
                   tools=tools if tools is not None else load_tools(None), trainee=options.trainee,
                   instructor=options.instructor, meta=meta, dispatcher=options.dispatcher,
                   officers=options.officers)
    officer = ScriptedTrainee(script) if script is not None else desktop
    host = SessionHost(plan, [officer, voice, *options.devices, console], after=after_session(options, out),
                       log=lambda line: print(line, file=out))
    host.own(mic, close=True)
    try:
        for attach in options.services:
            attach(host)
    except BaseException:
        host.close("not started")  # no session yet: the parts are closed, nothing is recorded
        if run_dir.is_dir() and not any(run_dir.iterdir()):
            run_dir.rmdir()
        raise
    host.start(run_dir)
    print(f"talkdown: {scenario.title} — seed {options.seed}, {'offscreen' if offscreen else 'window'}, "
          f"recording to {run_dir}", file=out)
    legend = legend_text(bindings.key_map()) if desktop is not None else f"scripted trainee: {script.title if script else ''}"
    views = DeskViews(offscreen=offscreen, quality=facts["quality"], realtime=options.realtime,
                      render_hz=options.render_hz, frames=options.frames, frame_interval=options.frame_interval,
                      voice=voice is not None, dispatcher=options.dispatcher, instructor_voice=options.instructor_voice)
    return host.drive(lambda: run_desk(base, host, loaded, views, desktop=desktop, console=console, legend=legend,
                                       say=lambda line: print(line, file=out)))


def after_session(options: RunOptions, out: TextIO) -> list[Any]:
    """The host's after-session hooks for ``talkdown run``: the one-line summary of the run,
    then (with ``options.review``) its review written beside it and filed in the records."""

    def summary(runs: Path, info: dict[str, Any]) -> None:
        if not info or str(info.get("finish_reason", "")).startswith("error:"):
            return  # the error is reported where it is raised
        ending = info.get("ending") or "none"
        journal = runs / info["run_id"] / "journal.jsonl"
        if info.get("mode") == "vr":
            drawn = f", {info.get('rendered_frames', 0)} headset frame(s) — journal {journal}"
        else:
            drawn = f" — {len(info['frames'])} frame(s), journal {journal}"
        print(f"talkdown: session ended ({info['finish_reason']}; ending: {ending}) after "
              f"{info['sim_seconds']:.1f} s simulated{drawn}", file=out)

    hooks: list[Any] = [summary]
    if options.review:
        hooks.append(filing_hook(options.db, records=options.records))
    return hooks
