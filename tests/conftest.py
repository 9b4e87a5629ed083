"""Fixtures shared by every test: settings, an initialised Opeka on SQLite and PostgreSQL.

Every test that takes ``opeka`` runs twice: on SQLite (always) and on PostgreSQL where
``OPEKA_TEST_POSTGRES_URL`` points at a database (each test gets fresh schemas, dropped after).
Where the variable is not set, the PostgreSQL runs are skipped with a visible notice.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from opeka.app import Opeka
from opeka.ops.init import initialise
from opeka.settings import Settings

POSTGRES_URL = os.environ.get("OPEKA_TEST_POSTGRES_URL")
SKIP_PG = "PostgreSQL tests skipped: set OPEKA_TEST_POSTGRES_URL (make test in CI does)"
SHARED = Path(os.environ.get("OPEKA_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")


def pytest_report_header() -> str:
    return f"PostgreSQL: {POSTGRES_URL or 'not configured — ' + SKIP_PG}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not POSTGRES_URL:
        terminalreporter.write_line(f"NOTICE: {SKIP_PG}", yellow=True, bold=True)


def drop_schemas(url: str, *schemas: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for schema in schemas:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not POSTGRES_URL:
        pytest.skip(SKIP_PG)
    return str(request.param)


def make_settings(tmp_path: Path, backend: str, **overrides: object) -> Settings:
    """Settings for a test: a temporary data dir, and a fresh schema pair on PostgreSQL."""
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "environment": "test",
        "database_url": None,
        "master_key": None,
    }
    if backend == "postgres":
        values["database_url"] = POSTGRES_URL
        values["database_schema"] = f"t_{uuid.uuid4().hex[:12]}"
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path, backend: str) -> Iterator[Settings]:
    conf = make_settings(tmp_path, backend)
    yield conf
    if backend == "postgres" and POSTGRES_URL:
        drop_schemas(POSTGRES_URL, conf.database_schema, conf.keystore_schema)


@pytest.fixture
def opeka(settings: Settings) -> Iterator[Opeka]:
    initialise(settings)
    instance = Opeka(settings)
    yield instance
    instance.close()


@pytest.fixture
def make_opeka(tmp_path: Path, backend: str) -> Iterator[Callable[..., Opeka]]:
    """Build extra initialised Opeka instances (own data dir and schemas), closed after."""
    made: list[Opeka] = []

    def build(**overrides: object) -> Opeka:
        conf = make_settings(tmp_path / f"o{len(made)}", backend, **overrides)
        initialise(conf)
        made.append(Opeka(conf))
        return made[-1]

    yield build
    for instance in made:
        instance.close()
        if backend == "postgres" and POSTGRES_URL:
            conf = instance.settings
            drop_schemas(POSTGRES_URL, conf.database_schema, conf.keystore_schema)


@contextmanager
def shared_opeka(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opeka]:
    """An initialised Opeka on the backend of a parametrised module/session fixture.

    Skips without PostgreSQL; closes the instance and drops its schemas afterwards.
    """
    backend = str(request.param)
    if backend == "postgres" and not POSTGRES_URL:
        pytest.skip(SKIP_PG)
    settings = make_settings(tmp_path, backend)
    initialise(settings)
    instance = Opeka(settings)
    try:
        yield instance
    finally:
        instance.close()
        if backend == "postgres" and POSTGRES_URL:
            drop_schemas(POSTGRES_URL, settings.database_schema, settings.keystore_schema)
