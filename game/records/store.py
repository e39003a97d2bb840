"""The records database: where it is, opening it (with its migrations), filing sessions and querying them.

SQLite in the user's data folder by default, created owner-only (0600 in a 0700 folder on
POSIX): trainee data are personal and nothing leaves the machine unless exported or sent to a
server the user names. ``--db`` takes a file path, ``sqlite:///PATH`` or any SQLAlchemy URL
(``postgresql://user@host/db`` for an academy whose training rooms share one server); the
environment variable ``TALKDOWN_DB`` sets the default (the tests point it at a temporary file).
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from game.records.migrations import LATEST, SchemaTooNew, applied_version, migrate, now
from game.records.schema import force_decisions, look_for, sessions, trainees


class RecordsError(RuntimeError):
    """The records database cannot be opened or used (one line for the user; never a password)."""


def default_db_path() -> Path:
    """``TALKDOWN_DB`` when it is a path, else ``records.sqlite3`` in the user's data folder for Talkdown."""
    env = os.environ.get("TALKDOWN_DB")
    if env and "://" not in env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "Talkdown"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "Talkdown"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "talkdown"
    return base / "records.sqlite3"


def database_url(db: str | None) -> tuple[URL, Path | None]:
    """The SQLAlchemy URL for ``--db`` (or ``TALKDOWN_DB``, or the default file), and the SQLite file it names (if any)."""
    text = db or os.environ.get("TALKDOWN_DB") or ""
    if "://" not in text:
        path = Path(text) if text else default_db_path()
        return URL.create("sqlite", database=os.fspath(path)), path
    try:
        url = make_url(text)
    except ArgumentError:
        raise RecordsError(f"not a database URL: {text.split('://')[0]}://… (a file path, sqlite:///PATH or "
                           "postgresql://user@host/db)") from None
    if url.get_backend_name() == "sqlite":
        return url, Path(url.database) if url.database and url.database != ":memory:" else None
    return url, None


def shown(url: URL) -> str:
    """The URL as printed to the user: the password masked."""
    return url.render_as_string(hide_password=True)


def _create_private(path: Path) -> None:
    """Creates the folder (0700) and an empty file (0600) if missing; the database is personal data."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    except FileExistsError:  # there already, or made by another process just now
        pass
    if os.name == "posix":
        os.chmod(path, 0o600)


def _sqlite_transactions(engine: Engine) -> None:
    """Makes SQLite's transactions real: Python's ``sqlite3`` would not begin one before DDL
    (a migration step), so SQLAlchemy emits ``BEGIN IMMEDIATE`` itself, which also takes the
    write lock at once (two processes filing together wait their turn instead of deadlocking);
    and enforces foreign keys, on every new connection."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _engine(url: URL) -> Engine:
    """The engine for ``url``; a plain ``postgresql://`` means psycopg 3 (the ``postgres`` extra), whatever
    SQLAlchemy's own default. Connects to nothing yet."""
    try:
        engine = create_engine(url.set(drivername="postgresql+psycopg") if url.drivername == "postgresql" else url)
    except NoSuchModuleError:
        raise RecordsError(f"unknown kind of database '{url.drivername}' in {shown(url)}") from None
    except ImportError as exc:
        fix = "pip install 'talkdown[postgres]'" if url.get_backend_name() == "postgresql" else "install it with pip"
        raise RecordsError(f"the database driver for {shown(url)} is not installed ({exc.name or exc}): {fix}") from None
    if url.get_backend_name() == "sqlite":
        _sqlite_transactions(engine)
    return engine


