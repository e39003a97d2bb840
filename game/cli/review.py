"""``talkdown review RUN [--out FILE] [--policy FILE]``: the after-action report of a run folder."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="write the after-action report (self-contained HTML) of a run folder")
    p.add_argument("run", help="a run folder (runs/<time>-<scenario>-s<seed>)")
    p.add_argument("--out", metavar="FILE", help="where to write the report (default: RUN/review.html)")
    p.add_argument("--policy", metavar="FILE", help="use-of-force policy (default: scenarios/policies/default.yaml)")


def main(args: argparse.Namespace) -> int:
    from game.review.load import review_run
    from game.review.report import render_html, why, write_report

    started = time.perf_counter()
    try:
        rv = review_run(args.run, args.policy)
    except (FileNotFoundError, ValueError) as exc:
        print(f"talkdown: error: {exc}", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else Path(args.run) / "review.html"
    try:
        write_report(render_html(rv, args.run), out)
    except OSError as exc:
        if args.out:
            print(f"talkdown: error: cannot write the report to {out}: {why(exc)}", file=sys.stderr)
        else:
            print(f"talkdown: error: cannot write the report into the run folder {args.run} ({why(exc)}); "
                  "give --out FILE to write it elsewhere", file=sys.stderr)
        return 1
    print(f"talkdown: wrote {out} ({rv.title}: {rv.ending or 'no ending'}, score {rv.score}/100, "
          f"{len(rv.force)} force decision(s), {sum(1 for x in rv.look_for if x['met'])}/{len(rv.look_for)} look-for met) "
          f"in {time.perf_counter() - started:.2f} s")
    return 0
