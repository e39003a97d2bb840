"""``talkdown records``: trainees, sessions, progress, export (CSV, xAPI); ``records add RUN``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


#: How ``records sessions`` and ``records progress`` mark a session that did not end cleanly (the
#: process died; crash recovery closed it as "cut short", game/recovery.py).
CUT_SHORT_MARK = "CUT SHORT: "


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("records", help="trainee records: list trainees and sessions, progress, add a run, export")
    p.add_argument("action", nargs="?", default="trainees", choices=("trainees", "sessions", "progress", "add", "export"),
                   help="trainees (default), sessions [--trainee N], progress NAME, add RUN..., export --csv/--xapi FILE")
    p.add_argument("items", nargs="*", help="run folders (add) or a trainee's name (progress)")
    p.add_argument("--db", metavar="URL", help="database: a file, sqlite:///PATH or a server's URL such as "
                   "postgresql://user@host/db (default: the user's data folder; TALKDOWN_DB overrides)")
    p.add_argument("--trainee", metavar="NAME", help="only this trainee's sessions (sessions, export)")
    p.add_argument("--csv", metavar="FILE", help="export: sessions as CSV")
    p.add_argument("--xapi", metavar="FILE", help="export: sessions as xAPI statements (JSON)")
    p.add_argument("--policy", metavar="FILE", help="add: use-of-force policy for the score")


def record_run(run_dir: str | Path, db: str | None = None, policy: str | None = None) -> Any:
    """Reviews a run folder and files it in the records; returns the review. A database that cannot
    be opened or written (unreachable server, locked file) raises ``RecordsError``: the run folder stays."""
    from game.review.load import review_run

    rv = review_run(run_dir, policy)
    file_review(rv, run_dir, db)
    return rv


def file_review(rv: Any, run_dir: str | Path, db: str | None = None) -> None:
    """Files a run's review in the records (its ``run.json`` gives the start time and origin)."""
    from game.records import Records

    try:
        info = json.loads((Path(run_dir) / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = {}
    with Records(db) as records:
        records.add(rv, info)


def file_runs(out: Path, info: dict[str, Any], db: str | None, *, filing: bool = True) -> None:
    """After a session (``talkdown run``, a replay branch, a recovered run): writes each run's
    review next to it (``review.html``) and files it in the records (unless not ``filing``),
    one line each — the runs it restarted from (``previous_runs``) too. A failure is a one-line
    warning: the run folder is kept, and ``talkdown review`` / ``records add`` do it later."""
    from game.content.errors import ContentError
    from game.records import RecordsError
    from game.review.load import review_run
    from game.review.report import render_html, why, write_report

    for run_id in [*info.get("previous_runs", []), info.get("run_id", "")]:
        if not run_id:
            continue
        run = out / run_id
        try:
            rv = review_run(run)
        except (ContentError, OSError, ValueError) as exc:
            print(f"talkdown: warning: {run_id} could not be reviewed: {exc}", file=sys.stderr)
            continue
        try:
            write_report(render_html(rv, run), run / "review.html")
            where = f"the review: {run / 'review.html'}"
        except OSError as exc:  # a read-only run folder: the journal is kept and filed; the report can go elsewhere
            print(f"talkdown: warning: the review could not be written into {run} ({why(exc)}); "
                  f"'talkdown review {run} --out FILE' writes it elsewhere", file=sys.stderr)
            where = "no review.html written"
        if not filing:
            print(f"talkdown: {rv.trainee or '(unnamed)'}, score {rv.score}/100; {where}")
            continue
        try:
            file_review(rv, run, db)
            print(f"talkdown: filed in the records: {rv.trainee or '(unnamed)'}, score {rv.score}/100; {where}")
        except RecordsError as exc:
            print(f"talkdown: warning: the session was not filed in the records: {exc} ({where})", file=sys.stderr)


def main(args: argparse.Namespace) -> int:
    from game.files import write_private
    from game.records import Records, RecordsError, to_csv, xapi_json

    try:
        if args.action == "add":
            if not args.items:
                print("talkdown: error: records add needs one or more run folders", file=sys.stderr)
                return 2
            for run in args.items:
                rv = record_run(run, args.db, args.policy)
                print(f"recorded {Path(run).name}: {rv.trainee or '(unnamed)'}, {rv.scenario_id}, score {rv.score}")
            return 0
        with Records(args.db) as records:
            if args.action == "trainees":
                rows = records.trainees()
                print(f"{'trainee':<24} {'sessions':>8} {'scenarios':>9} {'average':>7}  last session")
                for r in rows:
                    avg = "" if r["average"] is None else f"{r['average']:.0f}"
                    print(f"{r['name']:<24} {r['sessions']:>8} {r['scenarios']:>9} {avg:>7}  {r['last'] or ''}")
                print(f"{len(rows)} trainee(s) in {records.location}")
            elif args.action == "sessions":
                rows = records.sessions(args.trainee)
                for r in rows:
                    print(f"{r['started_at']:<26} {r['trainee']:<20} {r['scenario']:<22} {r['score']:>3}  "
                          f"{CUT_SHORT_MARK if not r['complete'] else ''}"
                          f"{r['ending'] or '-'} ({r['outcome'] or '-'}); force {r['force']} ({r['outside_policy']} outside policy); "
                          f"look-for {r['look_for_met']}/{r['look_for_total']}")
                cut = sum(1 for r in rows if not r["complete"])
                if cut:
                    print(f"{cut} of {len(rows)} session(s) CUT SHORT: the program stopped before the session was closed; "
                          "each is reviewed up to its last recorded moment")
            elif args.action == "progress":
                name = " ".join(args.items) or args.trainee
                if not name:
                    print("talkdown: error: records progress needs a trainee's name", file=sys.stderr)
                    return 2
                prog = records.progress(name)
                if not prog["scores"]:
                    print(f"talkdown: no sessions for '{name}'", file=sys.stderr)
                    return 1
                print(f"{name}: {len(prog['scores'])} session(s)")
                for (when, scenario, score), complete in zip(prog["scores"], prog["complete"]):
                    print(f"  {when:<26} {scenario:<22} {score:>3} {'#' * (score // 5)}"
                          + ("" if complete else f"  ({CUT_SHORT_MARK.strip(': ')})"))
                print("scenarios done (best score): " + ", ".join(f"{k} {v}" for k, v in sorted(prog["scenarios"].items())))
            else:  # export
                if not (args.csv or args.xapi):
                    print("talkdown: error: records export needs --csv FILE and/or --xapi FILE", file=sys.stderr)
                    return 2
                rows = records.sessions(args.trainee)
                if args.csv:  # trainees' names and results: owner-only (an ACL on Windows)
                    write_private(args.csv, to_csv(rows))
                if args.xapi:
                    write_private(args.xapi, xapi_json(rows))
                print(f"exported {len(rows)} session(s)")
        return 0
    except (RecordsError, OSError, ValueError) as exc:
        print(f"talkdown: error: {exc}", file=sys.stderr)
        return 1
