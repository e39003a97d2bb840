"""``talkdown replay``: a recorded session again in 3D, played from its journal's recorded events.

The replay does not re-simulate: a session plays the recording's own events step by step
(:class:`~game.core.playback.JournalPlayback`), so a run recorded by an older simulation
is shown exactly as it happened; the views read the snapshots the recording describes.
The played journal is written to a temporary folder and compared with the recording at
the end (a check that nothing was lost on the way). Re-simulation is for branching and
``talkdown replay --check``.

What it shows: the instructor's monitor views (trainee's eyes, overhead, subject's eyes)
and a free camera; the instructor's HUD, read-only (the replayed moment's state and the
instructor's inputs as they happened); a timeline bar to seek on. Its keys are action
names in input/replay.yaml (see that file); seeking back plays from the start again,
which is quick.

Branching (``take_controls``, or ``--branch-at``): see :mod:`game.engine.replay.branch`. The
replay's keys let go, the trainee's and the instructor's take over, and the session goes
on live in a new run folder.

Each frame the replay adds two named tasks around :class:`~game.engine.app.SessionApp`'s:
``talkdown:replay`` (sort -40: the hand-over when one is due, the free camera) and
``talkdown:timeline`` (sort -4: the bar, after the HUD).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

from game.content.bindings import Bindings, load_bindings
from game.content.library import package_dir
from game.content.scenario import LoadedScenario
from game.core.journal import read_journal
from game.core.replay import officers_of
from game.engine.app import FixedPacer, FrameCapture, RealtimePacer, SessionApp
from game.engine.replay.branch import BranchSetup, branch_host, replay_to, script_from
from game.engine.console.hud import clock_text, key_name
from game.engine.replay.controls import SPEEDS, FreeCamera, ReplayKeys, ReplayPacer
from game.live.check import compare, version_note
from game.live.session import Session

__all__ = ["Replay", "ReplayPacer", "SPEEDS", "replay_in"]

REPLAY_TASKS = (("talkdown:replay", -40), ("talkdown:timeline", -4))


class Replay:
    """A replay of ``run_dir`` inside ``base`` (a ShowBase passed in). Call :meth:`run`.

    ``keys``: the replay's bindings (default input/replay.yaml); ``hud``: show the
    instructor's HUD from the start (a key toggles it); ``branch``: who takes the controls
    when the replay branches (None: it cannot)."""

    def __init__(self, base: Any, loaded: LoadedScenario, run_dir: Path, *, realtime: bool, speed: float = 1.0,
                 view: str = "trainee", tools: Any = None, frames: Path | None = None, frame_interval: float = 5.0,
                 keys: Bindings | None = None, hud: bool = True, branch: BranchSetup | None = None,
                 out: TextIO | None = None) -> None:
        from game.content.tools import load_tools
        from game.engine.console.hud import InstructorHud
        from game.engine.console.instructor_view import InstructorView
        from game.engine.replay.timeline import Timeline, ticks_of
        from game.engine.world.world_view import WorldView, prepare_view

        self.base = base
        self.loaded = loaded
        self.run_dir = run_dir
        self.out = out if out is not None else sys.stdout
        self.records = read_journal(run_dir / "journal.jsonl")
        if not self.records or self.records[0].get("type") != "SessionStarted":
            raise ValueError(f"{run_dir}: the journal has no SessionStarted line")
        try:
            self.recorded_info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.recorded_info = {}
        self.recorded = run_dir / "journal.jsonl"
        self.total = float(self.records[-1].get("time", 0.0))
        self.tools = tools if tools is not None else load_tools(None)
        self.realtime = realtime
        self.frame_interval = frame_interval
        self.branch_setup = branch
        self.branch: Session | None = None  # the branched session, once the controls are taken
        self.branched_at: tuple[int, float] | None = None
        self._prefix = b""
        self._branch_wanted = False
        self._work = Path(tempfile.mkdtemp(prefix="talkdown-replay-"))
        self._n = 0
        self.session = self._new_session()
        scenario = loaded.scenario
        names = {s.id: s.name for s in scenario.subjects}
        quality = prepare_view(base, loaded.scene, "auto")
        self.view = WorldView(base.render, base.camera, loaded.scene, scenario, loader=base.loader, quality=quality)
        self.free = FreeCamera(base.render)
        self.monitor = InstructorView(base.win, base.render, base.cam, names, free=self.free.np)
        self.hud = InstructorHud(base.win, scenario=scenario, labels=self.monitor.labels)
        self.hud.set_visible(hud)
        self.host: Any = None  # the branch's session host, once the controls are taken
        self.overlay: Any = None  # the trainee's text, once a live branch starts
        inner = RealtimePacer() if realtime else FixedPacer(max(1, round(self.session.hz / 10)))
        self.pacer = ReplayPacer(inner, speed)
        capture = FrameCapture(base.win, frames, interval=frame_interval) if frames is not None else None
        self.app = SessionApp(base, self.session, self.view, pacer=self.pacer, capture=capture, monitor=self.monitor,
                              hud=self.hud)
        self.bindings = keys if keys is not None else load_bindings(package_dir("input") / "replay.yaml",
                                                                    device="replay")
        self.timeline = Timeline(base.win, self.total, ticks_of(self.records), legend=self._legend())
        self.keys = ReplayKeys(base, self.bindings, {
            "play_pause": self.toggle_pause, "faster": lambda: self.pacer.faster(True),
            "slower": lambda: self.pacer.faster(False), "next_view": self.next_view,
            "free_camera": self.free_camera, "toggle_hud": lambda: self.hud.set_visible(not self.hud.visible),
            "next_subject": self.hud.next_subject,
            "back_1s": lambda: self.seek(self.now - 1.0), "forward_1s": lambda: self.seek(self.now + 1.0),
            "back_10s": lambda: self.seek(self.now - 10.0), "forward_10s": lambda: self.seek(self.now + 10.0),
            "to_start": lambda: self.seek(0.0), "to_end": lambda: self.seek(self.total),
            "take_controls": self.take_controls, "quit": self.quit,
        }, on_click=self._clicked)
        if view == "free":  # from the overhead camera's first pose
            self.monitor.show("overhead")
            self.app.present()
            self.free_camera()
        else:
            self.monitor.show(view)

    # ------------------------------------------------------------ sessions

    def _new_session(self) -> Session:
        self._n += 1
        start = self.records[0]
        return Session(self.loaded, seed=int(start["seed"]), run_dir=self._work / f"replay{self._n}",
                       playback=self.records, tools=self.tools,
                       trainee=start.get("trainee", ""), instructor=start.get("instructor", ""),
                       software=start.get("software", ""), meta={"mode": "replay"}, officers=officers_of(start))

    @property
    def now(self) -> float:
        return self.session.now

    def _legend(self) -> str:
        def k(action: str) -> str:
            return key_name(self.bindings.first_key(action))

        return (f"{k('play_pause')} play/pause  {k('slower')} {k('faster')} speed  {k('back_1s')} {k('forward_1s')} 1 s  "
                f"{k('back_10s')} {k('forward_10s')} 10 s  {k('next_view')} view  {k('free_camera')} free camera "
                f"(WASD QE, arrows or right mouse)  {k('toggle_hud')} HUD  {k('take_controls')} take the controls  "
                f"{k('quit')} quit")

    # ------------------------------------------------------------ controls

    def toggle_pause(self) -> None:
        self.pacer.paused = not self.pacer.paused

    def quit(self) -> None:
        self.session.finish("replay_stopped")

    def next_view(self) -> str:
        """The next view; entering the free camera, it starts from the view that was showing."""
        before = self.monitor.cameras()[0]
        name = self.monitor.cycle()
        if self.monitor.mode == "free":
            self.free.place(before)
        return name

    def free_camera(self) -> None:
        """The free camera, starting from where the current view's camera is."""
        if self.monitor.mode != "free":
            self.free.place(self.monitor.cameras()[0])
            self.monitor.show("free")

    def seek(self, target: float) -> None:
        """Jumps to simulated time ``target``: forward by stepping without drawing; back by
        re-simulating from the start (deterministic, so it arrives at the same state).
        Does nothing once the replay has branched."""
        if self.branch is not None:
            return
        target = max(0.0, min(target, self.total))
        if target < self.session.now - 1e-9:
            self.session.close("replay_seek")
            self.session = self._new_session()
            self.hud.reset()
            self.app.replace_session(self.session)
        while not self.session.done and self.session.now < target - 1e-9:
            self.session.step()

    def draw(self) -> None:
        """Places everything for the current moment without stepping (the frame renders next)."""
        self.app.present()
        self._timeline_task(None)

    def _clicked(self) -> None:
        watcher = getattr(self.base, "mouseWatcherNode", None)
        if watcher is not None and watcher.has_mouse():
            self.click(watcher.get_mouse_x(), watcher.get_mouse_y())

    def click(self, x: float, y: float) -> bool:
        """A click at (``x``, ``y``) in -1..1 across the window: on the timeline bar it seeks there."""
        t = self.timeline.time_at(x, y)
        if t is None:
            return False
        self.seek(t)
        return True

    def take_controls(self) -> bool:
        """Branches at the current step (on the next frame, not inside the key's event)."""
        if self.branch is not None or self.session.done:
            return False
        if self.branch_setup is None or not self.branch_setup.can_branch():
            print("talkdown: this replay cannot branch here (offscreen, it needs --script)", file=self.out)
            return False
        self._branch_wanted = True
        return True

    # ------------------------------------------------------------ branching

    def hand_over(self) -> Session:
        """The branch starts now: a new run folder re-simulated to this step, then fed by the
        live trainee and instructor (or the script) instead of the journal."""
        from game.core.drivers import ScriptedTrainee
        from game.engine.console.hud import InstructorHud
        from game.engine.console.instructor import InstructorConsole, KeyboardFocus
        from game.engine.desk.desktop import DesktopTrainee
        from game.engine.console.instructor_view import MODES

        setup = self.branch_setup
        assert setup is not None
        self._branch_wanted = False
        old = self.session
        step, time = old.step_index, old.now
        self._prefix = (old.run_dir / "journal.jsonl").read_bytes()  # each line is flushed as it is written
        self.keys.detach()  # first: the trainee's keys may be the same keys
        self.timeline.set_visible(False)
        if self.monitor.mode == "free":
            self.monitor.show("trainee")
        self.monitor.modes = MODES
        mode = "window" if self.realtime else "offscreen"
        self.host = branch_host(self.loaded, self.records, self.recorded_info, run_dir=self.run_dir, step=step,
                                time=time, setup=setup, tools=self.tools, mode=mode)
        session = self.host.session
        old.close("branched")
        focus = KeyboardFocus()
        console = None
        if setup.instructor_keys is not None:
            console = InstructorConsole(self.base, setup.instructor_keys, self.loaded.scenario, focus=focus,
                                        on_switch_view=self.monitor.cycle)
            self.hud.destroy()
            self.hud = self.app.hud = InstructorHud(self.base.win, console, labels=self.monitor.labels)
        else:
            self.hud.reset()
        if setup.script is None and setup.trainee_keys is not None and self.realtime:
            from game.engine.desk.overlay import Overlay, legend_text

            scenario = self.loaded.scenario
            self.overlay = self.app.overlay = Overlay(
                self.base.aspect2d, self.base.a2dTopLeft, self.base.a2dBottomLeft,
                title=f"{scenario.title} — branched at {clock_text(time)}", briefing="",
                legend=legend_text(setup.trainee_keys.key_map()), names={s.id: s.name for s in scenario.subjects})
        self.app.console = console
        # the branch is a run: it saves frames for its review like `talkdown run` (a sink from the start)
        self.app.capture = FrameCapture(self.base.win, session.run_dir / "frames", interval=self.frame_interval)
        self.app.replace_session(session)
        replay_to(session, step)
        if setup.script is not None:
            trainee: Any = ScriptedTrainee(script_from(setup.script, time))
        else:
            me = session.snapshot.trainee
            trainee = DesktopTrainee(self.base, setup.trainee_keys, position=me.position, heading=me.heading,
                                     focus=focus)
            trainee.pitch = me.pitch
            self.app.desktop = trainee
        self.host.hand_over([trainee, console])  # the host detaches them when the branch closes
        self.pacer.paused = False
        self.app.pacer = RealtimePacer() if self.realtime else FixedPacer(max(1, round(session.hz / 10)))
        self.session = self.branch = session
        self.branched_at = (step, time)
        who = f"script {setup.script.source or setup.script.title}" if setup.script is not None else "your keys"
        print(f"talkdown: branched at {time:.1f} s (step {step}): {who} from here on, recording to {session.run_dir}",
              file=self.out)
        note = version_note(self.records)
        if note:
            print(f"talkdown: warning: this journal was {note}", file=self.out)
        return session

    def _replay_task(self, task: Any) -> int:
        if self._branch_wanted:
            self.hand_over()
        if self.monitor.mode == "free" and self.branch is None:
            watcher = getattr(self.base, "mouseWatcherNode", None)
            mouse = None
            if self.keys.looking and watcher is not None and watcher.has_mouse():
                mouse = (watcher.get_mouse_x(), watcher.get_mouse_y())
            self.free.poll(self.base.clock.get_dt(), self.keys.held, mouse=mouse,
                           sensitivity=self.bindings.mouse_sensitivity, invert_y=self.bindings.invert_y)
        return task.cont

    def _timeline_task(self, task: Any) -> Any:
        if self.branch is None:
            state = "paused" if self.pacer.paused else "playing"
            self.timeline.update(self.now, f"{self.pacer.speed:g}x {state}   {self.monitor.mode} view")
        return task.cont if task is not None else None

    # ------------------------------------------------------------ running

    def run(self) -> dict[str, Any]:
        """Plays to the end (or the branch to its end); returns what happened and whether the
        journal matched the recording (a branch: up to the branch)."""
        if self._branch_wanted:
            self.hand_over()
        self.app.start()
        self.base.task_mgr.add(self._replay_task, REPLAY_TASKS[0][0], sort=REPLAY_TASKS[0][1])
        self.base.task_mgr.add(self._timeline_task, REPLAY_TASKS[1][0], sort=REPLAY_TASKS[1][1])
        reason = "completed"
        try:
            self.app.run()
        except (KeyboardInterrupt, SystemExit):  # Ctrl-C, or the window was closed
            if self.branch is None:
                raise
            reason = "interrupted"  # a branch is a run: it is kept, as `talkdown run` keeps one
        except BaseException as exc:
            if self.host is not None:
                self.host.close(f"error: {type(exc).__name__}: {exc}")
            raise
        finally:
            self.app.stop()
            for name, _ in REPLAY_TASKS:
                self.base.task_mgr.remove(name)
            self.keys.detach()
        if self.branch is not None:
            return self._branch_result(reason)
        stopped = self.session.finish_reason == "replay_stopped"
        info = self.session.close("replayed")
        mine = (self.session.run_dir / "journal.jsonl").read_bytes()
        theirs = self.recorded.read_bytes()
        if stopped:  # quit before the end: what was replayed, less its own SessionEnded line, is a prefix
            mine = mine[:mine.rstrip(b"\n").rfind(b"\n") + 1]
            theirs = theirs[:len(mine)]
        cut_short = self.records[-1].get("type") != "SessionEnded"  # the replay goes on a little further
        comparison = compare(theirs, mine, records=self.records, prefix_only=cut_short)
        result = {"matched": comparison.matched, "lines": info.get("journal_lines", 0), "stopped": stopped,
                  "sim_seconds": info.get("sim_seconds", 0.0), "frames": info.get("frames", []),
                  "note": comparison.note}
        if not comparison.matched:
            result["first_difference"] = comparison.first_difference
        return result

    def _branch_result(self, reason: str) -> dict[str, Any]:
        assert self.branch is not None and self.branched_at is not None
        session = self.branch
        self.host.own(self.app, flush=True)  # the branch's frames, flushed in the host's order
        result: dict[str, Any] = {}

        def compared(_out: Path, info: dict[str, Any]) -> None:  # the first after-session hook: before filing
            mine = (session.run_dir / "journal.jsonl").read_bytes()
            prefix_ok = self.recorded.read_bytes().startswith(self._prefix) and mine.startswith(self._prefix)
            result.update({
                "matched": prefix_ok, "branched": True, "note": version_note(self.records), "run_dir": session.run_dir,
                "info": info, "branch_step": self.branched_at[0], "branch_time": self.branched_at[1],
                "prefix_lines": self._prefix.count(b"\n"), "lines": info.get("journal_lines", 0),
                "sim_seconds": info.get("sim_seconds", 0.0), "frames": info.get("frames", [])})
            ok = "matches the recording" if prefix_ok else (
                f"differs from the recording ({result['note']})" if result["note"] else "DIFFERS from the recording")
            print(f"talkdown: the branch's journal {ok} up to the branch ({result['prefix_lines']} lines); "
                  f"branch ended ({info.get('finish_reason')}; ending: {info.get('ending') or 'none'}) "
                  f"at {result['sim_seconds']:.1f} s, journal {session.run_dir / 'journal.jsonl'}", file=self.out)

        self.host.after.insert(0, compared)
        self.host.close(reason, rendered_frames=self.app.frames)
        return result

    def destroy(self) -> None:
        if self.host is not None:
            self.host.close("closed")  # already closed on every way out of run(); never left running
        self.keys.detach()
        self.timeline.destroy()
        if self.overlay is not None:
            self.overlay.destroy()
        self.hud.destroy()
        self.monitor.destroy()
        self.free.destroy()
        self.view.destroy()
        shutil.rmtree(self._work, ignore_errors=True)


