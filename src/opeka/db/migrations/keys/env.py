"""Alembic environment of the keys store (run through opeka.db.migrate)."""

from __future__ import annotations

from alembic import context

import opeka.db.tables  # noqa: F401  (registers every table)
from opeka.db.base import keys_metadata
from opeka.db.migrate import version_table, version_table_schema

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        version_table_schema=version_table_schema(connection),
        target_metadata=keys_metadata,
        version_table=version_table("keys"),
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
