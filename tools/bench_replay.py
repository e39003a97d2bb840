"""Measures ``talkdown replay``: frame time with and without the instructor's HUD, and the
cost of seeking back (a re-simulation from the start) in a run about a minute long.

    python tools/bench_replay.py [--size 1280x720] [--frames 120]

Records ``traffic_stop`` with its good script (57.7 s) into a temporary folder, replays it
offscreen (``gl-finish`` on, so frame times are real) and prints medians. Figures go to
docs/benchmarks.md; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def record(folder: Path) -> Path:
    from game.content.library import package_dir
    from game.content.scenario import load_scenario
    from game.content.script import load_script
    from game.core.drivers import ScriptedTrainee
    from game.live.session import Session

    loaded = load_scenario(package_dir("scenarios") / "traffic_stop.yaml")
    script = load_script(package_dir("scenarios") / "scripts" / "traffic_stop_good.yaml")
    session = Session(loaded, seed=1, run_dir=folder, providers=[ScriptedTrainee(script)], duration=90.0)
    while not session.done:
        session.step()
    session.close("completed")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--frames", type=int, default=120)
    args = parser.parse_args()
    w, h = (int(x) for x in args.size.split("x"))

    from game.engine.replay.player import Replay
    from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display, destroy_showbase
    from game.review.load import scenario_of

    with tempfile.TemporaryDirectory() as tmp:
        run = record(Path(tmp) / "run")
        base = create_showbase(EngineSettings(offscreen=True, width=w, height=h, display=default_offscreen_display(),
                                              gl_finish=True))
        try:
            replay = Replay(base, scenario_of(run), run, realtime=False)
            replay.app.start()
            try:
                for hud in (True, False, True, False):
                    replay.hud.set_visible(hud)
                    replay.seek(10.0)
                    for _ in range(10):  # warm up
                        base.task_mgr.step()
                    times = []
                    hud_before, frames_before = replay.app.hud_seconds, replay.app.frames
                    for _ in range(args.frames):
                        started = time.perf_counter()
                        base.task_mgr.step()
                        times.append(time.perf_counter() - started)
                    per = (replay.app.hud_seconds - hud_before) / max(1, replay.app.frames - frames_before)
                    print(f"replay frame, HUD {'on ' if hud else 'off'}, {w}x{h}: median "
                          f"{statistics.median(times) * 1000:.2f} ms (instructor task {per * 1000:.2f} ms)")
                seeks = []
                for _ in range(5):
                    replay.seek(replay.total)
                    started = time.perf_counter()
                    replay.seek(replay.total - 1.0)  # back: re-simulated from the start
                    seeks.append(time.perf_counter() - started)
                print(f"seek back from {replay.total:.1f} s to {replay.total - 1.0:.1f} s: median "
                      f"{statistics.median(seeks) * 1000:.0f} ms (min {min(seeks) * 1000:.0f}, max {max(seeks) * 1000:.0f})")
            finally:
                replay.app.stop()
                replay.destroy()
        finally:
            destroy_showbase(base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
