"""The auth tables as migrated (0003_auth) match their metadata; purging touches only the dead."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData
from tests.auth.support import NOW

import opeka.db.tables  # noqa: F401  (registers every table)
from opeka.app import Opeka
from opeka.auth import maintenance
from opeka.auth.context import Auth
from opeka.db import migrate
from opeka.db.base import data_metadata

AUTH_TABLES = {
    "auth_staff",
    "auth_api_client",
    "auth_account",
    "auth_session",
    "auth_rate_window",
    "auth_reset_token",
}


def auth_metadata(schema: str | None) -> MetaData:
    copy = MetaData(naming_convention=data_metadata.naming_convention)
    for table in data_metadata.sorted_tables:
        if table.name not in AUTH_TABLES and table.name != "subject":
            continue
        if schema is None:
            table.to_metadata(copy)
        else:
            table.to_metadata(copy, schema=schema)
    return copy


def test_the_migrated_auth_tables_match_their_metadata(opeka: Opeka) -> None:
    mapping: dict[str | None, str] = opeka.data_engine.get_execution_options().get(
        "schema_translate_map", {}
    )
    schema = mapping.get(None)

    def include(name: str | None, kind: str, _parent: Any) -> bool:
        if kind == "schema":
            return name == schema
        return kind != "table" or name in AUTH_TABLES or name == "subject"

    opts: dict[str, Any] = {
        "compare_type": True,
        "compare_server_default": True,
        "version_table": migrate.version_table("data"),
        "include_name": include,
    }
    if schema is not None:
        opts |= {"version_table_schema": schema, "include_schemas": True}
    with opeka.data_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts=opts)
        assert list(compare_metadata(context, auth_metadata(schema))) == []


def test_purge_runs_every_cleanup(opeka: Opeka, auth: Auth) -> None:
    with opeka.data_engine.begin() as conn:
        auth.limiter.hit(conn, key="purge:test", limit=1, window_seconds=1, now=NOW)
        purged = maintenance.purge(conn, auth=auth, now=NOW.replace(year=2027))
    assert purged.rate_windows >= 1
    assert purged.sessions >= 0
    assert purged.reset_tokens >= 0
