"""Fixtures of the console tests: one initialised Opeka and app per module and backend.

Tests keep apart by unique logins and subjects and assert on their own rows only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from tests.conftest import shared_opeka
from tests.web.console.support import build_app

from opeka.app import Opeka


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def opeka(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """An initialised Opeka shared by the tests of one module on one backend."""
    with shared_opeka(request, tmp_path_factory.mktemp("console")) as instance:
        yield instance


@pytest.fixture(scope="module")
def app(opeka: Opeka) -> FastAPI:
    """The application with the console."""
    return build_app(opeka)
