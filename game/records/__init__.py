"""Trainee records: sessions and scores in a database (SQLAlchemy Core; SQLite by default,
PostgreSQL for an academy's shared server), with versioned schema migrations.

- :mod:`game.records.store` — where the database is, :class:`Records` (open, file, query)
- :mod:`game.records.schema` — the tables at the newest version
- :mod:`game.records.migrations` — the numbered steps that build and upgrade them
- :mod:`game.records.export` — CSV and xAPI

Importing this package imports SQLAlchemy but connects to nothing; a database is opened
(and migrated) when a :class:`Records` is made.
"""

from game.records.export import to_csv, to_xapi, xapi_json
from game.records.migrations import LATEST, MIGRATIONS
from game.records.store import Records, RecordsError, database_url, default_db_path

__all__ = ["LATEST", "MIGRATIONS", "Records", "RecordsError", "database_url", "default_db_path", "to_csv", "to_xapi",
           "xapi_json"]
