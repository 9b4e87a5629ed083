"""Fixtures of the REST API tests: one initialised store per backend, the app, a full key.

The store is shared by every API test of a backend (initialising costs about half a second);
tests tell their own rows apart by unique e-mails and sources.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.conftest import shared_opeka
from tests.web.api.support import Key, make_key

from opeka.app import Opeka
from opeka.web import api
from opeka.web.app import create_app


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """One initialised Opeka per backend for every API test."""
    with shared_opeka(request, tmp_path_factory.mktemp("api")) as instance:
        yield instance


@pytest.fixture(scope="session")
def app(shared: Opeka) -> FastAPI:
    """The application with the API's routers."""
    return create_app(shared, periodic=False, routers=[api.router])


@pytest.fixture(scope="session")
def http(app: FastAPI) -> Iterator[TestClient]:
    """A client that receives error responses instead of raising them."""
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def key(shared: Opeka) -> Key:
    """A key with every scope, for purposes 2.2.7, legal.subject_rights and 2.2.8."""
    return make_key(shared)
