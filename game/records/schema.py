"""The records' tables as they are at the newest schema version, for the queries (SQLAlchemy Core).

The migrations (:mod:`game.records.migrations`) build these tables step by step; a test
checks that a database migrated from nothing has exactly these columns. Flags are
integers (0/1) and times ISO-8601 text, as in the first SQLite version, so old rows read
the same on every backend.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, Table, Text, text

metadata = MetaData()

trainees = Table(
    "trainees", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("created_at", Text, nullable=False),
)

sessions = Table(
    "sessions", metadata,
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
    # version 2
    Column("time_inside_gap", Float),
    Column("first_words_time", Float),
    Column("instructor_actions", Integer, nullable=False, server_default=text("0")),
    # version 3: a replay branch's origin, {"run_id", "step", "time"} as JSON text
    Column("branched_from", Text),
    # version 5: officer, or dispatcher (the call's taker, filed as a trainee of their own)
    Column("role", Text, nullable=False, server_default="officer"),
    Index("sessions_by_trainee", "trainee_id", "started_at"),
)

force_decisions = Table(
    "force_decisions", metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("time", Float, nullable=False),
    Column("tool", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("level", Text, nullable=False),
    Column("allowed", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Index("force_decisions_by_session", "session_id"),  # version 4
)

look_for = Table(
    "look_for", metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("look_for", Text, nullable=False),
    Column("met", Integer, nullable=False),
    Column("time", Float),
    Index("look_for_by_session", "session_id"),  # version 4
)
