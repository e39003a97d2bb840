"""Trainee records: filing reviewed runs, listing progress, exporting CSV and xAPI, owner-only files,
migrations that keep every row on upgrade, several rooms filing at once, and errors in one line.

Every behaviour is asserted on SQLite and on a real PostgreSQL server (``pg_server`` in
conftest.py: a throwaway server from tools/pgserver.py, or ``TALKDOWN_TEST_PG_URL``); each
test gets a fresh database."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import sqlite3
import sys
import threading
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from game.cli.records import file_runs
from game.cli import main as talkdown
from game.records import LATEST, Records, RecordsError, database_url, to_csv, to_xapi
from game.records.schema import metadata
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


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A fresh, empty records database's ``--db``: a file, or a new database on the PostgreSQL server
    (created for this test and dropped after it, as a plain ``postgresql://`` URL)."""
    if request.param == "sqlite":
        yield str(tmp_path / "r.sqlite3")
        return
    server = database_url(request.getfixturevalue("pg_server"))[0]
    name = f"records_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def file(records, run, **info):
    records.add(review_run(run), {**json.loads((run / "run.json").read_text()), **info})


def test_sessions_filed_by_trainee_show_scores_scenarios_and_progress(db, runs):
    with Records(db) as records:
        for run in runs.values():
            file(records, run)
        file(records, runs["kim"])  # again: replaced, not doubled
        trainees = {t["name"]: t for t in records.trainees()}
        assert {n: (t["sessions"], t["scenarios"]) for n, t in trainees.items()} == {"Alex Doe": (3, 2), "Kim Lee": (1, 1)}
        prog = records.progress("Alex Doe")
        assert [s for _, s, _ in prog["scores"]] == ["knife_parking_lot", "knife_parking_lot", "bridge_crisis"]
        poor, good = prog["scores"][0][2], prog["scores"][1][2]
        assert good > poor
        assert trainees["Alex Doe"]["average"] == round(sum(score for *_, score in prog["scores"]) / 3)
        (kim,) = records.sessions("Kim Lee")
        assert (kim["instructor"], kim["outside_policy"], kim["outcome"]) == ("Pat Poe", 1, "officer_hurt")
        assert kim["force"] == len(review_run(runs["kim"]).force), "re-filing replaced the force decisions too"


