"""Versioned schema migrations of the records, on SQLAlchemy Core, for SQLite and PostgreSQL alike.

Each step is a numbered function, applied in order, each in its own transaction, and listed in
``schema_migrations`` (version, description, applied_at) — the same ledger the first,
``sqlite3``-only Talkdown kept, so its databases (at version 1 or 2) carry on from where they
are. Steps only add (tables, nullable or defaulted columns): upgrading keeps every row. A
step is never edited once released; the tables it creates are frozen copies, and
:mod:`game.records.schema` is the newest shape that the queries use.

Why not Alembic: the records are four tables that only grow, the ledger above already exists
in users' databases, and adding a column is the same statement on both dialects. Alembic
would bring a second ledger (``alembic_version``), a script folder and environment to ship,
and its SQLite "batch" table rebuilds that these steps never need.

On PostgreSQL each step holds a transaction-level advisory lock and re-reads the ledger, so
training rooms that open a fresh shared database at the same moment migrate it once.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import (Column, Connection, Engine, Float, ForeignKey, Index, Integer, MetaData, Table, Text, func, insert, select,
                        text)
from sqlalchemy.schema import CreateColumn

#: The migrations' advisory lock on PostgreSQL (any constant unique to Talkdown's records).
_LOCK_KEY = 7_027_001

_ledger_metadata = MetaData()
ledger = Table(
    "schema_migrations", _ledger_metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", Text, nullable=False),
)


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer Talkdown than this one."""

    def __init__(self, found: int) -> None:
        super().__init__(f"the records database is schema {found}, newer than this Talkdown knows ({LATEST}): upgrade Talkdown")
        self.found = found


def _add_column(conn: Connection, table: str, column: Column) -> None:
    """``ALTER TABLE … ADD COLUMN`` with the column spelled for the connection's dialect."""
    Table(table, MetaData(), column)  # a column compiles only as part of a table
    spec = CreateColumn(column).compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {spec}")


def _v1_tables(conn: Connection) -> None:
    """The first version's four tables, as they were (frozen)."""
    md = MetaData()
    Table("trainees", md,
          Column("id", Integer, primary_key=True),
          Column("name", Text, nullable=False, unique=True),
          Column("created_at", Text, nullable=False))
    Table("sessions", md,
          Column("id", Integer, primary_key=True),
          Column("run_id", Text, nullable=False, unique=True),
          Column("trainee_id", Integer, ForeignKey("trainees.id")),
          Column("instructor", Text, nullable=False, server_default=""),
          Column("scenario", Text, nullable=False),
          Column("scenario_sha256", Text, nullable=False, server_default=""),
          Column("seed", Integer, nullable=False),
          Column("software", Text, nullable=False, server_default=""),
          Column("started_at", Text, nullable=False, server_default=""),
          Column("duration", Float, nullable=False),
          Column("ending", Text, nullable=False, server_default=""),
          Column("outcome", Text, nullable=False, server_default=""),
          Column("complete", Integer, nullable=False),
          Column("score", Integer, nullable=False),
          Column("run_dir", Text, nullable=False, server_default=""),
          Column("recorded_at", Text, nullable=False),
          Index("sessions_by_trainee", "trainee_id", "started_at"))
    Table("force_decisions", md,
          Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
          Column("time", Float, nullable=False),
          Column("tool", Text, nullable=False),
          Column("action", Text, nullable=False),
          Column("level", Text, nullable=False),
          Column("allowed", Integer, nullable=False),
          Column("reason", Text, nullable=False))
    Table("look_for", md,
          Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
          Column("look_for", Text, nullable=False),
          Column("met", Integer, nullable=False),
          Column("time", Float))
    md.create_all(conn, checkfirst=False)


def _v2_gap_words_interventions(conn: Connection) -> None:
    _add_column(conn, "sessions", Column("time_inside_gap", Float))
    _add_column(conn, "sessions", Column("first_words_time", Float))
    _add_column(conn, "sessions", Column("instructor_actions", Integer, nullable=False, server_default=text("0")))


def _v3_branched_from(conn: Connection) -> None:
    """A replay branch's origin: the original run, step and time as JSON text, or null."""
    _add_column(conn, "sessions", Column("branched_from", Text))


def _v4_child_indexes(conn: Connection) -> None:
    """Indexes the per-session rows, which listing counts and re-filing replaces (without them both scan whole tables)."""
    conn.exec_driver_sql("CREATE INDEX force_decisions_by_session ON force_decisions (session_id)")
    conn.exec_driver_sql("CREATE INDEX look_for_by_session ON look_for (session_id)")


def _v5_role(conn: Connection) -> None:
    """The seat a session row is for: ``officer`` (every row before), or ``dispatcher`` (issue 19:
    the dispatcher who took the call is filed as a trainee of their own)."""
    _add_column(conn, "sessions", Column("role", Text, nullable=False, server_default="officer"))


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


#: In order. Append only; never edit a released step.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "trainees, sessions, force decisions, look-for points", _v1_tables),
    Migration(2, "distance kept, first words and instructor interventions per session", _v2_gap_words_interventions),
    Migration(3, "where a replay branch run started (branched_from)", _v3_branched_from),
    Migration(4, "indexes of force decisions and look-for points by session", _v4_child_indexes),
    Migration(5, "the seat a session row is for (officer or dispatcher)", _v5_role),
)
LATEST = MIGRATIONS[-1].version


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))


def _applied(conn: Connection) -> set[int]:
    return set(conn.scalars(select(ledger.c.version)))


def applied_version(conn: Connection) -> int:
    """The newest version listed in the ledger (0 for a database without one)."""
    if not conn.dialect.has_table(conn, ledger.name):
        return 0
    return conn.scalar(select(func.max(ledger.c.version))) or 0


def migrate(engine: Engine, upto: int = LATEST) -> list[int]:
    """Applies, when a database is opened, the steps it lacks up to ``upto``, each in one
    transaction (a failed step leaves the database as it was); returns the versions applied.
    Raises :class:`SchemaTooNew` without changing anything if the ledger lists a newer step."""
    with engine.begin() as conn:
        _lock(conn)
        _ledger_metadata.create_all(conn, checkfirst=True)
        done = _applied(conn)
    if max(done, default=0) > LATEST:
        raise SchemaTooNew(max(done))
    applied = []
    for step in MIGRATIONS:
        if step.version in done or step.version > upto:
            continue
        with engine.begin() as conn:
            _lock(conn)
            if step.version in _applied(conn):  # another room migrated it meanwhile
                continue
            step.apply(conn)
            conn.execute(insert(ledger).values(version=step.version, description=step.description, applied_at=now()))
        applied.append(step.version)
    return applied


def now() -> str:
    """The current UTC time, ISO-8601 to the second (the records' timestamps)."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
