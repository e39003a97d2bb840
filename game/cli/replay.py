"""``talkdown replay RUN``: the recorded session in 3D (window or offscreen), or ``--check``:
re-simulate without drawing and compare the journal byte for byte."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="replay a run folder in 3D from its journal (or --check it replays exactly)")
    p.add_argument("run", help="a run folder")
    p.add_argument("--check", action="store_true", help="no graphics: re-simulate and compare the journal byte for byte")
    p.add_argument("--offscreen", action="store_true", help="no window: render offscreen (with --frames, save PNGs)")
    p.add_argument("--frames", metavar="DIR", help="save frames of the replay to DIR")
    p.add_argument("--speed", type=float, default=1.0, help="playback speed (window: [ and ] change it)")
    p.add_argument("--view", choices=("trainee", "overhead", "subject"), default="trainee",
                   help="the view that fills the window first (v cycles)")
    p.add_argument("--size", default="1280x720", metavar="WxH")


def check(run: Path) -> tuple[bool, int]:
    """(whether the re-simulated journal equals the recorded one, number of complete lines)."""
    import json

    from game.content.tools import load_tools
    from game.core.journal import MemoryJournal, read_journal
    from game.core.replay import JournalInputs, replay
    from game.core.simulation import Simulation
    from game.review.load import scenario_of

    records = read_journal(run / "journal.jsonl")
    try:
        info = json.loads((run / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = {}
    journal = MemoryJournal()
    scenario, tools = scenario_of(run).scenario, load_tools(info.get("tools") or None)
    recorded = (run / "journal.jsonl").read_bytes()
    recorded = recorded[: recorded.rfind(b"\n") + 1]
    if records and records[-1].get("type") != "SessionEnded":  # cut short by a crash: its steps replay
        start, last = records[0], int(records[-1]["step"])
        sim = Simulation(scenario, seed=start["seed"], journal=journal, hz=int(start["hz"]), tools=tools,
                         about={k: start[k] for k in ("software", "trainee", "instructor") if k in start})
        inputs = JournalInputs(records)
        for _ in range(last + len(inputs.inputs) + 2):  # bounded: a journal may end while paused
            if sim.finished or sim.clock.step > last:
                break
            inputs.feed(sim)
            sim.step()
        return journal.text().encode("utf-8")[: len(recorded)] == recorded, len(records)
    replay(scenario, records, journal, tools=tools)
    return journal.text().encode("utf-8") == recorded, len(records)


def main(args: argparse.Namespace) -> int:
    run = Path(args.run)
    if not (run / "journal.jsonl").is_file():
        print(f"talkdown: error: {run}: no journal.jsonl (is it a run folder?)", file=sys.stderr)
        return 1
    if args.check:
        ok, lines = check(run)
        print(f"talkdown: {run.name}: {lines} line(s); the replay {'matches' if ok else 'DIFFERS from'} the recording")
        return 0 if ok else 1
    from game.engine.replay import replay_in
    from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display, destroy_showbase
    from game.review.load import scenario_of
    from game.runner import has_display

    w, h = (int(x) for x in args.size.lower().split("x"))
    offscreen = args.offscreen or not has_display()
    loaded = scenario_of(run)
    base = create_showbase(EngineSettings(offscreen=offscreen, width=w, height=h, title=f"Talkdown replay — {run.name}",
                                          display=default_offscreen_display() if offscreen else "", gl_finish=offscreen))
    try:
        result = replay_in(base, loaded, run, realtime=not offscreen, speed=args.speed, view=args.view,
                           frames=Path(args.frames) if args.frames else None, out=sys.stdout)
    finally:
        destroy_showbase(base)
    return 0 if result["matched"] else 1
