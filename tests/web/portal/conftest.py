"""Fixtures of the portal tests: one app per backend for the session, a fresh client per test.

The app hashes passwords cheaply, locks an account after 3 failures, allows 3 submissions of
each public form per address, and sends mail into a :class:`MemoryMailer`. Each test's client
comes from an address of its own, so the per-address limits of one test never touch another.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.auth.support import FAST
from tests.conftest import shared_opeka
from tests.web.portal.support import new_client

from opeka.app import Opeka
from opeka.auth.config import AuthConfig
from opeka.auth.context import Auth
from opeka.auth.ratelimit import Limit
from opeka.mail.mailers import MemoryMailer
from opeka.selfservice.limits import PortalLimits
from opeka.web import portal
from opeka.web.app import create_app

LIMITS = PortalLimits(
    register_per_ip=Limit(3, 3600),
    form_per_ip=Limit(3, 3600),
    reset_per_ip=Limit(3, 3600),
    password_per_subject=Limit(5, 900),
)


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def opeka(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """An initialised Opeka shared by the portal tests of one backend."""
    with shared_opeka(request, tmp_path_factory.mktemp("portal")) as instance:
        yield instance


@pytest.fixture(scope="session")
def mailer() -> MemoryMailer:
    """Where the portal's mail goes."""
    return MemoryMailer()


@pytest.fixture(scope="session")
def app(opeka: Opeka, mailer: MemoryMailer) -> FastAPI:
    """The portal app (no periodic jobs)."""
    web = create_app(
        opeka,
        periodic=False,
        routers=[lambda o: portal.router(o, mailer=mailer, limits=LIMITS)],
    )
    web.state.auth = Auth.from_opeka(opeka, AuthConfig(password=FAST, lockout_after=3))
    return web


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser of its own address, with no cookies."""
    with new_client(app) as browser:
        yield browser
