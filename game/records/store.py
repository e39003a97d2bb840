"""Trainee records: sessions and scores in a database, with versioned schema migrations.

SQLite (Python's own ``sqlite3``) in the user's data folder by default, created owner-only
(0600 in a 0700 folder on POSIX): trainee data are personal and nothing leaves the machine
unless exported. ``--db`` takes a file path or a ``sqlite:///PATH`` URL; the environment
variable ``TALKDOWN_DB`` sets the default (the tests point it at a temporary file).

Migrations are numbered steps in :data:`MIGRATIONS`, applied in order inside a transaction
and recorded in ``schema_migrations``; each only adds (tables, columns), so upgrading an
older database keeps every row.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any, Iterable

from game.core.scenario import PEACEFUL_OUTCOMES

#: (version, what it does, SQL statements). Append only; never edit a released step.
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "trainees, sessions, force decisions, look-for points", (
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
    )),
    (2, "distance kept, first words and instructor interventions per session", (
        """ALTER TABLE sessions ADD COLUMN time_inside_gap REAL""",
        """ALTER TABLE sessions ADD COLUMN first_words_time REAL""",
        """ALTER TABLE sessions ADD COLUMN instructor_actions INTEGER NOT NULL DEFAULT 0""",
    )),
)
LATEST = MIGRATIONS[-1][0]


class RecordsError(RuntimeError):
    """The records database cannot be opened or used (one line for the user)."""


def default_db_path() -> Path:
    """``TALKDOWN_DB``, else ``records.sqlite3`` in the user's data folder for Talkdown."""
    if os.environ.get("TALKDOWN_DB"):
        return Path(os.environ["TALKDOWN_DB"])
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "Talkdown"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "Talkdown"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "talkdown"
    return base / "records.sqlite3"


def db_path(url: str | None) -> Path:
    """The SQLite file for ``--db`` (a path or ``sqlite:///PATH``); other URLs are refused, saying why."""
    if not url:
        return default_db_path()
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):])
    if "://" in url:
        raise RecordsError(f"only SQLite databases are supported in this version (a path or sqlite:///PATH), not {url.split('://')[0]}")
    return Path(url)


def _create_private(path: Path) -> None:
    """Creates the folder (0700) and an empty file (0600) if missing; the database is personal data."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)


def migrate(conn: sqlite3.Connection, upto: int = LATEST) -> list[int]:
    """Applies the migrations not yet applied (up to ``upto``); returns the versions applied."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    done = {v for (v,) in conn.execute("SELECT version FROM schema_migrations")}
    newest = max(done, default=0)
    if newest > LATEST:
        raise RecordsError(f"the records database is schema {newest}, newer than this Talkdown knows ({LATEST}): upgrade Talkdown")
    applied = []
    for version, description, statements in MIGRATIONS:
        if version in done or version > upto:
            continue
        with conn:  # one transaction per step: a failed step leaves the database as it was
            for sql in statements:
                conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, description, _now()))
        applied.append(version)
    return applied


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


