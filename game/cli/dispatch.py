"""``talkdown dispatch SCENARIO``: a dispatcher at a browser takes the scenario's call, then
the officer (the desk, or a scripted trainee) goes in with the briefing the dispatcher gave.

The session runs through the session host (game.live.host) with the dispatcher's page
(:func:`game.web.dispatch.serve_dispatch`) as the dispatcher's seat device. With ``--script``
(or no display) the officer is scripted and the session is paced in real time without the
engine (``--speed`` runs the simulated clock faster, for demonstrations and tests); with
``--desk`` the officer plays at the desk window (game.runner). After the session: the review
beside the run, with the call's part, and the records, the dispatcher filed as a trainee of
their own (game.records).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from game.live.join_code import new_join_code


def add_parser(sub: Any) -> None:
    p = sub.add_parser("dispatch", help="a dispatcher at a browser takes the call; then the officer goes in")
    p.add_argument("scenario", help="a scenario with a call: (bridge_crisis, dementia_welfare) or a path")
    p.add_argument("--script", help="a scripted officer (a trainee script); default: the scenario's own, "
                                    "unless --desk")
    p.add_argument("--desk", action="store_true", help="the officer plays at the desk window")
    p.add_argument("--listen", default="127.0.0.1",
                   help="address to serve the page on (0.0.0.0: the local network; default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8719, help="port of the page (0: any free one; default 8719)")
    p.add_argument("--code", help="the join code (default: a new random one, printed)")
    p.add_argument("--dispatcher", default="dispatcher", help="the dispatcher's name (their own records)")
    p.add_argument("--trainee", default="", help="the officer's name")
    p.add_argument("--instructor", default="")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default="runs")
    p.add_argument("--speed", type=float, default=1.0,
                   help="simulated seconds per real second with a scripted officer (default 1)")
    p.add_argument("--db", default=None, help="the records database (default: the one in the user's data folder)")
    p.add_argument("--no-records", action="store_true", help="write the review but file nothing in the records")


def new_code() -> str:
    return new_join_code()


def main(args: argparse.Namespace) -> int:
    from game.cli import _scenario_path
    from game.content.scenario import load_scenario
    from game.web.dispatch import WebUnavailable, serve_dispatch

    loaded = load_scenario(_scenario_path(args.scenario))
    scenario = loaded.scenario
    if scenario.call is None:
        print(f"talkdown: warning: {scenario.id} has no call: section; the dispatcher has only the radio", file=sys.stderr)
    if not (0.1 <= args.speed <= 20):
        print("talkdown: error: --speed must be between 0.1 and 20", file=sys.stderr)
        return 2
    code = (args.code or new_code()).strip().upper()
    try:
        server = serve_dispatch(scenario.title, scenario.call, code=code, host=args.listen, port=args.port)
    except WebUnavailable as exc:
        print(f"talkdown: error: {exc}", file=sys.stderr)
        return 1
    print(f"talkdown: dispatcher's console at {server.url}#code={code} (join code {code})", flush=True)
    try:
        if args.desk:
            info = _desk(loaded, args, server)
        else:
            info = _scripted(loaded, args, server)
    finally:
        server.stop()
    return 130 if info.get("finish_reason") == "interrupted" else 0


def _desk(loaded: Any, args: argparse.Namespace, server: Any) -> dict[str, Any]:
    from game.runner import RunOptions, run

    options = RunOptions(script=args.script, seed=args.seed, out=args.out, trainee=args.trainee,
                         instructor=args.instructor, dispatcher=args.dispatcher, devices=(server.device,), vr=False,
                         review=True, db=args.db, records=not args.no_records)
    return run(loaded, options)


def _scripted(loaded: Any, args: argparse.Namespace, server: Any) -> dict[str, Any]:
    """A scripted officer, no engine: the host steps in real time (times ``--speed``)."""
    from game.content.script import load_script_for
    from game.core.drivers import ScriptedTrainee
    from game.live.filing import filing_hook
    from game.live.host import RunPlan, SessionHost

    scenario = loaded.scenario
    script = (load_script_for(args.script, [s.id for s in scenario.subjects], [b.id for b in scenario.branches])
              if args.script else loaded.default_script)
    if script is None:
        raise SystemExit("talkdown: error: no officer: give --script FILE or --desk")
    plan = RunPlan(loaded, seed=args.seed, out=Path(args.out), trainee=args.trainee, instructor=args.instructor,
                   dispatcher=args.dispatcher, meta={"mode": "dispatch", "script": script.source})
    host = SessionHost(plan, [ScriptedTrainee(script), server.device], log=lambda line: print(line, flush=True),
                       after=[filing_hook(args.db, records=not args.no_records)])
    session = host.start()
    print(f"talkdown: {scenario.title} — seed {args.seed}, recording to {session.run_dir}", flush=True)
    hz = session.hz
    start, steps = time.perf_counter(), 0
    try:
        while not host.done:
            host.step()
            steps += 1
            ahead = start + steps / (hz * args.speed) - time.perf_counter()
            if ahead > 0:
                time.sleep(ahead)
        info = host.close("completed")
    except KeyboardInterrupt:
        info = host.close("interrupted")
    except BaseException as exc:
        host.close(f"error: {type(exc).__name__}: {exc}")
        raise
    print(f"talkdown: session ended ({info['finish_reason']}; ending: {info.get('ending') or 'none'}) after "
          f"{info['sim_seconds']:.1f} s simulated, journal {session.run_dir / 'journal.jsonl'}", flush=True)
    return info