def replay_in(base: Any, loaded: LoadedScenario, run_dir: Path, *, realtime: bool, speed: float, view: str,
              frames: Path | None, out: TextIO, at: float | None = None, hud: bool = True,
              branch: BranchSetup | None = None, branch_at: float | None = None,
              keys: Bindings | None = None) -> dict[str, Any]:
    """Replays ``run_dir`` in ``base`` and prints the verdict. ``at``: start there (paused in a
    window); ``branch_at``: take the controls there (``branch`` says who)."""
    info = {}
    try:
        info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    from game.content.tools import load_tools

    tools = load_tools(info.get("tools") or None)
    replay = Replay(base, loaded, run_dir, realtime=realtime, speed=speed, view=view, tools=tools, frames=frames,
                    hud=hud, branch=branch, keys=keys, out=out)
    try:
        if branch_at is not None:
            replay.seek(branch_at)
            replay.take_controls()
        elif at is not None:
            replay.seek(at)
            replay.pacer.paused = realtime  # offscreen nobody could press play
        result = replay.run()
    finally:
        replay.destroy()
    if result.get("branched"):  # said by the branch host's first after-session hook, before it was filed
        return result
    if result["matched"]:
        verdict = "(played from the recording's events) matches the recording byte for byte"
    elif result.get("note"):
        verdict = f"differs from the recording (first at line {result['first_difference']}): {result['note']}"
    else:
        verdict = f"DIFFERS from the recording (first at line {result['first_difference']})"
    if result.get("stopped"):
        verdict += " as far as it went (stopped before the end)"
    print(f"talkdown: replayed {result['sim_seconds']:.1f} s of {run_dir.name}: the replayed journal {verdict}", file=out)
    return result
