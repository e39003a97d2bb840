"""``talkdown replay``: a recorded session again in 3D, re-simulated from its journal's inputs.

The core is deterministic, so feeding the journal's inputs at their steps into a fresh
session reproduces every reaction, and the world view draws it as it drew the original.
The replay writes its own journal (in a temporary folder) and compares it with the
recording at the end: a match byte for byte says the replay showed exactly what happened.

Keys (in a window): space pause/play, ``]``/``[`` faster/slower, ``v`` cycles the view
(trainee's eyes, overhead, subject's eyes — the instructor monitor's views),
→/← jump 10 s forward/back (back re-simulates from the start, which is quick), Esc quits.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any, TextIO

from game.content.scenario import LoadedScenario
from game.core.journal import read_journal
from game.core.replay import JournalEnd, JournalInputs
from game.engine.app import FixedPacer, FrameCapture, RealtimePacer, SessionApp
from game.session import Session

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


class ReplayPacer:
    """Wraps a pacer with pause and a speed factor (fractional steps carry over)."""

    def __init__(self, inner: Any, speed: float = 1.0) -> None:
        self.inner = inner
        self.speed = speed
        self.paused = False
        self._carry = 0.0

    def steps(self, sim_dt: float) -> int:
        n = self.inner.steps(sim_dt)
        if self.paused:
            return 0
        x = n * self.speed + self._carry
        k = int(x)
        self._carry = x - k
        return k

    def faster(self, up: bool) -> None:
        i = min(range(len(SPEEDS)), key=lambda j: abs(SPEEDS[j] - self.speed))
        self.speed = SPEEDS[max(0, min(len(SPEEDS) - 1, i + (1 if up else -1)))]


class Replay:
    """A replay of ``run_dir`` inside ``base`` (a ShowBase passed in). Call :meth:`run`."""

    def __init__(self, base: Any, loaded: LoadedScenario, run_dir: Path, *, realtime: bool, speed: float = 1.0,
                 view: str = "trainee", tools: Any = None, frames: Path | None = None, frame_interval: float = 5.0) -> None:
        from game.content.tools import load_tools
        from game.engine.instructor_view import InstructorView
        from game.engine.world_view import WorldView, prepare_view

        self.base = base
        self.loaded = loaded
        self.records = read_journal(run_dir / "journal.jsonl")
        if not self.records or self.records[0].get("type") != "SessionStarted":
            raise ValueError(f"{run_dir}: the journal has no SessionStarted line")
        self.recorded = run_dir / "journal.jsonl"
        self.tools = tools if tools is not None else load_tools(None)
        self._work = Path(tempfile.mkdtemp(prefix="talkdown-replay-"))
        self._n = 0
        self.session = self._new_session()
        names = {s.id: s.name for s in loaded.scenario.subjects}
        prepare_view(base, loaded.scene)
        self.view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader)
        self.monitor = InstructorView(base.win, base.render, base.cam, names)
        while self.monitor.mode != view:
            self.monitor.cycle()
        inner = RealtimePacer() if realtime else FixedPacer(max(1, round(self.session.sim.clock.hz / 10)))
        self.pacer = ReplayPacer(inner, speed)
        capture = FrameCapture(base.win, frames, interval=frame_interval) if frames is not None else None
        self.app = SessionApp(base, self.session, self.view, pacer=self.pacer, capture=capture, monitor=self.monitor)
        self._keys = {"space": self.toggle_pause, "]": lambda: self.pacer.faster(True), "[": lambda: self.pacer.faster(False),
                      "v": self.monitor.cycle, "arrow_right": lambda: self.seek(self.session.sim.now + 10.0),
                      "arrow_left": lambda: self.seek(self.session.sim.now - 10.0), "escape": self.quit}
        for key, fn in self._keys.items():
            base.accept(key, fn)

    def _new_session(self) -> Session:
        self._n += 1
        start = self.records[0]
        inputs = JournalInputs(self.records)
        return Session(self.loaded, seed=int(start["seed"]), run_dir=self._work / f"replay{self._n}",
                       providers=[JournalEnd(self.records, inputs), inputs], tools=self.tools,
                       trainee=start.get("trainee", ""), instructor=start.get("instructor", ""),
                       software=start.get("software", ""), meta={"mode": "replay"})

    def toggle_pause(self) -> None:
        self.pacer.paused = not self.pacer.paused

    def quit(self) -> None:
        self.session.sim.finish("replay_stopped")

    def seek(self, target: float) -> None:
        """Jumps to simulated time ``target``: forward by stepping without drawing; back by
        re-simulating from the start (deterministic, so it arrives at the same state)."""
        target = max(0.0, target)
        if target < self.session.sim.now:
            self.session.close("replay_seek")
            self.session = self._new_session()
            self.app.replace_session(self.session)
        while not self.session.done and self.session.sim.now < target:
            self.session.step()

    def run(self) -> dict[str, Any]:
        """Plays to the end; returns what happened and whether the journal matched the recording."""
        self.app.start()
        try:
            self.app.run()
        finally:
            self.app.stop()
            for key in self._keys:
                self.base.ignore(key)
        info = self.session.close("replayed")
        mine = (self.session.run_dir / "journal.jsonl").read_bytes()
        theirs = self.recorded.read_bytes()
        cut = theirs.rfind(b"\n") + 1  # a crash may have left half a line: compare what is complete
        if self.records[-1].get("type") != "SessionEnded":  # cut short: the replay goes on a little further
            mine = mine[:cut]
        result = {"matched": mine == theirs[:cut], "lines": info.get("journal_lines", 0),
                  "sim_seconds": info.get("sim_seconds", 0.0), "frames": info.get("frames", [])}
        if not result["matched"]:
            a, b = mine.split(b"\n"), theirs[:cut].split(b"\n")
            result["first_difference"] = next((i + 1 for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return result

    def destroy(self) -> None:
        self.monitor.destroy()
        self.view.destroy()
        shutil.rmtree(self._work, ignore_errors=True)


def replay_in(base: Any, loaded: LoadedScenario, run_dir: Path, *, realtime: bool, speed: float, view: str,
              frames: Path | None, out: TextIO) -> dict[str, Any]:
    info = {}
    try:
        info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    from game.content.tools import load_tools

    tools = load_tools(info.get("tools") or None)
    replay = Replay(base, loaded, run_dir, realtime=realtime, speed=speed, view=view, tools=tools, frames=frames)
    try:
        result = replay.run()
    finally:
        replay.destroy()
    verdict = "matches the recording byte for byte" if result["matched"] else \
        f"DIFFERS from the recording (first at line {result['first_difference']})"
    print(f"talkdown: replayed {result['sim_seconds']:.1f} s of {run_dir.name}: the replayed journal {verdict}", file=out)
    return result
