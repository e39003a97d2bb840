"""Trainee records in SQLite: filing reviewed runs, listing progress, exporting CSV and xAPI,
owner-only files, and migrations that keep every row on upgrade.

PostgreSQL is not tested: this version supports SQLite only (``--db`` with another URL is refused)."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import sys
import time

import pytest

from game.cli import main as talkdown
from game.records import LATEST, Records, RecordsError, to_csv, to_xapi
from game.review.load import review_run
from review_support import record_run


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    return {
        "alex_poor": record_run(root / "a1", "knife_parking_lot", "poor", trainee="Alex Doe"),
        "alex_good": record_run(root / "a2", "knife_parking_lot", "good", trainee="Alex Doe"),
        "alex_bridge": record_run(root / "a3", "bridge_crisis", "good", trainee="Alex Doe"),
        "kim": record_run(root / "k1", "traffic_stop", "poor", trainee="Kim Lee", instructor="Pat Poe"),
    }


def test_sessions_filed_by_trainee_show_scores_scenarios_and_progress(tmp_path, runs):
    with Records(str(tmp_path / "r.sqlite3")) as db:
        for run in runs.values():
            db.add(review_run(run), json.loads((run / "run.json").read_text()))
        db.add(review_run(runs["kim"]), json.loads((runs["kim"] / "run.json").read_text()))  # again: replaced, not doubled
        trainees = {t["name"]: t for t in db.trainees()}
        assert {n: (t["sessions"], t["scenarios"]) for n, t in trainees.items()} == {"Alex Doe": (3, 2), "Kim Lee": (1, 1)}
        prog = db.progress("Alex Doe")
        assert [s for _, s, _ in prog["scores"]] == ["knife_parking_lot", "knife_parking_lot", "bridge_crisis"]
        poor, good = prog["scores"][0][2], prog["scores"][1][2]
        assert good > poor
        (kim,) = db.sessions("Kim Lee")
        assert (kim["instructor"], kim["outside_policy"], kim["outcome"]) == ("Pat Poe", 1, "officer_hurt")


def test_export_writes_csv_rows_and_xapi_statements(tmp_path, runs):
    with Records(str(tmp_path / "r.sqlite3")) as db:
        db.add(review_run(runs["alex_bridge"]), json.loads((runs["alex_bridge"] / "run.json").read_text()))
        rows = db.sessions()
    (row,) = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert (row["trainee"], row["scenario"], row["outcome"]) == ("Alex Doe", "bridge_crisis", "resolved_peacefully")
    (st,) = to_xapi(rows)
    assert st["actor"]["name"] == "Alex Doe" and st["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert st["object"]["id"].endswith(":scenario:bridge_crisis") and st["result"]["success"] is True
    assert st["result"]["score"]["raw"] == int(row["score"]) and st["context"]["instructor"]["name"] == "Sam Roe"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_database_file_is_owner_only(tmp_path):
    path = tmp_path / "private" / "r.sqlite3"
    Records(str(path)).close()
    assert (os.stat(path).st_mode & 0o777, os.stat(path.parent).st_mode & 0o777) == (0o600, 0o700)


def test_upgrading_an_older_database_keeps_every_row(tmp_path, runs):
    path = tmp_path / "old.sqlite3"
    old = Records(str(path), upto=1)
    assert old.version == 1
    old.conn.execute("INSERT INTO trainees (name, created_at) VALUES ('Old Timer', '2025-01-01')")
    old.conn.execute("INSERT INTO sessions (run_id, trainee_id, scenario, seed, duration, complete, score, recorded_at) "
                     "VALUES ('r0', 1, 'welfare_check', 1, 30.0, 1, 77, '2025-01-01')")
    old.conn.commit()
    old.close()
    with Records(str(path)) as db:
        assert db.version == LATEST
        (s,) = db.sessions("Old Timer")
        assert (s["run_id"], s["score"], s["instructor_actions"], s["time_inside_gap"]) == ("r0", 77, 0, None)
        versions = [v for (v,) in db.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == list(range(1, LATEST + 1))


def test_a_database_newer_than_this_talkdown_is_refused_not_damaged(tmp_path):
    path = tmp_path / "new.sqlite3"
    Records(str(path)).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(RecordsError, match="newer than this Talkdown"):
        Records(str(path))


def test_other_database_urls_are_refused_with_a_reason(tmp_path):
    with pytest.raises(RecordsError, match="only SQLite"):
        Records("postgresql://academy/talkdown")


def test_records_add_and_list_from_the_command_line(tmp_path, runs, capsys):
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert talkdown(["records", "add", str(runs["kim"]), "--db", db]) == 0
    assert talkdown(["records", "--db", db]) == 0
    assert talkdown(["records", "progress", "Kim Lee", "--db", db]) == 0
    assert talkdown(["records", "export", "--csv", str(tmp_path / "s.csv"), "--xapi", str(tmp_path / "s.json"), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Kim Lee" in out and "traffic_stop" in out and "1 trainee(s)" in out
    assert json.loads((tmp_path / "s.json").read_text())[0]["actor"]["name"] == "Kim Lee"


def test_filing_and_querying_are_quick(tmp_path, runs):
    rv = review_run(runs["alex_poor"])
    with Records(str(tmp_path / "t.sqlite3")) as db:
        start = time.perf_counter()
        for i in range(50):
            db.add(rv, {"run_id": f"r{i}"})
        insert = (time.perf_counter() - start) / 50
        start = time.perf_counter()
        rows = db.sessions("Alex Doe")
        query = time.perf_counter() - start
    assert len(rows) == 50
    assert insert < 0.5 and query < 0.5, (insert, query)
    print(f"records: {insert * 1000:.2f} ms per filed session, {query * 1000:.2f} ms to list 50")


def test_records_against_postgresql():
    pytest.skip("not yet: the records use Python's sqlite3 only; a PostgreSQL server (--db postgresql://...) needs "
                "SQLAlchemy and a server that tools/bootstrap.py installs and starts, which issue 7 left for later")
