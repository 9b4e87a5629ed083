"""Helpers of the REST API tests: keys, headers, subjects collected through the API, the journal."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import httpx2
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.cli.support import journal_entries

from opeka.app import Opeka
from opeka.auth import apikeys
from opeka.auth.apikeys import ApiClient, Scope
from opeka.auth.context import Auth
from opeka.db.subjects import subject
from opeka.journal.entry import Entry

PROBLEM = "application/problem+json"
CONTRACT = "2.2.7"
DUTY = "legal.subject_rights"
PROBLEM_MEMBERS = {"type", "status", "title", "title_en", "detail", "detail_en", "instance"}


@dataclass(frozen=True, slots=True)
class Key:
    """An API client and its token."""

    client: ApiClient
    token: str

    def headers(self, purpose: str | None = CONTRACT, *, key: str | None = None) -> dict[str, str]:
        """Authorization, purpose and (for writes) idempotency headers."""
        found = {"Authorization": f"Bearer {self.token}"}
        if purpose is not None:
            found["X-Opeka-Purpose"] = purpose
        if key is not None:
            found["Idempotency-Key"] = key
        return found

    def write(self, purpose: str | None = CONTRACT) -> dict[str, str]:
        """Headers of a write with a fresh idempotency key."""
        return self.headers(purpose, key=str(uuid.uuid4()))

    @property
    def actor(self) -> str:
        """The journal's name for the client."""
        return f"api:{self.client.id}"


def make_key(
    opeka: Opeka,
    *,
    scopes: Iterable[Scope] = tuple(Scope),
    purposes: Iterable[str] = (CONTRACT, DUTY, "2.2.8"),
) -> Key:
    """A new API client with ``scopes`` and ``purposes``."""
    with opeka.data_engine.begin() as conn:
        client, token = apikeys.create_api_key(
            conn,
            auth=Auth.from_opeka(opeka),
            name="сайт",
            scopes=list(scopes),
            purposes=list(purposes),
        )
    return Key(client, token)


def client_body(tag: str | None = None, **values: str) -> dict[str, object]:
    """The body collecting a client (category client, purpose 2.2.7); ``tag`` is the source."""
    tag = tag or unique()
    return {
        "category": "client",
        "values": {
            "last_name": "Тестова",
            "first_name": "Анна",
            "organization": "ООО «Пример»",
            "email": f"{tag}@example.org",
        }
        | values,
        "source": f"форма {tag}",
    }


def unique() -> str:
    """A fresh tag of lowercase letters (tests share one store per backend; no digit runs)."""
    return "t" + uuid.uuid4().hex[:16].translate(str.maketrans("0123456789", "ghijklmnop"))


def collect(http: TestClient, key: Key, **values: str) -> uuid.UUID:
    """Collect a client through the API; its pseudonymous id."""
    response = http.post("/api/v1/subjects", json=client_body(**values), headers=key.write())
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


def subjects_from(opeka: Opeka, source: str) -> int:
    """How many subjects were collected with ``source``."""
    with opeka.data_engine.connect() as conn:
        return int(
            conn.execute(select(func.count()).where(subject.c.source == source)).scalar_one()
        )


def entries(opeka: Opeka, *, actor: str, subject_id: uuid.UUID | None = None) -> list[Entry]:
    """The journal entries of ``actor`` (about ``subject_id`` if given), oldest first."""
    return [
        e
        for e in journal_entries(opeka)
        if e.actor == actor and (subject_id is None or e.subject_id == subject_id)
    ]


def assert_problem(
    response: httpx2.Response, status: int, *, clause: str | None = None
) -> Mapping[str, object]:
    """The response is an RFC 9457 problem of ``status`` in both languages; its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, object] = response.json()
    assert set(body) - {"clause"} <= PROBLEM_MEMBERS
    assert body["status"] == status
    assert str(body["type"]).startswith("https://")
    for member in ("title", "title_en", "detail", "detail_en"):
        assert isinstance(body.get(member), str), member
        assert body[member], member
    assert body["title"] != body["title_en"]
    if clause is not None:
        assert body.get("clause") == clause
    return body
