"""The ``talkdown`` command: run, scenarios, validate, review, records, replay, host, join, hear, bench, import-asset.

Every failure the user can cause (a broken file, no graphics) ends in a one-line
message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from game import __version__
from game.content.errors import ContentError, Problem
from game.content.library import DEFAULT_SCENARIO, installed, resolve
from game.engine.settings import EngineUnavailable
from game.voice.recogniser import VoiceUnavailable
from game.xr.runtime import XrUnavailable
from game.live.session import RunFolderError


def positive_number(text: str) -> float:
    """argparse type: a finite number above zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number above zero, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="talkdown", description="Open, offline de-escalation and use-of-force training simulator.")
    parser.add_argument("--version", action="version", version=f"talkdown {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="run a scenario in a window, or offscreen with a scripted trainee")
    run.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, help=f"a scenario name or a path to its file (default: {DEFAULT_SCENARIO})")
    run.add_argument("--offscreen", action="store_true", help="render without a window; the trainee follows a script")
    run.add_argument("--script", metavar="FILE", help="trainee script (YAML timeline); offscreen default: the scenario's own")
    run.add_argument("--seed", type=int, default=1, help="random seed (same seed + same inputs = same journal)")
    run.add_argument("--out", metavar="DIR", default="runs", help="folder for run folders (default: runs)")
    run.add_argument("--duration", type=positive_number, metavar="S", help="stop after S simulated seconds")
    run.add_argument("--realtime", action="store_true", help="offscreen at wall-clock speed instead of as fast as possible")
    run.add_argument("--size", default="1280x720", metavar="WxH", help="window or frame size (default 1280x720)")
    run.add_argument("--quality", choices=("auto", "low", "high"), default="auto",
                     help="lighting: high = PBR, MSAA and shadow maps (a GPU); low = fast fixed-function lights with "
                          "contact shadows and lamp pools (software renderers); auto (default) picks by the renderer")
    run.add_argument("--render-hz", type=positive_number, default=10.0, metavar="HZ", help="offscreen frames per simulated second (default 10)")
    run.add_argument("--frame-interval", type=positive_number, default=5.0, metavar="S",
                     help="seconds between saved PNG frames of the trainee's view (default 5; key moments are saved too)")
    run.add_argument("--no-frames", dest="frames", action="store_false",
                     help="save no frames for the review (each costs a few ms of one rendered frame)")
    run.add_argument("--bindings", metavar="FILE", help="desktop key bindings (default: input/desktop.yaml)")
    run.add_argument("--instructor-bindings", metavar="FILE",
                     help="the instructor console's keys (default: input/instructor.yaml)")
    console = run.add_mutually_exclusive_group()
    console.add_argument("--console", dest="console", action="store_true", default=None,
                         help="show the instructor's console (on by default in a window; offscreen, frames show it)")
    console.add_argument("--no-console", dest="console", action="store_false",
                         help="no instructor console: the window shows only the trainee's view")
    run.add_argument("--tools", metavar="FILE", help="force options' figures (default: input/tools.yaml)")
    where = run.add_mutually_exclusive_group()
    where.add_argument("--vr", dest="vr", action="store_const", const=True,
                       help="use the headset (OpenXR); an error when there is none")
    where.add_argument("--desk", dest="vr", action="store_const", const=False,
                       help="do not look for a headset: keyboard and mouse")
    run.add_argument("--xr-actions", metavar="FILE", help="headset actions and bindings (default: input/xr.yaml)")
    run.add_argument("--trainee", default="", metavar="NAME", help="who trains (journaled; the records file the session by it)")
    run.add_argument("--instructor", default="", metavar="NAME", help="who runs the console (journaled)")
    run.add_argument("--db", metavar="URL", help="records database the finished session is filed in: a file, sqlite:///PATH or "
                     "postgresql://user@host/db (default: the user's data folder; TALKDOWN_DB overrides)")
    run.add_argument("--no-records", action="store_true", help="do not file the session in the records database")
    run.add_argument("--voice", action="store_true",
                     help="talk to the subject: the microphone's speech becomes what the trainee says (needs the voice extra)")
    run.add_argument("--push-to-talk", action="store_true",
                     help="with --voice: listen only while P is held (else whenever speech is heard)")
    run.add_argument("--calibrate", type=float, default=4.0, metavar="S",
                     help="with --voice: seconds of normal speech to calibrate the level (default 4; 0 skips)")
    run.add_argument("--vocabulary", metavar="FILE", help="with --voice: phrases per intent (default: input/voice.yaml)")
    run.add_argument("--instructor-voice", action="store_true",
                     help="the instructor's microphone: hold Insert to speak as the chosen subject, Home as dispatch")

    sub.add_parser("scenarios", help="list the installed scenarios")

    validate = sub.add_parser("validate", help="check scenario files (all installed ones by default)")
    validate.add_argument("paths", nargs="*", help="scenario files or folders (files in a scenes/ folder are checked as scenes)")
    validate.add_argument("--assets", metavar="DIR",
                          help="check asset names against DIR/manifest.yaml (default: the installed manifest)")
    validate.add_argument("--migrate", action="store_true",
                          help="first rewrite format-1 scenario files as format 2 (officers:), comments kept")

    hear = sub.add_parser("hear", help="what the voice recogniser makes of WAV recordings: words, intent, tone")
    hear.add_argument("files", nargs="+", metavar="FILE.wav", help="recordings (PCM WAV, any rate; mono or stereo)")
    hear.add_argument("--vocabulary", metavar="FILE", help="phrases per intent (default: input/voice.yaml)")
    hear.add_argument("--scenario", metavar="NAME", help="add this scenario's own phrases (a name or a path)")
    hear.add_argument("--calibrate", metavar="FILE.wav", help="a recording of normal speech: the level tone is judged against")
    hear.add_argument("--baseline-db", type=float, metavar="DB", help="the normal speech level in dB (instead of --calibrate)")

    bench = sub.add_parser("bench", help="measure simulation step, scenario load and frame times")
    bench.add_argument("--json", action="store_true", help="print JSON instead of a table")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions (for a smoke check)")
    bench.add_argument("--no-render", action="store_true", help="skip the offscreen frame-time measurement")
    bench.add_argument("--no-voice", action="store_true",
                       help="skip the voice benchmark (intent accuracy, false accepts, latency)")
    bench.add_argument("--no-net", action="store_true",
                       help="skip the network figures (input to the other station, bandwidth with 8 subjects)")

    from game.cli.import_asset import add_parser as add_import_asset

    add_import_asset(sub)
    from game.cli.review import add_parser as add_review

    add_review(sub)
    from game.cli.records import add_parser as add_records

    add_records(sub)
    from game.cli.replay import add_parser as add_replay

    add_replay(sub)
    from game.cli.dispatch import add_parser as add_dispatch

    add_dispatch(sub)

    from game.cli.net import add_parsers as add_net

    add_net(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "scenarios":
            return _scenarios()
        if args.command == "validate":
            return _validate(args.paths, args.assets, migrate=args.migrate)
        if args.command == "import-asset":
            from game.cli.import_asset import main as import_main

            return import_main(args)
        if args.command == "review":
            from game.cli.review import main as review_main

            return review_main(args)
        if args.command == "records":
            from game.cli.records import main as records_main

            return records_main(args)
        if args.command == "replay":
            from game.cli.replay import main as replay_main

            return replay_main(args)
        if args.command == "dispatch":
            from game.cli.dispatch import main as dispatch_main

            return dispatch_main(args)
        if args.command in ("host", "join"):
            from game.cli.net import main_host, main_join

            return main_host(args) if args.command == "host" else main_join(args)
        if args.command == "hear":
            from game.voice.hear import hear

            scenario = str(_scenario_path(args.scenario)) if args.scenario else None
            return hear(args.files, vocabulary=args.vocabulary, scenario=scenario, calibrate=args.calibrate,
                        baseline_db=args.baseline_db)
        if args.command == "bench":
            from game.bench import main as bench_main

            return bench_main(json_out=args.json, quick=args.quick, render=not args.no_render, voice=not args.no_voice,
                              net=not args.no_net)
        build_parser().print_help()
        return 0
    except ContentError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 2
    except (EngineUnavailable, RunFolderError, XrUnavailable, VoiceUnavailable) as err:
        print(f"talkdown: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _scenario_path(name: str) -> Path:
    path = resolve(name, "scenarios")
    if not path.is_file():
        names = ", ".join(p.stem for p in installed("scenarios"))
        raise ContentError([Problem(name, 0, 0, "", f"no such scenario (installed: {names}; or give a path to a .yaml file)")])
    return path


def _run(args: argparse.Namespace) -> int:
    from game.content.scenario import load_scenario
    from game.runner import RunOptions, run

    try:
        w, h = (int(x) for x in args.size.lower().split("x"))
        if not (16 <= w <= 8192 and 16 <= h <= 8192):
            raise ValueError
    except ValueError:
        print(f"talkdown: error: --size must look like 1280x720 (16 to 8192 pixels a side), got {args.size!r}",
              file=sys.stderr)
        return 2
    loaded = load_scenario(_scenario_path(args.scenario))
    options = RunOptions(offscreen=args.offscreen, script=args.script, seed=args.seed, out=args.out,
                         duration=args.duration, realtime=args.realtime, width=w, height=h,
                         render_hz=args.render_hz, quality=args.quality, frame_interval=args.frame_interval, frames=args.frames, bindings=args.bindings,
                         console=args.console, instructor_bindings=args.instructor_bindings,
                         tools=args.tools, vr=args.vr, xr_actions=args.xr_actions,
                         trainee=args.trainee, instructor=args.instructor, voice=args.voice,
                         push_to_talk=args.push_to_talk, calibrate=args.calibrate, vocabulary=args.vocabulary,
                         db=args.db, review=True, records=not args.no_records,
                         instructor_voice=args.instructor_voice)
    _recover(Path(args.out), None if args.no_records else args.db, filing=not args.no_records)
    info = run(loaded, options)  # the host's after-session hooks wrote the review and filed the run
    return 130 if info.get("finish_reason") == "interrupted" else 0


def _recover(out: Path, db: str | None, *, filing: bool) -> None:
    """Closes runs under ``out`` whose process died (killed, crashed, power lost) and files them."""
    from game.cli.records import file_runs
    from game.live.recovery import recover

    failed: list[tuple[Path, OSError]] = []
    try:
        closed = recover(out, failed)
    except OSError as exc:
        print(f"talkdown: warning: could not look for unclosed runs in {out}: {exc}", file=sys.stderr)
        return
    for run, exc in failed:
        print(f"talkdown: warning: {run.name} was never closed, and its folder cannot be written ({exc.strerror or exc}); "
              f"its journal is kept: 'talkdown review {run} --out FILE' reviews it", file=sys.stderr)
    for info in closed:
        print(f"talkdown: {info['run_id']} was never closed (its process ended without closing it); "
              f"closed it from its journal ({info['sim_seconds']:.1f} s recorded)")
        file_runs(out, {"run_id": info["run_id"]}, db, filing=filing)


def _scenarios() -> int:
    from game.content.scenario import load_scenario

    for path in installed("scenarios"):
        try:
            s = load_scenario(path).scenario
            print(f"{s.id:<24} {s.title}")
        except ContentError as err:
            print(f"{path.stem:<24} (broken: {len(err.problems)} problem(s); run 'talkdown validate {path}')")
    return 0


def _migrate(path: Path) -> None:
    """Rewrites a format-1 scenario as format 2 (through a temporary: never half a file)."""
    from game.content.scenario_officers import migrate_text

    raw = path.read_bytes()
    text = migrate_text(raw.decode("utf-8"))
    if text is None:
        return
    tmp = path.with_name(f".{path.name}.migrating")
    tmp.write_bytes(text.encode("utf-8"))
    os.replace(tmp, path)
    print(f"{path}: migrated to scenario format 2 ('trainee:' is officer 1 of 'officers:')")


def _validate(paths: list[str], assets: str | None = None, *, migrate: bool = False) -> int:
    from game.content.input_files import check_input_file
    from game.content.library import package_dir
    from game.content.manifest import load_manifest
    from game.content.policy import check_policy
    from game.content.scenario import check_scenario
    from game.content.scene import check_scene
    from game.content.script import check_script
    from game.content.shared import check_library

    manifest = None
    if assets is not None:
        if not (Path(assets) / "manifest.yaml").is_file():
            print(f"talkdown: error: no manifest.yaml in {assets}", file=sys.stderr)
            return 2
        manifest = load_manifest(Path(assets) / "manifest.yaml")  # a broken one is reported by main()

    files: list[Path] = []
    defaults = [str(x) for x in installed("scenarios")] + [str(package_dir("scenarios") / "library"),
                                                          str(package_dir("scenarios") / "policies"), str(package_dir("input"))]
    for p in paths or defaults:
        path = Path(p)
        if path.is_dir():
            files += sorted(path.glob("*.yaml"))
        else:
            files.append(path)
    bad = 0
    for f in files:
        # libraries, trainee scripts and scenes live in folders of their own; everything else is a scenario
        kind = f.parent.name if f.parent.name in ("library", "scripts", "scenes", "policies", "input") else "scenario"
        if migrate and kind == "scenario" and f.is_file():
            _migrate(f)
        if kind == "input":
            found = check_input_file(f)
        elif kind == "policies":
            found = check_policy(f)
        elif kind == "library":
            found = check_library(f)
        elif kind == "scripts":
            found = check_script(f)
        elif kind == "scenes":
            found = check_scene(f, manifest=manifest)
        else:
            found = check_scenario(f, manifest=manifest)
        problems = sorted(found, key=lambda p: (p.file != str(f), p.file, p.line, p.column))
        for problem in problems:
            print(problem)
        if any(p.severity == "error" for p in problems):
            bad += 1
    print(f"{len(files) - bad} of {len(files)} file(s) valid")
    return 1 if bad else 0
