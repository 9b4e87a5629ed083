"""Engines for the two stores, with the settings each backend needs.

SQLite (embedded default): WAL for the data file, rollback journal for the key store (a deleted
key must not linger in a WAL file), ``secure_delete=ON`` on both so that deleted bytes are
zeroed, and ``BEGIN IMMEDIATE`` so that a writing transaction takes the write lock up front
(every operation on personal data writes at least a journal entry). PostgreSQL: one schema for
the data and another for the key store, mapped with ``schema_translate_map``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "opeka_read_only"
SQLITE_POOL_SIZE = 16
SQLITE_CACHE_KIB = 64 * 1024  # page cache per connection: B-tree inserts at 10⁶ rows stay in memory


def make_engine(url: str, *, schema: str | None, wal: bool = True, pool: bool = True) -> Engine:
    """Create an engine for ``url``; ``schema`` applies on PostgreSQL only.

    ``wal=False`` is for the key store: rollback journal, deferred ``BEGIN`` (reads take no
    write lock), so that a deleted key leaves no copy in a WAL file.
    """
    if url.startswith("sqlite"):
        return _sqlite_engine(url, wal=wal, pool=pool)
    # No pre-ping (it costs a round trip per checkout); recycle connections instead.
    kwargs: dict[str, Any] = {"pool_recycle": 1800}
    if not pool:
        kwargs["poolclass"] = NullPool
    engine = create_engine(url, **kwargs)
    return engine.execution_options(schema_translate_map={None: schema})


def _sqlite_engine(url: str, *, wal: bool, pool: bool) -> Engine:
    # Keep as many connections as the server's worker threads use at once: a connection
    # opened past the pool's size is closed on return, and reopening one costs its PRAGMAs.
    sizes = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": SQLITE_POOL_SIZE} if pool else {}
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        poolclass=None if pool else NullPool,
        **sizes,
    )
    journal_mode = "WAL" if wal else "DELETE"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        for pragma in (
            f"journal_mode={journal_mode}",
            "synchronous=NORMAL" if wal else "synchronous=FULL",
            "foreign_keys=ON",
            "secure_delete=ON",
            f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
            f"cache_size=-{SQLITE_CACHE_KIB}",
            "temp_store=MEMORY",
            "wal_autocheckpoint=20000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    begin = "BEGIN IMMEDIATE" if wal else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else begin)

    return engine


def read_only(engine: Engine) -> Connection:
    """A connection for long reads: on SQLite a deferred ``BEGIN`` that takes no write lock."""
    return engine.connect().execution_options(**{READ_ONLY: True})


def ensure_schema(engine: Engine, schema: str) -> None:
    """Create a PostgreSQL schema if it does not exist (no-op on SQLite)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