class Records:
    """An open records database. Use as a context manager."""

    def __init__(self, url: str | None = None, *, upto: int = LATEST) -> None:
        self.path = db_path(url)
        try:
            _create_private(self.path)
            self.conn = sqlite3.connect(self.path)
            self.conn.execute("PRAGMA foreign_keys = ON")
            migrate(self.conn, upto)
        except (OSError, sqlite3.Error) as exc:
            raise RecordsError(f"cannot open the records database {self.path}: {exc}") from None
        self.conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Records":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0

    def add(self, rv: Any, info: dict[str, Any] | None = None) -> bool:
        """Files a :class:`~game.review.analysis.Review` (replacing an earlier filing of the same run);
        False when the run was already filed with the same figures."""
        info = info or {}
        run_id = info.get("run_id") or Path(rv.run_dir).name
        name = rv.trainee or "(unnamed)"
        with self.conn:
            self.conn.execute("INSERT OR IGNORE INTO trainees (name, created_at) VALUES (?, ?)", (name, _now()))
            trainee_id = self.conn.execute("SELECT id FROM trainees WHERE name = ?", (name,)).fetchone()[0]
            self.conn.execute("DELETE FROM sessions WHERE run_id = ?", (run_id,))
            cur = self.conn.execute(
                "INSERT INTO sessions (run_id, trainee_id, instructor, scenario, scenario_sha256, seed, software, started_at, "
                "duration, ending, outcome, complete, score, run_dir, recorded_at, time_inside_gap, first_words_time, "
                "instructor_actions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, trainee_id, rv.instructor, rv.scenario_id, info.get("scenario", {}).get("sha256", ""), rv.seed,
                 rv.software, info.get("started_at", ""), rv.duration, rv.ending, rv.outcome, int(rv.complete), rv.score,
                 os.fspath(Path(rv.run_dir).resolve()), _now(), rv.time_inside_gap, rv.first_words_time, rv.instructor_actions))
            sid = cur.lastrowid
            self.conn.executemany("INSERT INTO force_decisions VALUES (?, ?, ?, ?, ?, ?, ?)",
                                  [(sid, f.time, f.tool, f.action, f.level, int(f.allowed), f.reason) for f in rv.force])
            self.conn.executemany("INSERT INTO look_for VALUES (?, ?, ?, ?)",
                                  [(sid, x["id"], int(x["met"]), x["time"]) for x in rv.look_for])
        return True

    def trainees(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT t.name, COUNT(s.id) AS sessions, COUNT(DISTINCT s.scenario) AS scenarios, "
            "ROUND(AVG(s.score)) AS average, MAX(s.started_at) AS last FROM trainees t "
            "LEFT JOIN sessions s ON s.trainee_id = t.id GROUP BY t.id ORDER BY t.name")
        return [dict(r) for r in rows]

    def sessions(self, trainee: str | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT s.*, t.name AS trainee, (SELECT COUNT(*) FROM force_decisions f WHERE f.session_id = s.id) AS force, "
               "(SELECT COUNT(*) FROM force_decisions f WHERE f.session_id = s.id AND NOT f.allowed) AS outside_policy, "
               "(SELECT COUNT(*) FROM look_for l WHERE l.session_id = s.id AND l.met) AS look_for_met, "
               "(SELECT COUNT(*) FROM look_for l WHERE l.session_id = s.id) AS look_for_total "
               "FROM sessions s JOIN trainees t ON t.id = s.trainee_id")
        args: tuple[Any, ...] = ()
        if trainee is not None:
            sql += " WHERE t.name = ?"
            args = (trainee,)
        return [dict(r) for r in self.conn.execute(sql + " ORDER BY s.started_at, s.id", args)]

    def progress(self, trainee: str) -> dict[str, Any]:
        """A trainee's scores over time and the scenarios they have done (with their best score)."""
        rows = self.sessions(trainee)
        done: dict[str, int] = {}
        for r in rows:
            done[r["scenario"]] = max(done.get(r["scenario"], 0), r["score"])
        return {"trainee": trainee, "scores": [(r["started_at"], r["scenario"], r["score"]) for r in rows], "scenarios": done}


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    fields = ["trainee", "instructor", "scenario", "started_at", "seed", "duration", "ending", "outcome", "complete", "score",
              "force", "outside_policy", "look_for_met", "look_for_total", "time_inside_gap", "first_words_time",
              "instructor_actions", "run_id", "software"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    return buf.getvalue()


def to_xapi(rows: Iterable[dict[str, Any]], home_page: str = "urn:talkdown") -> list[dict[str, Any]]:
    """xAPI 1.0.3 statements, one per session: the trainee *completed* the scenario, with its result."""
    out = []
    for r in rows:
        statement: dict[str, Any] = {
            "actor": {"objectType": "Agent", "name": r["trainee"], "account": {"homePage": home_page, "name": r["trainee"]}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
            "object": {"objectType": "Activity", "id": f"{home_page}:scenario:{r['scenario']}",
                       "definition": {"name": {"en-US": r["scenario"]},
                                      "type": "http://adlnet.gov/expapi/activities/simulation"}},
            "result": {"score": {"scaled": round(r["score"] / 100, 2), "raw": r["score"], "min": 0, "max": 100},
                       "success": r["outcome"] in PEACEFUL_OUTCOMES, "completion": bool(r["complete"]),
                       "duration": f"PT{r['duration']:.1f}S",
                       "extensions": {f"{home_page}:ending": r["ending"], f"{home_page}:outcome": r["outcome"],
                                      f"{home_page}:force-outside-policy": r.get("outside_policy", 0)}},
            "context": {"extensions": {f"{home_page}:run": r["run_id"], f"{home_page}:seed": r["seed"]}},
        }
        if r.get("instructor"):
            statement["context"]["instructor"] = {"objectType": "Agent", "name": r["instructor"],
                                                  "account": {"homePage": home_page, "name": r["instructor"]}}
        if r.get("started_at"):
            statement["timestamp"] = r["started_at"]
        out.append(statement)
    return out


def xapi_json(rows: Iterable[dict[str, Any]]) -> str:
    return json.dumps(to_xapi(rows), indent=2, ensure_ascii=False) + "\n"
