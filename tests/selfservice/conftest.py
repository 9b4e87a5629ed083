"""Fixtures of the self-service tests: one initialised Opeka per backend for the session.

Tests keep apart by unique e-mails (:func:`tests.selfservice.support.email`) and look only at
their own subjects, records and journal entries.
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
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def opeka(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """An initialised Opeka shared by every self-service test on one backend."""
    with shared_opeka(request, tmp_path_factory.mktemp("selfservice")) as instance:
        yield instance


@pytest.fixture(scope="session")
def auth(opeka: Opeka) -> Auth:
    """Authentication services hashing cheaply."""
    return Auth.from_opeka(opeka, AuthConfig(password=FAST))
