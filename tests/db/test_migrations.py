"""The migrated databases match the table metadata exactly, on SQLite and PostgreSQL.

Alembic's ``compare_metadata`` reflects the migrated database and diffs it against
``data_metadata`` / ``keys_metadata``. Reflection does not apply ``schema_translate_map``, so on
PostgreSQL the comparison is made against a copy of the metadata placed in the schema the
engine's map points at (the settings' ``database_schema`` / ``keystore_schema``), and Alembic
is told to look in that schema only.

No difference has to be filtered out: Alembic compares a ``TypeDecorator`` (``UtcDateTime``)
through its ``impl``, ``DateTime(timezone=True)``, which is exactly what the migrations create,
so the decorator-vs-``DateTime`` rendering never shows up as a type change.
"""

from __future__ import annotations

import sqlite3
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, insert, inspect, select
from sqlalchemy.exc import IntegrityError as DBIntegrityError
from tests.conftest import make_settings

import opeka.db.tables  # noqa: F401  (registers every table)
from opeka.app import Opeka, make_engines
from opeka.db import migrate
from opeka.db.base import data_metadata, keys_metadata
from opeka.db.subjects import blind_index
from opeka.ops.init import initialise
from opeka.settings import Settings

Diff = list[Any]

# SQLite cannot reflect the journal's expression indexes; they are checked from sqlite_master.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based"),
]


def translated_schema(engine: Engine) -> str | None:
    """The schema the engine maps unqualified tables to (None on SQLite)."""
    mapping: dict[str | None, str] = engine.get_execution_options().get("schema_translate_map", {})
    return mapping.get(None)


def in_schema(metadata: MetaData, schema: str | None) -> MetaData:
    """A copy of ``metadata`` whose tables (and foreign keys) live in ``schema``."""
    if schema is None:
        return metadata
    copy = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(copy, schema=schema)
    return copy


def schema_diff(engine: Engine, metadata: MetaData, store: migrate.Store) -> Diff:
    """Alembic's autogenerate diff between the database behind ``engine`` and ``metadata``."""
    schema = translated_schema(engine)
    opts: dict[str, Any] = {
        "compare_type": True,
        "compare_server_default": True,
        "version_table": migrate.version_table(store),
    }
    if schema is not None:
        opts |= {
            "version_table_schema": schema,
            "include_schemas": True,
            "include_name": lambda name, kind, _parent: kind != "schema" or name == schema,
        }
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts=opts)
        return list(compare_metadata(context, in_schema(metadata, schema)))


def test_engines_map_tables_to_the_settings_schemas(settings: Settings) -> None:
    data, keys = make_engines(settings)
    try:
        if settings.is_sqlite:
            assert (translated_schema(data), translated_schema(keys)) == (None, None)
        else:
            assert translated_schema(data) == settings.database_schema
            assert translated_schema(keys) == settings.keystore_schema
    finally:
        data.dispose()
        keys.dispose()


def test_migrated_stores_match_their_metadata_exactly(settings: Settings) -> None:
    initialise(settings)
    data, keys = make_engines(settings)
    try:
        assert schema_diff(data, data_metadata, "data") == []
        assert schema_diff(keys, keys_metadata, "keys") == []
    finally:
        data.dispose()
        keys.dispose()


def test_comparison_is_not_vacuous_it_sees_a_column_the_database_lacks(
    settings: Settings,
) -> None:
    initialise(settings)
    data, keys = make_engines(settings)
    drifted = MetaData(naming_convention=data_metadata.naming_convention)
    for table in data_metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["vault_meta"].append_column(Column("extra", Integer(), nullable=True))
    try:
        diff = schema_diff(data, drifted, "data")
        assert [(d[0], d[2], d[3].name) for d in diff] == [("add_column", "vault_meta", "extra")]
        stray = MetaData()
        assert {d[0] for d in schema_diff(keys, stray, "keys")} == {"remove_table"}
    finally:
        data.dispose()
        keys.dispose()


def test_each_store_has_its_own_tables_only(settings: Settings) -> None:
    initialise(settings)
    data, keys = make_engines(settings)
    try:
        with data.connect() as conn:
            data_tables = set(inspect(conn).get_table_names(schema=translated_schema(data)))
        with keys.connect() as conn:
            key_tables = set(inspect(conn).get_table_names(schema=translated_schema(keys)))
    finally:
        data.dispose()
        keys.dispose()
    assert data_tables == set(data_metadata.tables) | {"alembic_version_data"}
    assert key_tables == {"subject_key", "alembic_version_keys"}


def test_timestamp_columns_are_timezone_aware_where_the_backend_can_say_so(
    settings: Settings,
) -> None:
    initialise(settings)
    data, keys = make_engines(settings)
    try:
        with data.connect() as conn:
            columns = inspect(conn).get_columns("subject", schema=translated_schema(data))
    finally:
        data.dispose()
        keys.dispose()
    created = next(c for c in columns if c["name"] == "created_at")
    if settings.is_sqlite:
        assert created["type"].__class__.__name__ == "DATETIME"
    else:
        assert getattr(created["type"], "timezone", None) is True