def _why(exc: Exception) -> str:
    """The driver's own first line (a DBAPI error's text without SQLAlchemy's statement and parameters)."""
    text = str(exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Records:
    """An open records database: opening it applies the migrations it lacks. Use as a context manager.

    Each method runs in its own transaction on a pooled connection, so one ``Records`` may
    serve several threads; several processes or rooms may share one PostgreSQL database."""

    def __init__(self, url: str | None = None, *, upto: int = LATEST) -> None:
        self.url, self.path = database_url(url)
        #: where the records are, for messages (a file path, or the URL without its password)
        self.location = os.fspath(self.path) if self.path else shown(self.url)
        try:
            if self.path is not None:
                _create_private(self.path)
        except OSError as exc:
            raise RecordsError(f"cannot create the records database {self.location}: {exc}") from None
        self.engine = _engine(self.url)
        try:
            migrate(self.engine, upto)
        except SchemaTooNew as exc:
            self.engine.dispose()
            raise RecordsError(str(exc)) from None
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise RecordsError(f"cannot open the records database {self.location}: {_why(exc)}") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Records":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, doing: str) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise RecordsError(f"cannot {doing} in {self.location}: {_why(exc)}") from None

    @property
    def version(self) -> int:
        with self._transaction("read the schema version") as conn:
            return applied_version(conn)

    def add(self, rv: Any, info: dict[str, Any] | None = None) -> None:
        """Files a :class:`~game.review.analysis.Review` with its ``run.json`` facts, in one transaction:
        the trainee is created if new (safely when several rooms file at once) and an earlier filing
        of the same run is replaced, force decisions and look-for points included."""
        info = info or {}
        run_id = info.get("run_id") or Path(rv.run_dir).name
        branched = info.get("branched_from")
        row = {
            "run_id": run_id, "instructor": rv.instructor, "scenario": rv.scenario_id,
            "scenario_sha256": info.get("scenario", {}).get("sha256", ""), "seed": rv.seed, "software": rv.software,
            "started_at": info.get("started_at", ""), "duration": rv.duration, "ending": rv.ending, "outcome": rv.outcome,
            "complete": int(rv.complete), "score": rv.score, "run_dir": os.fspath(Path(rv.run_dir).resolve()),
            "recorded_at": now(), "time_inside_gap": rv.time_inside_gap, "first_words_time": rv.first_words_time,
            "instructor_actions": rv.instructor_actions,
            "branched_from": json.dumps(branched, sort_keys=True) if branched else None,
        }
        with self._transaction(f"file {run_id}") as conn:
            row["trainee_id"] = _trainee_id(conn, rv.trainee or "(unnamed)")
            sid = _upsert_session(conn, row)
            conn.execute(delete(force_decisions).where(force_decisions.c.session_id == sid))
            conn.execute(delete(look_for).where(look_for.c.session_id == sid))
            if rv.force:
                conn.execute(insert(force_decisions), [
                    {"session_id": sid, "time": f.time, "tool": f.tool, "action": f.action, "level": f.level,
                     "allowed": int(f.allowed), "reason": f.reason} for f in rv.force])
            if rv.look_for:
                conn.execute(insert(look_for), [
                    {"session_id": sid, "look_for": x["id"], "met": int(x["met"]), "time": x["time"]} for x in rv.look_for])
            call = getattr(rv, "call", None)
            if call is not None:  # the dispatcher who took the call: a trainee of their own (issue 19)
                self._add_dispatcher(conn, call, row)

    @staticmethod
    def _add_dispatcher(conn: Connection, call: Any, officer_row: dict[str, Any]) -> None:
        """The dispatcher's row: run id ``RUN:dispatcher``, the call's score, and each knowable fact
        as a look-for point (met: passed on to the officer)."""
        row = {**officer_row, "run_id": f"{officer_row['run_id']}:dispatcher", "role": "dispatcher",
               "score": call.score, "time_inside_gap": None, "first_words_time": call.dispatched_at,
               "duration": call.dispatched_at if call.dispatched_at is not None else officer_row["duration"]}
        row["trainee_id"] = _trainee_id(conn, call.dispatcher or "(unnamed dispatcher)")
        sid = _upsert_session(conn, row)
        conn.execute(delete(force_decisions).where(force_decisions.c.session_id == sid))
        conn.execute(delete(look_for).where(look_for.c.session_id == sid))
        if call.facts:
            conn.execute(insert(look_for), [
                {"session_id": sid, "look_for": f"fact:{f.id}", "met": int(bool(f.passed_on)), "time": None}
                for f in call.facts])

    def trainees(self) -> list[dict[str, Any]]:
        """Every trainee with their number of sessions and scenarios, average score and last session."""
        s, t = sessions, trainees
        query = (select(t.c.name, func.count(s.c.id).label("sessions"), func.count(s.c.scenario.distinct()).label("scenarios"),
                        func.round(func.avg(s.c.score)).label("average"),
                        func.max(s.c.started_at).label("last"))
                 .select_from(t.outerjoin(s, s.c.trainee_id == t.c.id)).group_by(t.c.id, t.c.name).order_by(t.c.name))
        with self._transaction("list the trainees") as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        for r in rows:  # PostgreSQL's round() of a numeric is a Decimal
            r["average"] = None if r["average"] is None else float(r["average"])
        return rows

    def sessions(self, trainee: str | None = None) -> list[dict[str, Any]]:
        """The sessions (one trainee's, or everybody's) in the order they started, with counts of force
        decisions (and those outside policy) and of look-for points (and those met)."""
        s, f, lf = sessions, force_decisions, look_for

        def count(table: Any, *where: Any) -> Any:
            return select(func.count()).select_from(table).where(table.c.session_id == s.c.id, *where).scalar_subquery()

        query = (select(s, trainees.c.name.label("trainee"), count(f).label("force"),
                        count(f, f.c.allowed == 0).label("outside_policy"), count(lf, lf.c.met != 0).label("look_for_met"),
                        count(lf).label("look_for_total"))
                 .join_from(s, trainees, trainees.c.id == s.c.trainee_id).order_by(s.c.started_at, s.c.id))
        if trainee is not None:
            query = query.where(trainees.c.name == trainee)
        with self._transaction("list the sessions") as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def progress(self, trainee: str) -> dict[str, Any]:
        """A trainee's scores over time and the scenarios they have done (with their best score);
        ``complete`` says, in the order of ``scores``, which sessions ended cleanly (False: cut short)."""
        rows = self.sessions(trainee)
        done: dict[str, int] = {}
        for r in rows:
            done[r["scenario"]] = max(done.get(r["scenario"], 0), r["score"])
        return {"trainee": trainee, "scores": [(r["started_at"], r["scenario"], r["score"]) for r in rows], "scenarios": done,
                "complete": [bool(r["complete"]) for r in rows]}


def _dialect_insert(conn: Connection, table: Any) -> Any:
    """``INSERT`` with ``ON CONFLICT`` for SQLite and PostgreSQL; None for other dialects."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    return None


def _trainee_id(conn: Connection, name: str) -> int:
    """The trainee's id, inserting them first if new: ``ON CONFLICT DO NOTHING``, so two rooms filing a
    new trainee at once both get the one row (elsewhere: a savepoint that tolerates the other's insert)."""
    stmt = _dialect_insert(conn, trainees)
    values = {"name": name, "created_at": now()}
    if stmt is not None:
        conn.execute(stmt.values(values).on_conflict_do_nothing(index_elements=["name"]))
    elif conn.scalar(select(trainees.c.id).where(trainees.c.name == name)) is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(trainees).values(values))
        except IntegrityError:
            pass
    return conn.scalar(select(trainees.c.id).where(trainees.c.name == name))


def _upsert_session(conn: Connection, row: dict[str, Any]) -> int:
    """Inserts the session or, if its run was filed before, replaces its figures (keeping its id); returns the id."""
    stmt = _dialect_insert(conn, sessions)
    if stmt is not None:
        stmt = stmt.values(row)
        conn.execute(stmt.on_conflict_do_update(index_elements=["run_id"],
                                                set_={k: stmt.excluded[k] for k in row if k != "run_id"}))
    else:
        conn.execute(delete(sessions).where(sessions.c.run_id == row["run_id"]))
        conn.execute(insert(sessions).values(row))
    return conn.scalar(select(sessions.c.id).where(sessions.c.run_id == row["run_id"]))
