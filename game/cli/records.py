"""``talkdown records``: trainees, sessions, progress, export (CSV, xAPI); ``records add RUN``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


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


# filing after a session is the session host's (game.live.filing); the command re-exports it
from game.live.filing import file_review, file_runs, record_run  # noqa: E402,F401


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
                    if r.get("role") == "dispatcher":  # the call's taker (issue 19): facts passed on of those knowable
                        print(f"{r['started_at']:<26} {r['trainee']:<20} {r['scenario']:<22} {r['score']:>3}  "
                              f"dispatcher: facts passed on {r['look_for_met']}/{r['look_for_total']}")
                        continue
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
