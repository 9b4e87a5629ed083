"""Fixtures of the request tests: a store per backend shared across tests, and a fast ``opeka``.

Initialising a store costs about half a second; tests that only look at the requests they
open themselves share ``shared`` (one per backend for the session). Tests that count
everything in the store — sweeps, the register, the queue — take the function-scoped ``opeka``,
which on SQLite copies an initialised data directory (keys included) instead of migrating.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import make_settings, shared_opeka

from opeka.app import Opeka
from opeka.ops.init import initialise
from opeka.settings import Settings


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """One initialised Opeka per backend, shared by every test that only reads its own rows."""
    with shared_opeka(request, tmp_path_factory.mktemp("requests")) as instance:
        yield instance


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An initialised SQLite data directory, copied by each test instead of migrating anew."""
    settings = make_settings(tmp_path_factory.mktemp("template"), "sqlite")
    initialise(settings)
    return settings.data_dir


@pytest.fixture
def opeka(settings: Settings, sqlite_template: Path) -> Iterator[Opeka]:
    """The root ``opeka`` fixture, faster on SQLite: a copy of an initialised data directory."""
    if settings.is_sqlite:
        shutil.copytree(sqlite_template, settings.data_dir)
    else:
        initialise(settings)
    instance = Opeka(settings)
    yield instance
    instance.close()
