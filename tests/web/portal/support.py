"""Helpers of the portal tests: forms with their CSRF token, registration, sign-in, the journal."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from opeka.app import Opeka
from opeka.auth import accounts
from opeka.journal.entry import Entry
from opeka.journal.export import select_entries

PASSWORD = "Correct-horse-7"
NEW_PASSWORD = "Battery-staple-9"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_VERSION = re.compile(r'name="(version[^"]*)" value="([^"]+)"')


def new_client(app: FastAPI, *, https: bool = False) -> TestClient:
    """A test browser from an address of its own (never following redirects by itself)."""
    n = uuid.uuid4().int
    ip = f"10.{n % 250}.{n // 250 % 250}.{n // 62500 % 250 + 1}"
    base = "https://testserver" if https else "http://testserver"
    return TestClient(
        app,
        base_url=base,
        client=(ip, 50000),
        follow_redirects=False,
        raise_server_exceptions=False,
    )


def email(prefix: str = "p") -> str:
    """A unique address on example.org."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.org"


def token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _TOKEN.search(html)
    assert found, "no csrf token on the page"
    return found.group(1)


def versions(html: str) -> dict[str, str]:
    """The hidden consent-version inputs of a page."""
    return dict(_VERSION.findall(html))


def form(client: TestClient, path: str) -> tuple[str, str]:
    """GET a form page: (its CSRF token, its HTML)."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    return token(page.text), page.text


@dataclass(frozen=True)
class Account:
    """A registered portal user."""

    email: str
    subject_id: uuid.UUID


def registration_data(html: str, address: str, **extra: object) -> dict[str, object]:
    """A filled registration form for ``address``."""
    data: dict[str, object] = {
        "csrf_token": token(html),
        "last_name": "Петрова",
        "first_name": "Ольга",
        "email": address,
        "password": PASSWORD,
        "password_repeat": PASSWORD,
    }
    data.update(extra)
    return data


def register(
    client: TestClient, opeka: Opeka, *, consents: tuple[str, ...] = (), **extra: object
) -> Account:
    """Register through the form (signing the client in) and return the account."""
    address = str(extra.pop("email", email()))
    _, html = form(client, "/portal/register")
    data = registration_data(html, address, **extra)
    shown = versions(html)
    data["consent"] = list(consents)
    for purpose in consents:
        data[f"version:{purpose}"] = shown[f"version:{purpose}"]
    response = client.post("/portal/register", data=data)
    assert response.status_code == 303, response.text
    return Account(address, subject_of(opeka, address))


def subject_of(opeka: Opeka, address: str) -> uuid.UUID:
    """The subject whose account signs in with ``address``."""
    holder = accounts.find_account(opeka, email=address)
    assert holder is not None
    return uuid.UUID(str(holder.key))


def login(client: TestClient, address: str, password: str = PASSWORD) -> Response:
    """Submit the sign-in form."""
    csrf, _ = form(client, "/portal/login")
    return client.post(
        "/portal/login", data={"csrf_token": csrf, "email": address, "password": password}
    )


def journal(opeka: Opeka, subject_id: uuid.UUID | None = None) -> list[Entry]:
    """The subject's journal entries (or those without a subject), oldest first."""
    with opeka.data_engine.connect() as conn:
        if subject_id is not None:
            return list(select_entries(conn, subject_id=subject_id))
        return [e for e in select_entries(conn) if e.subject_id is None]


def text(response: Response) -> str:
    """The page's text without tags and extra whitespace."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
