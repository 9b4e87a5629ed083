"""Fixtures of the documents tests: a store per backend shared by tests that read only their own
rows (``shared``), and a fast fresh ``opeka`` (a copy of an initialised data directory)."""

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
    """One initialised Opeka per backend, for tests that look only at what they made."""
    with shared_opeka(request, tmp_path_factory.mktemp("documents")) as instance:
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
