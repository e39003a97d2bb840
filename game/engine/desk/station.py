"""The desk's views around a session host: the 3D world, the trainee's overlay, the
instructor's monitor and HUD, the subjects' voices, the frame capture and the frame loop
(:class:`~game.engine.app.SessionApp`).

``talkdown run`` chooses who sits at each seat (the desk keys or a script, the console,
the microphone) and hands them to a :class:`~game.live.host.SessionHost`; this module
draws the session for them and runs its frames. Every part made here goes to the host's
teardown (views destroyed, frame tasks stopped, the capture flushed), so the desk closes
in the host's one order like the headset and a replay branch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from game.content.scenario import LoadedScenario
from game.live.host import SessionHost


@dataclass(frozen=True)
class DeskViews:
    """How the desk draws: ``offscreen`` (no overlay; steps paced by ``render_hz`` unless
    ``realtime``), the lighting ``quality`` (resolved: ``low`` or ``high``), frames for the
    review every ``frame_interval`` s (``frames``), the subjects' voices (``voice``), the
    dispatcher's name when a call comes first (``dispatcher``)."""

    offscreen: bool
    quality: str = "low"
    realtime: bool = False
    render_hz: float = 10.0
    frames: bool = True
    frame_interval: float = 5.0
    voice: bool = False
    #: Who takes the call (``talkdown dispatch``): the overlay waits for dispatch first.
    dispatcher: str = ""
    #: The instructor's microphone at the console (speaking as a subject or dispatch).
    instructor_voice: bool = False


def desk_facts(base: Any, quality: str) -> dict[str, Any]:
    """What ``run.json`` records of the desk's renderer: its name and the lighting quality it
    draws at (``auto`` resolved by the renderer)."""
    from game.engine.settings import renderer_name
    from game.engine.world.lighting import resolve_quality

    return {"renderer": renderer_name(base), "quality": resolve_quality(quality, base)}


def run_desk(base: Any, host: SessionHost, loaded: LoadedScenario, views: DeskViews, *, desktop: Any = None,
             console: Any = None, legend: str = "", say: Callable[[str], None] = print) -> str:
    """Draws the host's session on ``base`` and runs its frames until it ends; returns the
    reason for :meth:`~game.live.host.SessionHost.drive` ("completed"). ``desktop``: the
    desk's keys at officer 1's seat (the camera follows them), or None for a script;
    ``console``: the instructor's console at the instructor's seat, or None; ``legend``:
    the overlay's key line; ``say``: where warnings go (one line each)."""
    from game.engine.app import FixedPacer, FrameCapture, RealtimePacer, SessionApp
    from game.engine.console.hud import InstructorHud
    from game.engine.console.instructor_view import InstructorView
    from game.engine.desk.overlay import Overlay
    from game.engine.world.world_view import WorldView, prepare_view

    session = host.session
    assert session is not None, "start the host's session first"
    scenario = loaded.scenario
    names = {s.id: s.name for s in scenario.subjects}
    quality = prepare_view(base, loaded.scene, views.quality)
    view = host.own(WorldView(base.render, base.camera, loaded.scene, scenario, loader=base.loader, quality=quality),
                    destroy=True)
    for warning in view.scene.warnings:
        say(f"talkdown: warning: {warning}")
    if view.models is not None:
        for error in view.models.errors.values():
            say(f"talkdown: warning: {error}; the subject is shown as the placeholder figure")
    overlay = monitor = hud = subject_voices = None
    if not views.offscreen:
        overlay = host.own(Overlay(base.aspect2d, base.a2dTopLeft, base.a2dBottomLeft, title=scenario.title,
                                   briefing="Waiting for dispatch…" if views.dispatcher else scenario.briefing,
                                   legend=legend, names=names, dispatched=bool(views.dispatcher)), destroy=True)
    if console is not None:
        monitor = host.own(InstructorView(base.win, base.render, base.cam, names), destroy=True)
        console.on_switch_view = monitor.cycle
        hud = host.own(InstructorHud(base.win, console, labels=monitor.labels), destroy=True)
        if views.instructor_voice:
            from game.engine.console.voice_setup import add_instructor_voice

            add_instructor_voice(base, host, console, view.figures, out=say)
    if views.offscreen and not views.realtime:
        pacer: Any = FixedPacer(max(1, round(session.hz / views.render_hz)))
    else:
        pacer = RealtimePacer()
    capture = FrameCapture(base.win, session.run_dir / "frames", interval=views.frame_interval) if views.frames else None
    if views.voice:
        from game.engine.world.subject_voices import SubjectVoices

        subject_voices = host.own(SubjectVoices(base, view.figures, scenario), destroy=True)
    app = SessionApp(base, session, view, pacer=pacer, desktop=desktop, overlay=overlay, capture=capture,
                     console=console, monitor=monitor, hud=hud, sinks=(subject_voices,), host=host)
    host.own(app, stop=True, flush=True)
    earlier = host.close_extra  # what other parts add (the network's stations) is kept
    host.close_extra = lambda: {**earlier(), "rendered_frames": app.frames, **_hud_cost(app)}

    def restarted(next_session: Any) -> None:  # the instructor restarted: frames go to the new folder
        if app.capture is not None:
            app.capture = FrameCapture(base.win, next_session.run_dir / "frames", interval=views.frame_interval)
        app.replace_session(next_session)

    host.on_session.append(restarted)
    app.start()
    app.run()
    return "completed"


def _hud_cost(app: Any) -> dict[str, Any]:
    """The instructor view's cost per frame (wall clock), for run.json."""
    if app.hud is None or not app.frames:
        return {}
    return {"console_ms_per_frame": round(app.hud_seconds / app.frames * 1000.0, 3)}
