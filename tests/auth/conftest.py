"""Fixtures of the authentication tests: one initialised Opeka per module and backend.

Initialising a store costs up to 0.6 s on PostgreSQL, so the tests of a module share one
(``opeka`` here overrides the per-test fixture of ``tests/conftest.py``), on SQLite and on
PostgreSQL as everywhere. Tests keep apart by unique logins, e-mails and rate-limit keys
(:func:`tests.auth.support.unique`) and assert on their own rows only.
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
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def opeka(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """An initialised Opeka shared by the tests of one module on one backend."""
    backend = str(request.param)
    if backend == "postgres" and not POSTGRES_URL:
        pytest.skip(SKIP_PG)
    settings = make_settings(tmp_path_factory.mktemp("auth"), backend)
    initialise(settings)
    instance = Opeka(settings)
    yield instance
    instance.close()
    if backend == "postgres" and POSTGRES_URL:
        drop_schemas(POSTGRES_URL, settings.database_schema, settings.keystore_schema)


@pytest.fixture(scope="module")
def auth(opeka: Opeka) -> Auth:
    """Authentication services of the module's Opeka, hashing cheaply."""
    return Auth.from_opeka(opeka, AuthConfig(password=FAST))
