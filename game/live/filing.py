"""After a session: the review written beside the run, and the run filed in the records.

Engine-free and command-free: the session host calls :func:`file_runs` for every way a run
ends (``talkdown run``, a replay branch, a recovered run); ``talkdown records add`` calls
:func:`record_run`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable


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


def filing_hook(db: str | None, *, records: bool = True) -> Callable[[Path, dict[str, Any]], None]:
    """The session host's after-session hook for ``talkdown run`` and a replay branch:
    :func:`file_runs` for the run it closed (and the runs it restarted from). A run that ended
    in an error is left as it is (its folder is kept; ``talkdown records add`` files it)."""

    def file_after(out: Path, info: dict[str, Any]) -> None:
        if not info or str(info.get("finish_reason", "")).startswith("error:"):
            return
        file_runs(out, info, db, filing=records)

    return file_after