def test_export_writes_csv_rows_and_xapi_statements(db, runs):
    with Records(db) as records:
        file(records, runs["alex_bridge"])
        rows = records.sessions()
    (row,) = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert (row["trainee"], row["scenario"], row["outcome"]) == ("Alex Doe", "bridge_crisis", "resolved_peacefully")
    (st,) = to_xapi(rows)
    assert st["actor"]["name"] == "Alex Doe" and st["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert st["object"]["id"].endswith(":scenario:bridge_crisis") and st["result"]["success"] is True
    assert st["result"]["score"]["raw"] == int(row["score"]) and st["context"]["instructor"]["name"] == "Sam Roe"


def test_a_replay_branch_run_records_where_it_branched_from(db, runs):
    origin = {"run_id": "20261127-101500-knife_parking_lot-s1", "step": 900, "time": 10.0}
    with Records(db) as records:
        file(records, runs["alex_poor"], branched_from=origin)
        file(records, runs["alex_good"])
        first, second = records.sessions("Alex Doe")
    assert (json.loads(first["branched_from"]), second["branched_from"]) == (origin, None)
    csv_rows = list(csv.DictReader(io.StringIO(to_csv([first, second]))))
    assert (json.loads(csv_rows[0]["branched_from"]), csv_rows[1]["branched_from"]) == (origin, "")
    branch, plain = to_xapi([first, second])
    assert branch["context"]["extensions"]["urn:talkdown:branched-from"] == origin
    assert "urn:talkdown:branched-from" not in plain["context"]["extensions"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_database_file_is_owner_only(tmp_path):
    path = tmp_path / "private" / "r.sqlite3"
    Records(str(path)).close()
    assert (os.stat(path).st_mode & 0o777, os.stat(path.parent).st_mode & 0o777) == (0o600, 0o700)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_run_folder_with_its_journal_is_readable_by_its_owner_only(tmp_path):
    from game.session import new_run_dir

    old = os.umask(0o022)  # a usual umask, which would leave it readable by all
    try:
        run = new_run_dir(tmp_path / "runs", "welfare_check", 1)
    finally:
        os.umask(old)
    assert os.stat(run).st_mode & 0o777 == 0o700


def test_a_database_migrated_from_nothing_has_exactly_the_tables_and_indexes_the_queries_use(db):
    Records(db).close()
    engine = create_engine(database_url(db)[0])
    found = inspect(engine)
    for table in metadata.sorted_tables:
        assert [c["name"] for c in found.get_columns(table.name)] == [c.name for c in table.columns], table.name
        indexes = {i["name"] for i in found.get_indexes(table.name) if "duplicates_constraint" not in i}  # not UNIQUE's
        assert indexes == {i.name for i in table.indexes}, table.name
    engine.dispose()


#: The first, sqlite3-only Talkdown's migrations (game/records.py before SQLAlchemy), verbatim: the
#: databases users have. Version 1, then version 2.
LEGACY_SQL = (
    [
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)",
        """CREATE TABLE trainees (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)""",
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE, trainee_id INTEGER REFERENCES trainees(id),
            instructor TEXT NOT NULL DEFAULT '', scenario TEXT NOT NULL, scenario_sha256 TEXT NOT NULL DEFAULT '',
            seed INTEGER NOT NULL, software TEXT NOT NULL DEFAULT '', started_at TEXT NOT NULL DEFAULT '',
            duration REAL NOT NULL, ending TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL DEFAULT '',
            complete INTEGER NOT NULL, score INTEGER NOT NULL, run_dir TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL)""",
        """CREATE TABLE force_decisions (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, time REAL NOT NULL,
            tool TEXT NOT NULL, action TEXT NOT NULL, level TEXT NOT NULL, allowed INTEGER NOT NULL, reason TEXT NOT NULL)""",
        """CREATE TABLE look_for (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, look_for TEXT NOT NULL,
            met INTEGER NOT NULL, time REAL)""",
        """CREATE INDEX sessions_by_trainee ON sessions(trainee_id, started_at)""",
        "INSERT INTO schema_migrations VALUES (1, 'trainees, sessions, force decisions, look-for points', "
        "'2026-11-20T09:00:00+00:00')",
        "INSERT INTO trainees (name, created_at) VALUES ('Old Timer', '2026-11-20T09:00:00+00:00')",
        "INSERT INTO sessions (run_id, trainee_id, instructor, scenario, seed, started_at, duration, ending, outcome, complete, "
        "score, recorded_at) VALUES ('r0', 1, 'Sam Roe', 'knife_parking_lot', 1, '2026-11-20T09:00:00+00:00', 30.0, 'attack', "
        "'officer_hurt', 1, 41, '2026-11-20T09:05:00+00:00')",
        "INSERT INTO force_decisions VALUES (1, 12.5, 'cew', 'used', 'assaultive', 1, 'within policy')",
        "INSERT INTO look_for VALUES (1, 'asked_name', 0, NULL)",
    ],
    [
        """ALTER TABLE sessions ADD COLUMN time_inside_gap REAL""",
        """ALTER TABLE sessions ADD COLUMN first_words_time REAL""",
        """ALTER TABLE sessions ADD COLUMN instructor_actions INTEGER NOT NULL DEFAULT 0""",
        "INSERT INTO schema_migrations VALUES (2, 'distance kept, first words and instructor interventions per session', "
        "'2026-11-21T09:00:00+00:00')",
        "INSERT INTO sessions (run_id, trainee_id, scenario, seed, started_at, duration, complete, score, recorded_at, "
        "time_inside_gap, first_words_time, instructor_actions) VALUES ('r1', 1, 'welfare_check', 2, "
        "'2026-11-21T09:00:00+00:00', 60.0, 1, 88, '2026-11-21T09:05:00+00:00', 1.5, 3.25, 2)",
    ],
)


@pytest.mark.parametrize("old_version", [1, 2])
def test_a_database_made_by_the_sqlite3_version_is_upgraded_with_every_row_kept(tmp_path, runs, old_version):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for statements in LEGACY_SQL[:old_version]:
        for sql in statements:
            conn.execute(sql)
    conn.commit()
    conn.close()
    with Records(str(path)) as records:
        assert records.version == LATEST
        old = records.sessions("Old Timer")
        file(records, runs["kim"])  # and new sessions file beside the old ones
        assert len(records.sessions()) == len(old) + 1
    assert [(s["run_id"], s["score"], s["instructor"], s["force"], s["outside_policy"], s["look_for_total"]) for s in old][0] \
        == ("r0", 41, "Sam Roe", 1, 0, 1)
    assert (old[0]["instructor_actions"], old[0]["time_inside_gap"], old[0]["branched_from"]) == (0, None, None)
    if old_version == 2:
        assert (old[1]["run_id"], old[1]["score"], old[1]["first_words_time"], old[1]["instructor_actions"]) == ("r1", 88, 3.25, 2)
    conn = sqlite3.connect(path)
    ledger = conn.execute("SELECT version, applied_at FROM schema_migrations ORDER BY version").fetchall()
    conn.close()
    assert [v for v, _ in ledger] == list(range(1, LATEST + 1))
    assert ledger[0][1] == "2026-11-20T09:00:00+00:00", "steps already applied are not applied again"


def test_upgrading_an_older_database_keeps_every_row(db, runs):
    with Records(db, upto=1) as old:
        assert old.version == 1
        with old.engine.begin() as conn:
            conn.execute(text("INSERT INTO trainees (name, created_at) VALUES ('Old Timer', '2025-01-01')"))
            conn.execute(text("INSERT INTO sessions (run_id, trainee_id, scenario, seed, duration, complete, score, recorded_at) "
                              "SELECT 'r0', id, 'welfare_check', 1, 30.0, 1, 77, '2025-01-01' FROM trainees"))
    with Records(db) as records:
        assert records.version == LATEST
        (s,) = records.sessions("Old Timer")
        assert (s["run_id"], s["score"], s["instructor_actions"], s["time_inside_gap"]) == ("r0", 77, 0, None)


def test_a_database_newer_than_this_talkdown_is_refused_not_damaged(db):
    Records(db).close()
    engine = create_engine(database_url(db)[0])
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_migrations VALUES (99, 'future', 'x')"))
    with pytest.raises(RecordsError, match=f"schema 99, newer than this Talkdown knows \\({LATEST}\\): upgrade Talkdown"):
        Records(db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM schema_migrations")).scalar() == LATEST + 1
    engine.dispose()


@pytest.mark.parametrize("trainee", ["new", "known"])
def test_two_rooms_filing_the_same_run_at_once_make_one_row_each(db, runs, trainee):
    """Each round, two threads with their own connections file the same run at the same moment,
    of a trainee new to the database or one already in it: neither may fail, and nothing is doubled."""
    rv = review_run(runs["alex_poor"])
    rounds, errors = 12, []
    barrier = threading.Barrier(2)

    def room():
        with Records(db) as records:
            for i in range(rounds):
                barrier.wait(timeout=30)
                try:
                    name = f"Trainee {i}" if trainee == "new" else "Alex Doe"
                    records.add(dataclasses.replace(rv, trainee=name), {"run_id": f"run-{i}"})
                except RecordsError as exc:
                    errors.append(exc)

    with Records(db) as records:  # migrated beforehand: this test is about filing
        if trainee == "known":
            records.add(rv, {"run_id": "earlier"})
    rooms = [threading.Thread(target=room) for _ in range(2)]
    for t in rooms:
        t.start()
    for t in rooms:
        t.join(timeout=120)
    assert errors == []
    with Records(db) as records:
        counts = sorted(t["sessions"] for t in records.trainees())
        assert counts == ([1] * rounds if trainee == "new" else [rounds + 1])
        assert {s["force"] for s in records.sessions()} == {len(rv.force)}


def test_rooms_opening_a_fresh_shared_database_at_once_migrate_it_once(db):
    errors = []

    def room():
        try:
            Records(db).close()
        except RecordsError as exc:
            errors.append(exc)

    rooms = [threading.Thread(target=room) for _ in range(3)]
    for t in rooms:
        t.start()
    for t in rooms:
        t.join(timeout=60)
    assert errors == []
    with Records(db) as records:
        assert records.version == LATEST


def test_an_unreachable_server_is_one_line_without_the_password(capsys):
    url = "postgresql://alex:s3cret-pw@127.0.0.1:1/talkdown"
    with pytest.raises(RecordsError) as caught:
        Records(url)
    message = str(caught.value)
    assert "\n" not in message and "s3cret" not in message and "alex:***@127.0.0.1:1/talkdown" in message
    assert talkdown(["records", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "s3cret" not in err and "cannot open the records database" in err


def test_a_missing_driver_names_what_to_install():
    with pytest.raises(RecordsError, match=r"not installed \(pg8000\): pip install 'talkdown\[postgres\]'") as caught:
        Records("postgresql+pg8000://alex:s3cret-pw@academy/talkdown")
    assert "s3cret" not in str(caught.value)
    with pytest.raises(RecordsError, match="unknown kind of database 'nosuchdb'"):
        Records("nosuchdb://academy/talkdown")


def test_a_finished_run_is_kept_when_the_records_server_is_unreachable(tmp_path, runs, capsys):
    run = runs["kim"]
    before = sorted(p.name for p in run.iterdir())
    file_runs(run.parent, {"run_id": run.name}, "postgresql://alex:s3cret-pw@127.0.0.1:1/talkdown")
    err = capsys.readouterr().err
    assert err.startswith("talkdown: warning: the session was not filed in the records: cannot open") and err.count("\n") == 1
    after = sorted(p.name for p in run.iterdir())
    assert "s3cret" not in err and set(before) <= set(after) and "review.html" in after  # kept, and reviewed


def test_records_add_list_and_export_from_the_command_line(db, tmp_path, runs, capsys):
    assert talkdown(["records", "add", str(runs["kim"]), "--db", db]) == 0
    assert talkdown(["records", "--db", db]) == 0
    assert talkdown(["records", "sessions", "--db", db]) == 0
    assert talkdown(["records", "progress", "Kim Lee", "--db", db]) == 0
    assert talkdown(["records", "export", "--csv", str(tmp_path / "s.csv"), "--xapi", str(tmp_path / "s.json"), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Kim Lee" in out and "traffic_stop" in out and "1 trainee(s)" in out and "exported 1 session(s)" in out
    assert json.loads((tmp_path / "s.json").read_text())[0]["actor"]["name"] == "Kim Lee"
    (row,) = list(csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text())))
    assert (row["trainee"], row["scenario"], row["instructor"]) == ("Kim Lee", "traffic_stop", "Pat Poe")


def test_benchmark_filing_one_session(benchmark, db, runs):
    """Figures (``pytest --benchmark-enable -k benchmark tests/test_records.py``) are in docs/benchmarks.md;
    in the normal suite each benchmark runs once as a plain test."""
    rv = review_run(runs["alex_poor"])
    counter = iter(range(10**9))
    with Records(db) as records:
        benchmark(lambda: records.add(rv, {"run_id": f"r{next(counter)}"}))
        assert records.sessions("Alex Doe")[0]["run_id"] == "r0"


def test_benchmark_listing_fifty_sessions(benchmark, db, runs):
    rv = review_run(runs["alex_poor"])
    with Records(db) as records:
        for i in range(50):
            records.add(rv, {"run_id": f"r{i}"})
        rows = benchmark(records.sessions, "Alex Doe")
    assert len(rows) == 50 and rows[0]["force"] == len(rv.force)


def test_records_sessions_and_progress_mark_a_session_cut_short_by_a_crash(db, tmp_path, capsys):
    from game.recovery import close_unclosed

    run = record_run(tmp_path / "crashed", "welfare_check", "good", trainee="Jo Cut")
    journal = run / "journal.jsonl"
    data = journal.read_bytes()
    journal.write_bytes(data[: len(data) // 2])  # the process died mid-session: no SessionEnded
    info = json.loads((run / "run.json").read_text())
    (run / "run.json").write_text(json.dumps({**info, "status": "running"}))
    assert close_unclosed(run)["status"] == "cut short"
    clean = record_run(tmp_path / "clean", "welfare_check", "good", trainee="Jo Cut")
    for r in (run, clean):
        assert talkdown(["records", "add", str(r), "--db", db]) == 0
    capsys.readouterr()
    assert talkdown(["records", "sessions", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [x for x in lines if "welfare_check" in x]
    assert len(rows) == 2 and sum("CUT SHORT" in x for x in rows) == 1
    (cut,) = [x for x in rows if "CUT SHORT" in x]
    (ok,) = [x for x in rows if "CUT SHORT" not in x]
    with Records(db) as records:
        order = [bool(r["complete"]) for r in records.sessions("Jo Cut")]
    assert order.count(False) == 1 and [("CUT SHORT" in x) for x in rows] == [not c for c in order]
    assert "accepts_help" in ok and "accepts_help" not in cut and "1 of 2 session(s) CUT SHORT" in lines[-1]
    assert talkdown(["records", "progress", "Jo Cut", "--db", db]) == 0
    prog = [x for x in capsys.readouterr().out.splitlines() if x.startswith("  ")]
    assert [x.endswith("(CUT SHORT)") for x in prog] == [not c for c in order]
