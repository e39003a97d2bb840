"""``talkdown bench``'s after-the-session rows: how long an instructor waits for a review,
a replay check and filing in the records, on one scripted run of a shipped scenario.

Called by :func:`game.bench.run_all`; the run is recorded into a temporary folder and the
records go to a temporary SQLite file, never the user's own.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Callable

#: The scenario and script measured (a 76 s run with a dropped knife, ~1,000 journal lines).
SCENARIO, SCRIPT = "knife_parking_lot", "knife_parking_lot_good"


def record(folder: Path) -> Path:
    """Records the scripted run into ``folder``; returns it."""
    from game.content.library import package_dir
    from game.content.scenario import load_scenario
    from game.content.script import load_script
    from game.core.drivers import ScriptedTrainee
    from game.live.session import Session

    loaded = load_scenario(package_dir("scenarios") / f"{SCENARIO}.yaml")
    script = load_script(package_dir("scenarios") / "scripts" / f"{SCRIPT}.yaml")
    session = Session(loaded, seed=1, run_dir=folder, providers=[ScriptedTrainee(script)], duration=120.0,
                      trainee="Bench Mark", meta={"mode": "bench"})
    while not session.done:
        session.step()
    session.close("completed")
    return folder


def add_review_rows(add: Callable[..., None], median_ms: Callable[..., float], *, quick: bool) -> None:
    """Adds the review, report, replay-check and records rows (medians of a few repeats)."""
    from game.live.check import check_run
    from game.records import Records
    from game.review.load import review_run
    from game.review.report import render_html

    repeats = 3 if quick else 10
    with tempfile.TemporaryDirectory(prefix="talkdown-bench-") as tmp:
        run = record(Path(tmp) / "run")
        lines = sum(1 for _ in open(run / "journal.jsonl", encoding="utf-8"))
        note = f"{SCRIPT}: {lines} journal lines"
        add("review: analyse a run", median_ms(review_run, run, repeats=repeats), None, note)
        rv = review_run(run)
        add("review: render the HTML report", median_ms(render_html, rv, run, repeats=repeats), None, note)
        add("replay check (re-simulate, compare bytes)", median_ms(check_run, run, repeats=repeats), None, note)
        records = Records(str(Path(tmp) / "records.sqlite3"))
        try:
            add("records: file a session (SQLite)", median_ms(_file, records, rv, repeats=repeats), None,
                "replaces the same run each time")
        finally:
            records.close()


def _file(records: Any, rv: Any) -> None:
    records.add(rv, {"run_id": "bench"})
