"""Alembic, driven from code: each store (data, keys) has its own migration history."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

Store = Literal["data", "keys"]
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(engine: Engine, store: Store) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS / store))
    config.attributes["engine"] = engine
    config.attributes["store"] = store
    return config


def stores(data: Engine, keys: Engine) -> list[tuple[Store, Engine]]:
    """The stores with their engines, in migration order."""
    return [("data", data), ("keys", keys)]


def upgrade(engine: Engine, store: Store) -> None:
    """Bring ``store`` on ``engine`` to the newest revision."""
    command.upgrade(_config(engine, store), "heads")


def head_revision(store: Store) -> str:
    """The newest revision(s) of ``store``'s migrations, joined by ``+`` when branches exist.

    Domains add their tables on branches of their own; a merge revision joins them.
    """
    script = ScriptDirectory.from_config(_config_without_engine(store))
    return "+".join(sorted(script.get_heads()))


def current_revision(engine: Engine, store: Store) -> str | None:
    """The revision ``store`` on ``engine`` is at (None when never migrated)."""
    with engine.connect() as conn:
        opts = {
            "version_table": version_table(store),
            "version_table_schema": version_table_schema(conn),
        }
        context = MigrationContext.configure(conn, opts=opts)
        heads = context.get_current_heads()
        return "+".join(sorted(heads)) if heads else None


def version_table_schema(conn: Connection) -> str | None:
    """The schema the version table lives in: the one the engine maps tables to.

    Alembic looks its version table up without applying ``schema_translate_map``, so the
    schema is named explicitly (None on SQLite).
    """
    translate = conn.get_execution_options().get("schema_translate_map") or {}
    schema = translate.get(None)
    return str(schema) if schema else None


def version_table(store: Store) -> str:
    """Name of the Alembic version table of ``store``."""
    return f"alembic_version_{store}"


def _config_without_engine(store: Store) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS / store))
    return config