def stored_revision(engine: Engine, store: migrate.Store) -> str | None:
    """The revision written in the store's version table, read through the engine's schema."""
    version = Table(migrate.version_table(store), MetaData(), Column("version_num", String(32)))
    with engine.connect() as conn:
        return str(conn.execute(select(version.c.version_num)).scalar_one())


def test_migrations_record_the_head_revision_in_each_store(settings: Settings) -> None:
    initialise(settings)
    data, keys = make_engines(settings)
    try:
        assert stored_revision(data, "data") == migrate.head_revision("data")
        assert stored_revision(keys, "keys") == migrate.head_revision("keys")
    finally:
        data.dispose()
        keys.dispose()


def test_current_revision_reports_both_stores_at_head(
    settings: Settings, request: pytest.FixtureRequest
) -> None:
    initialise(settings)
    data, keys = make_engines(settings)
    try:
        assert migrate.current_revision(data, "data") == migrate.head_revision("data")
        assert migrate.current_revision(keys, "keys") == migrate.head_revision("keys")
    finally:
        data.dispose()
        keys.dispose()


def test_a_fresh_database_is_at_no_revision(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    data, keys = make_engines(settings)
    try:
        assert migrate.current_revision(data, "data") is None
        assert migrate.current_revision(keys, "keys") is None
    finally:
        data.dispose()
        keys.dispose()


def snapshot(settings: Settings) -> dict[str, object]:
    """Everything initialisation could touch: schema, rows, revisions, key files."""
    data, keys = make_engines(settings)
    state: dict[str, object] = {}
    try:
        stores: list[tuple[migrate.Store, Engine, MetaData]] = [
            ("data", data, data_metadata),
            ("keys", keys, keys_metadata),
        ]
        for store, engine, metadata in stores:
            schema = translated_schema(engine)
            with engine.connect() as conn:
                inspector = inspect(conn)
                for name in sorted(inspector.get_table_names(schema=schema)):
                    columns = inspector.get_columns(name, schema=schema)
                    state[f"{store}.{name}.columns"] = [
                        (c["name"], str(c["type"])) for c in columns
                    ]
                    state[f"{store}.{name}.indexes"] = sorted(
                        str(i["name"]) for i in inspector.get_indexes(name, schema=schema)
                    )
                for table in metadata.sorted_tables:
                    rows = conn.execute(select(table)).all()
                    state[f"{store}.{table.name}.rows"] = sorted(repr(tuple(r)) for r in rows)
            state[f"{store}.revision"] = migrate.current_revision(engine, store)
    finally:
        data.dispose()
        keys.dispose()
    for path in sorted(settings.data_dir.rglob("*")):
        if path.is_file() and path.suffix not in (".db", ".db-wal", ".db-shm"):
            state[f"file {path.relative_to(settings.data_dir)}"] = (
                path.read_bytes(),
                stat.S_IMODE(path.stat().st_mode),
            )
    return state


def test_initialising_twice_changes_nothing(
    settings: Settings, request: pytest.FixtureRequest
) -> None:
    first = initialise(settings)
    before = snapshot(settings)
    second = initialise(settings)
    after = snapshot(settings)
    assert first.made
    assert second.made == []
    assert any("at revision" in kept for kept in second.kept)
    assert after == before
    assert before["data.vault_meta.rows"]  # the width and key id were written once


def test_the_migrated_schema_enforces_foreign_keys(settings: Settings) -> None:
    initialise(settings)
    data, keys = make_engines(settings)
    try:
        with pytest.raises(DBIntegrityError), data.begin() as conn:
            conn.execute(insert(blind_index).values(kind=1, digest=7, subject_id=uuid.uuid4()))
    finally:
        data.dispose()
        keys.dispose()


def pragma(engine: Engine, name: str) -> object:
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_sqlite_pragmas_are_in_effect_on_both_files(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "sqlite")
    initialise(settings)
    data, keys = make_engines(settings)
    try:
        assert pragma(data, "journal_mode") == "wal"
        assert pragma(keys, "journal_mode") == "delete"
        for engine in (data, keys):
            assert pragma(engine, "secure_delete") == 1
            assert pragma(engine, "foreign_keys") == 1
    finally:
        data.dispose()
        keys.dispose()


def test_sqlite_journal_modes_persist_in_the_files(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "sqlite")
    initialise(settings)
    modes: dict[str, object] = {}
    for name in ("opeka.db", "keys.db"):
        conn = sqlite3.connect(settings.data_dir / name)
        try:
            modes[name] = conn.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            conn.close()
    assert modes == {"opeka.db": "wal", "keys.db": "delete"}
    assert not (settings.data_dir / "keys.db-wal").exists()


def test_the_journal_is_indexed_by_subject_and_time_inside_its_hashed_bytes(opeka: Opeka) -> None:
    settings = opeka.settings
    with opeka.data_engine.connect() as conn:
        if settings.is_sqlite:
            sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
            rows: dict[str, str] = dict(conn.exec_driver_sql(sql).all())
        else:
            sql = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %(s)s"
            rows = dict(conn.exec_driver_sql(sql, {"s": settings.database_schema}).all())
    assert "substr(entry, 49, 16)" in rows["ix_journal_entry_subject"].replace('"', "")
    assert "substr(entry, 41, 8)" in rows["ix_journal_entry_time"].replace('"', "")
