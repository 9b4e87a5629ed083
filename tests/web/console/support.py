"""Helpers of the console tests: a cheap app, staff of each role, signed-in clients, scans."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import httpx2
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.factories import client_values

from opeka.app import Opeka
from opeka.auth import staff
from opeka.auth.config import AuthConfig
from opeka.auth.context import Auth
from opeka.auth.passwords import PasswordParams
from opeka.auth.ratelimit import Limit
from opeka.processing import Actor
from opeka.web import console
from opeka.web.app import RouterFactory, create_app

FAST = PasswordParams(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "Correct-horse-7"
TEST_AUTH = AuthConfig(
    password=FAST, login_per_ip=Limit(100_000, 300), login_global=Limit(100_000, 60)
)
"""Cheap hashing; the per-IP and global limits out of the way (every test client shares one
address); the per-account limit and the lockout as in production."""

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_LINKS = re.compile(r'\b(?:href|action|src)="([^"]*)"')
EMAIL = re.compile(r"[^\s@/?&=\"']+(?:@|%40)[^\s@/?&=\"']+\.[a-z]{2,}", re.IGNORECASE)
PHONE = re.compile(r"(?:\+|%2B)?\d[\d\s().%-]{8,}\d")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def build_app(opeka: Opeka, *extra: RouterFactory) -> FastAPI:
    """The application with the console (and ``extra`` routers), hashing cheaply."""
    app = create_app(opeka, periodic=False, routers=[console.router, *extra])
    app.state.auth = Auth.from_opeka(opeka, TEST_AUTH)
    return app


def unique(prefix: str) -> str:
    """A login unique within the module's store."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def add_staff(app: FastAPI, role: str, login: str | None = None) -> str:
    """A staff user of ``role`` (password :data:`PASSWORD`); returns the login."""
    login = login or unique(role.replace("_", "-"))
    opeka: Opeka = app.state.opeka
    with opeka.data_engine.begin() as conn:
        staff.create_staff(conn, auth=app.state.auth, login=login, role=role, password=PASSWORD)
    return login


def token_in(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = _TOKEN.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


@dataclass
class Console:
    """A browser signed in to the console: a client and its CSRF token."""

    client: TestClient
    login: str
    token: str = field(default="")

    def get(self, path: str, **params: str) -> httpx2.Response:
        """GET without following redirects."""
        return self.client.get(path, params=params or None, follow_redirects=False)

    def post(
        self,
        path: str,
        data: Mapping[str, str | Sequence[str]] | None = None,
        *,
        csrf: bool = True,
    ) -> httpx2.Response:
        """POST a form (with the CSRF token unless ``csrf`` is False)."""
        body: dict[str, str | Sequence[str]] = dict(data or {})
        if csrf:
            body["csrf_token"] = self.token
        return self.client.post(path, data=body, follow_redirects=False)


def anonymous(app: FastAPI) -> Console:
    """A browser that opened the sign-in form (so it has a CSRF cookie and token)."""
    client = TestClient(app)
    page = client.get("/console/login")
    return Console(client, "", token_in(page.text))


def sign_in(app: FastAPI, login: str, password: str = PASSWORD) -> Console:
    """Sign in through the form; the result carries the session and CSRF cookies."""
    browser = anonymous(app)
    answer = browser.post("/console/login", {"login": login, "password": password})
    assert answer.status_code == 303, answer.text
    browser.login = login
    return browser


def as_role(app: FastAPI, role: str) -> Console:
    """A new staff user of ``role``, signed in."""
    return sign_in(app, add_staff(app, role))


def collect_client(opeka: Opeka, values: Mapping[str, str] | None = None) -> uuid.UUID:
    """A client subject (purpose 2.2.7, no consent needed) with unique e-mail and phone."""
    number = uuid.uuid4().int % 10**7
    with opeka.processing(Actor.staff("seed"), "2.2.7") as p:
        return p.collect(
            category="client", values=dict(values or client_values(number)), source="договор"
        )


def linked_urls(html: str) -> list[str]:
    """Every URL a page links to or submits to (href, action, src)."""
    return _LINKS.findall(html)


def has_phone(text: str) -> bool:
    """Whether ``text`` holds a run of 10 or more digits (pseudonymous ids left aside)."""
    runs = PHONE.findall(UUID.sub(" ", text))
    return any(sum(c.isdigit() for c in run) >= 10 for run in runs)


def personal_data_in_urls(html: str) -> list[str]:
    """URLs of the page that carry an e-mail address or a phone number."""
    return [url for url in linked_urls(html) if EMAIL.search(url) or has_phone(url)]
