"""Fixtures of the console tests: one initialised Opeka and app per module and backend.

Tests keep apart by unique logins and subjects and assert on their own rows only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from tests.conftest import POSTGRES_URL, SKIP_PG, drop_schemas, make_settings
from tests.web.console.support import build_app

from opeka.app import Opeka
from opeka.ops.init import initialise


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def opeka(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """An initialised Opeka shared by the tests of one module on one backend."""
    backend = str(request.param)
    if backend == "postgres" and not POSTGRES_URL:
        pytest.skip(SKIP_PG)
    settings = make_settings(tmp_path_factory.mktemp("console"), backend)
    initialise(settings)
    instance = Opeka(settings)
    yield instance
    instance.close()
    if backend == "postgres" and POSTGRES_URL:
        drop_schemas(POSTGRES_URL, settings.database_schema, settings.keystore_schema)


@pytest.fixture(scope="module")
def app(opeka: Opeka) -> FastAPI:
    """The application with the console."""
    return build_app(opeka)
