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
from tests.conftest import shared_opeka

from opeka.app import Opeka
from opeka.auth.config import AuthConfig
from opeka.auth.context import Auth


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def opeka(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """An initialised Opeka shared by the tests of one module on one backend."""
    with shared_opeka(request, tmp_path_factory.mktemp("auth")) as instance:
        yield instance


@pytest.fixture(scope="module")
def auth(opeka: Opeka) -> Auth:
    """Authentication services of the module's Opeka, hashing cheaply."""
    return Auth.from_opeka(opeka, AuthConfig(password=FAST))
