"""A trainee station's view: the desk engine's world view, driven by the host's frames.

The station runs no simulation: each frame it plays what has arrived (:class:`~game.net.client.
Mirror`: journal lines to the views, the snapshot to the world view from this station's own
officer's eyes, the other officers as officer figures), feeds its device (the desk's keys or a
script) once per host step, and renders. Engine modules are imported inside the functions.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from game.net.client import JoinError, Link, Mirror, RemoteSim


@dataclass
class StationOptions:
    offscreen: bool = False
    script: Any = None  # a TraineeScript: a scripted officer instead of the keys
    vr: bool = False
    frames: str | None = None  # save PNGs of the view here
    frame_interval: float = 2.0
    size: str = "1280x720"
    name_tags: bool = False
    timeout: float | None = None
    #: Frames rendered a second at most offscreen (a window follows the display).
    render_hz: float = 10.0
    bindings: str | None = None


class _FrameLog:
    """What :class:`~game.engine.capture.FrameCapture` asks of a session: the clock and a frame list."""

    def __init__(self, sim: RemoteSim) -> None:
        self.sim = sim
        self.frames: list[dict[str, Any]] = []

    @property
    def step_index(self) -> int:
        return self.sim.clock.step

    @property
    def now(self) -> float:
        return self.sim.now

    def add_frame(self, file: str) -> None:
        self.frames.append({"file": file, "step": self.sim.clock.step, "time": self.sim.now})


def run_station(link: Link, loaded: Any, sim: RemoteSim, options: StationOptions, *,
                log: Callable[[str], None] = print) -> str:
    """Renders the hosted session at this station until it ends or the connection goes; returns
    why it stopped (``ended``, ``interrupted`` or the connection's reason)."""
    from game.content.bindings import load_bindings
    from game.content.library import package_dir
    from game.core.drivers import ScriptedTrainee
    from game.engine.capture import FrameCapture
    from game.engine.settings import EngineSettings, EngineUnavailable, create_showbase, default_offscreen_display, \
        destroy_showbase
    from game.engine.world.world_view import WorldView, prepare_view

    if options.vr:
        return run_headset_station(link, loaded, sim, options, log=log)
    try:
        w, h = (int(x) for x in options.size.lower().split("x"))
    except ValueError:
        raise JoinError(f"--size must look like 1280x720, got {options.size!r}") from None
    sc = loaded.scenario
    offscreen = options.offscreen
    if not offscreen:
        import os
        import sys

        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            log("talkdown: no display found; rendering offscreen instead (see --offscreen)")
            offscreen = True
    try:
        base = create_showbase(EngineSettings(offscreen=offscreen, width=w, height=h,
                                              title=f"Talkdown — {sc.title} ({sim.seat})",
                                              display=default_offscreen_display() if offscreen else "",
                                              gl_finish=offscreen))
    except EngineUnavailable as exc:
        raise JoinError(str(exc)) from None
    view = None
    capture = None
    overlay = None
    try:
        quality = prepare_view(base, loaded.scene, "auto")
        view = WorldView(base.render, base.camera, loaded.scene, sc, loader=base.loader, quality=quality, seat=sim.seat)
        view.officers.show_tags(options.name_tags)
        start = sim.officer_view(sim.seat)
        desktop = None
        if options.script is not None:
            device: Any = ScriptedTrainee(options.script, seat=sim.seat)
        elif not offscreen:
            from game.engine.desk.desktop import DesktopTrainee

            bindings = load_bindings(options.bindings or package_dir("input") / "desktop.yaml", device="desktop")
            device = desktop = DesktopTrainee(base, bindings, position=start.position, heading=start.heading,
                                              seat=sim.seat)
        else:
            device = None
        overlay = None
        if not offscreen:  # subtitles, the briefing and the keys, as at the desk
            from game.engine.desk.overlay import Overlay, legend_text

            legend = legend_text(bindings.key_map()) if desktop is not None else \
                f"scripted officer: {getattr(options.script, 'title', '')}"
            overlay = Overlay(base.aspect2d, base.a2dTopLeft, base.a2dBottomLeft, title=f"{sc.title} — {sim.seat}",
                              briefing=sc.briefing, legend=legend, names={s.id: s.name for s in sc.subjects})
        mirror = Mirror(link, sim, device, sinks=[view, *([overlay] if overlay is not None else [])])
        frames = _FrameLog(sim)
        if options.frames:
            capture = FrameCapture(base.win, Path(options.frames), interval=options.frame_interval)
        link.ready()
        began = time.monotonic()
        last_time: float | None = None
        min_gap = 1.0 / options.render_hz if offscreen else 0.0
        last_frame = 0.0
        while True:
            arrived = mirror.pump()
            if desktop is not None:
                desktop.poll(base.clock.get_dt())
            snap = sim.snap
            now = time.monotonic()
            if snap is not None and (arrived or not offscreen) and now - last_frame >= min_gap:
                dt = 0.0 if last_time is None else max(0.0, snap.time - last_time)
                last_time = snap.time
                view.update(snap, dt, desktop.pose if desktop is not None else None)
                me = snap.officer(sim.seat)
                if overlay is not None and me is not None:
                    overlay.update(snap.time, me.hands)
                base.task_mgr.step()  # renders (igLoop)
                last_frame = now
                if capture is not None and capture.due(sim.now):
                    capture.save(frames)
            else:
                time.sleep(0.002)
            if link.ended is not None and link.frames.empty():
                return "ended"
            if not link.open and link.frames.empty():
                return "ended" if link.ended is not None else (link.lost or "connection closed")
            if options.timeout is not None and now - began > options.timeout:
                return "timeout"
    except (KeyboardInterrupt, SystemExit):
        return "interrupted"
    finally:
        if capture is not None:
            capture.flush()
        if overlay is not None:
            overlay.destroy()
        if view is not None:
            view.destroy()
        destroy_showbase(base)


class _Mirrored:
    """What the headset's frame loop (:class:`~game.xr.app.XrLoop`) steps in place of a session: a
    "step" plays the host's frames that have arrived. The station cannot pause the host: a headset
    taken off is said once, and its officer stands still (it sends nothing)."""

    def __init__(self, mirror: Mirror, link: Link, sim: RemoteSim, log: Callable[[str], None]) -> None:
        self.mirror, self.link, self.sim, self.log = mirror, link, sim, log
        self.paused = False
        self.started = time.monotonic()
        self.timeout: float | None = None

    @property
    def dt(self) -> float:
        return self.sim.clock.dt

    @property
    def done(self) -> bool:
        if self.link.ended is not None and self.link.frames.empty():
            return True
        if not self.link.open and self.link.frames.empty():
            return True
        return self.timeout is not None and time.monotonic() - self.started > self.timeout

    def step(self) -> None:
        self.mirror.pump()

    def pause(self, reason: str) -> None:
        if not self.paused:
            self.log(f"talkdown: the headset is not in use ({reason}); {self.sim.seat} stands still meanwhile")
        self.paused = True

    def resume(self) -> None:
        self.paused = False


class _EveryFrame:
    """One "step" a headset frame: it plays whatever has arrived."""

    def steps(self, dt: float) -> int:
        return 1


def run_headset_station(link: Link, loaded: Any, sim: RemoteSim, options: StationOptions, *,
                        log: Callable[[str], None] = print) -> str:
    """The station's officer in the headset (OpenXR): its head and hands are the officer's inputs,
    the eyes see the host's scene from there. Raises :class:`~game.net.client.JoinError` in one line
    when no headset session can be opened."""
    import os
    import sys

    from game.content.xr_actions import load_xr_actions
    from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display, destroy_showbase
    from game.engine.world.world_view import WorldView, prepare_view
    from game.xr.app import XrLoop
    from game.xr.hands_view import HandNodes
    from game.xr.poses import StageAnchor
    from game.xr.runtime import XrRuntime, XrUnavailable
    from game.xr.stereo import XrStereo, binding_extensions, graphics_binding
    from game.xr.trainee import XrTrainee

    sc = loaded.scenario
    window = not sys.platform.startswith("linux") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    display = "" if window else default_offscreen_display()
    base = create_showbase(EngineSettings(offscreen=not window, width=320, height=240, display=display,
                                          title=f"Talkdown (headset) — {sc.title} ({sim.seat})"))
    actions = load_xr_actions(None)
    start = sim.officer_view(sim.seat)
    runtime = XrRuntime(actions, StageAnchor(start.position, start.heading), log=log)
    parts: list[Any] = []
    try:
        base.graphics_engine.render_frame()  # Panda's GL context exists and is current
        module = display or base.pipe.get_type().get_name()
        try:
            runtime.open(graphics_binding, extensions=binding_extensions(
                "p3headlessgl" if "egl" in module.lower() or module == "p3headlessgl" else module))
        except XrUnavailable as exc:
            raise JoinError(f"no headset: {exc}") from None
        trainee = XrTrainee(actions, seat=sim.seat)
        quality = prepare_view(base, loaded.scene, "low")
        view = WorldView(base.render, base.camera, loaded.scene, sc, loader=base.loader, quality=quality, seat=sim.seat)
        parts.append(view)
        view.officers.show_tags(options.name_tags)
        hands = HandNodes(view.root)
        parts.append(hands)
        hands.attach_tools(view.tools)
        eye = os.environ.get("TALKDOWN_XR_EYE", "")  # smaller eyes than the runtime asks (CI, slow GPUs)
        size = tuple(int(v) for v in eye.lower().split("x")) if eye.count("x") == 1 and eye.replace("x", "").isdigit() \
            else None
        stereo = XrStereo(base, runtime, base.render, size=size)
        parts.append(stereo)
        mirror = Mirror(link, sim, trainee, sinks=[view])
        mirrored = _Mirrored(mirror, link, sim, log)
        mirrored.timeout = options.timeout
        last: list[float] = []

        def present(frame: Any) -> None:
            snap = sim.snap
            if snap is None:
                return
            head = frame.head
            pose = ((head.position[0], head.position[1]), head.heading, head.pitch) if head is not None else None
            dt = snap.time - last[0] if last else 0.0
            last[:] = [snap.time]
            view.update(snap, max(0.0, dt), pose)

        loop = XrLoop(runtime, mirrored, trainee, pacer=_EveryFrame(), hands=hands, stereo=stereo, present=present,
                      log=log)
        link.ready()
        log(f"talkdown: {sim.seat} in the headset '{runtime.system_name}'")
        while not loop.done:
            loop.frame()
            if window:
                base.task_mgr.step()
        if loop.ended_reason:
            return f"the headset ended the session here ({loop.ended_reason})"
        if link.ended is not None:
            return "ended"
        return "timeout" if link.open else (link.lost or "connection closed")
    except (KeyboardInterrupt, SystemExit):
        return "interrupted"
    finally:
        for part in reversed(parts):
            try:
                part.destroy()
            except Exception:  # noqa: BLE001 - one failing part must not keep the others open
                pass
        runtime.close()
        destroy_showbase(base)
