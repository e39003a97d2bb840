"""``talkdown replay RUN``: the recorded session in 3D (window or offscreen), or ``--check``:
re-simulate without drawing and compare the journal byte for byte. ``--branch-at S``
(with ``--script FILE`` offscreen) takes the controls at S seconds: the session goes on
as a new run, filed in the records like any run."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from game.content.errors import ContentError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="replay a run folder in 3D from its journal (or --check it replays exactly); "
                                      "branch from any moment")
    p.add_argument("run", help="a run folder")
    p.add_argument("--check", action="store_true", help="no graphics: re-simulate and compare the journal byte for byte")
    p.add_argument("--offscreen", action="store_true", help="no window: render offscreen (with --frames, save PNGs)")
    p.add_argument("--frames", metavar="DIR", help="save frames of the replay to DIR")
    p.add_argument("--speed", type=float, default=1.0, help="playback speed (window: [ and ] change it)")
    p.add_argument("--view", choices=("trainee", "overhead", "subject", "free"), default="trainee",
                   help="the view that fills the window first (v cycles, c: free camera)")
    p.add_argument("--size", default="1280x720", metavar="WxH")
    p.add_argument("--at", type=float, metavar="S", help="start at S seconds (paused, in a window)")
    p.add_argument("--no-hud", dest="hud", action="store_false", help="start with the instructor's HUD hidden (h shows it)")
    p.add_argument("--keys", metavar="FILE", help="the replay's key bindings (default: input/replay.yaml)")
    p.add_argument("--branch-at", type=float, metavar="S",
                   help="take the controls at S seconds: the session goes on live (or by --script) as a new run")
    p.add_argument("--script", metavar="FILE", help="with --branch-at: a trainee script drives the branch "
                   "(its times are session times; actions before the branch are skipped)")
    p.add_argument("--duration", type=float, metavar="S",
                   help="stop a branch S simulated seconds after it starts (scripted branches: 120 by default)")
    p.add_argument("--out", metavar="DIR", help="folder for the branch's run folder (default: beside RUN)")
    p.add_argument("--bindings", metavar="FILE", help="a branch's trainee keys (default: input/desktop.yaml)")
    p.add_argument("--instructor-bindings", metavar="FILE",
                   help="a branch's instructor console keys (default: input/instructor.yaml)")
    p.add_argument("--db", metavar="URL", help="records database a branch is filed in (default as for run)")
    p.add_argument("--no-records", action="store_true", help="do not file a branch in the records database")


def check(run: Path) -> tuple[bool, int]:
    """(whether the re-simulated journal equals the recorded one, number of complete lines)."""
    from game.live.check import check_run

    result = check_run(run)
    return result.matched, result.lines


def _journal_problem(run: Path) -> tuple[str, float]:
    """(what is wrong with the run folder's journal, "" when nothing; the recording's length in seconds)."""
    from game.core.journal import read_journal

    try:
        records = read_journal(run / "journal.jsonl")
    except (OSError, ValueError) as exc:
        return str(exc), 0.0
    if not records or records[0].get("type") != "SessionStarted":
        return f"{run}: the journal has no SessionStarted line (truncated or not a journal)", 0.0
    if any(k not in records[0] for k in ("seed", "hz")):
        return f"{run}: the journal's SessionStarted line lacks its seed or rate", 0.0
    return "", float(records[-1].get("time", 0.0))


def _moment(name: str, value: float | None, total: float, *, before_end: bool = False) -> str:
    if value is None:
        return ""
    if not math.isfinite(value) or value < 0 or value > total + 1e-6:
        return f"{name} {value:g} is outside the recording (0 to {total:.1f} s)"
    if before_end and value >= total - 1e-6:
        return f"{name} {value:g} is the recording's end ({total:.1f} s): a branch starts before it"
    return ""


def main(args: argparse.Namespace) -> int:
    run = Path(args.run)
    if not (run / "journal.jsonl").is_file():
        print(f"talkdown: error: {run}: no journal.jsonl (is it a run folder?)", file=sys.stderr)
        return 1
    problem, total = _journal_problem(run)
    if problem:
        print(f"talkdown: error: {problem}", file=sys.stderr)
        return 1
    _warn_if_changed(run)
    if args.check:
        from game.live.check import check_run

        result = check_run(run)
        print(f"talkdown: {result.verdict(run.name)}")
        return 0 if result.matched else 1
    from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display, destroy_showbase
    from game.review.load import scenario_of
    from game.runner import has_display

    try:
        w, h = (int(x) for x in args.size.lower().split("x"))
    except ValueError:
        print(f"talkdown: error: --size must look like 1280x720, got {args.size!r}", file=sys.stderr)
        return 2
    offscreen = args.offscreen or not has_display()
    problem = _moment("--at", args.at, total) or _moment("--branch-at", args.branch_at, total, before_end=True)
    if not problem and args.script and args.branch_at is None:
        problem = "--script drives a branch: give --branch-at too"
    if not problem and args.branch_at is not None and offscreen and not args.script:
        problem = "offscreen nobody can take the controls: --branch-at needs --script (or a window)"
    if not problem and args.duration is not None and not (math.isfinite(args.duration) and args.duration > 0):
        problem = f"--duration must be above zero, got {args.duration:g}"
    if problem:
        print(f"talkdown: error: {problem}", file=sys.stderr)
        return 2
    from game.content.bindings import load_bindings

    keys = load_bindings(args.keys, device="replay") if args.keys else None  # a broken file: ContentError, located
    loaded = scenario_of(run)
    branch = _branch_setup(args, offscreen, loaded.scenario)
    base = create_showbase(EngineSettings(offscreen=offscreen, width=w, height=h, title=f"Talkdown replay — {run.name}",
                                          display=default_offscreen_display() if offscreen else "", gl_finish=offscreen))
    try:
        from game.engine.replay.player import replay_in

        result = replay_in(base, loaded, run, realtime=not offscreen, speed=args.speed, view=args.view,
                           frames=Path(args.frames) if args.frames else None, out=sys.stdout, at=args.at,
                           hud=args.hud, branch=branch, branch_at=args.branch_at, keys=keys)
    finally:
        destroy_showbase(base)
    if result.get("branched") and result["info"].get("finish_reason") == "interrupted":
        return 130
    return 0 if result["matched"] else 1


def _warn_if_changed(run: Path) -> None:
    """One line when the scenario file is not the one recorded: the replay may then differ."""
    import json

    from game.review.load import scenario_of

    try:
        with open(run / "journal.jsonl", encoding="utf-8") as f:
            recorded = json.loads(f.readline()).get("scenario_sha256", "")
        now = scenario_of(run).scenario.sha256
    except (OSError, ValueError, ContentError):
        return  # reported where the scenario is loaded
    if recorded and now and recorded != now:
        print("talkdown: warning: the scenario file has changed since this run was recorded (checksums differ); "
              "the replay may not match the recording", file=sys.stderr)


def _branch_setup(args: argparse.Namespace, offscreen: bool, scenario: Any) -> Any:
    """Who takes the controls: the script, or in a window the desk's trainee keys and the console."""
    from game.content.bindings import load_bindings
    from game.content.library import package_dir
    from game.content.script import load_script_for
    from game.engine.replay.branch import BranchSetup
    from game.live.filing import filing_hook

    out = Path(args.out) if args.out else None
    after = (filing_hook(args.db, records=not args.no_records),)  # the branch is filed as a run is
    if args.script:
        instructor = None
        if not offscreen:
            trainee = load_bindings(args.bindings or package_dir("input") / "desktop.yaml", device="desktop")
            instructor = load_bindings(args.instructor_bindings or package_dir("input") / "instructor.yaml",
                                       device="instructor", shared_with=trainee)
        script = load_script_for(args.script, [s.id for s in scenario.subjects], [b.id for b in scenario.branches])
        return BranchSetup(out=out, script=script, instructor_keys=instructor, seconds=args.duration, after=after)
    if offscreen:
        return BranchSetup(out=out, seconds=args.duration, after=after)  # cannot branch: nobody at the keys
    trainee = load_bindings(args.bindings or package_dir("input") / "desktop.yaml", device="desktop")
    instructor = load_bindings(args.instructor_bindings or package_dir("input") / "instructor.yaml",
                               device="instructor", shared_with=trainee)
    return BranchSetup(out=out, trainee_keys=trainee, instructor_keys=instructor, seconds=args.duration, after=after)
