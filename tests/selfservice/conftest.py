"""Fixtures of the self-service tests: one initialised Opeka per backend for the session.

Tests keep apart by unique e-mails (:func:`tests.selfservice.support.email`) and look only at
their own subjects, records and journal entries.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.auth.support import FAST
from tests.conftest import POSTGRES_URL, SKIP_PG, drop_schemas, make_settings

from opeka.app import Opeka
from opeka.auth.config import AuthConfig
from opeka.auth.context import Auth
from opeka.ops.init import initialise


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def opeka(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """An initialised Opeka shared by every self-service test on one backend."""
    backend = str(request.param)
    if backend == "postgres" and not POSTGRES_URL:
        pytest.skip(SKIP_PG)
    settings = make_settings(tmp_path_factory.mktemp("selfservice"), backend)
    initialise(settings)
    instance = Opeka(settings)
    yield instance
    instance.close()
    if backend == "postgres" and POSTGRES_URL:
        drop_schemas(POSTGRES_URL, settings.database_schema, settings.keystore_schema)


@pytest.fixture(scope="session")
def auth(opeka: Opeka) -> Auth:
    """Authentication services hashing cheaply."""
    return Auth.from_opeka(opeka, AuthConfig(password=FAST))
