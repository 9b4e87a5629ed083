"""The subject read's fast path answers exactly as the route does, or leaves it to the route."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.api.support import CONTRACT, Key, collect, entries, make_key

from opeka.app import Opeka
from opeka.auth.apikeys import Scope
from opeka.web import api
from opeka.web.app import create_app


@pytest.fixture(scope="module")
def routed(shared: Opeka) -> Iterator[TestClient]:
    """The same API without the fast path: every read goes through the router."""
    app: FastAPI = create_app(shared, periodic=False, routers=[api.router], read_fast_path=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def cases(sid: uuid.UUID, key: Key, narrow: Key) -> list[tuple[str, dict[str, str]]]:
    """Reads the fast path answers itself, and reads it must leave to the route."""
    path = f"/api/v1/subjects/{sid}"
    return [
        (path, key.headers()),
        (f"{path}?fields=email", key.headers()),
        (f"{path}?fields=email,last_name", key.headers()),
        (f"{path}?fields=shoe_size", key.headers()),
        (f"{path}?fields=birth_date", key.headers()),
        (f"{path}?fields=", key.headers()),
        (f"{path}?fields=EMAIL", key.headers()),
        (f"{path}?fields=email&fields=phone", key.headers()),
        (f"{path}?other=1", key.headers()),
        (path, {"X-Opeka-Purpose": CONTRACT}),
        (path, {"Authorization": "Bearer opk_nope_nope", "X-Opeka-Purpose": CONTRACT}),
        (path, {"Authorization": "Basic x", "X-Opeka-Purpose": CONTRACT}),
        (path, key.headers(None)),
        (path, key.headers("9.9.9")),
        (path, key.headers("2.2.1 ")),
        (path, key.headers("legal.subject_rights")),
        (path, narrow.headers()),
        (f"/api/v1/subjects/{uuid.uuid4()}", key.headers()),
        (f"/api/v1/subjects/{str(sid).upper()}", key.headers()),
        (f"/api/v1/subjects/{sid.hex}", key.headers()),
        ("/api/v1/subjects/not-a-uuid", key.headers()),
    ]


def test_every_read_gets_the_same_answer_with_and_without_the_fast_path(
    http: TestClient, routed: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    narrow = make_key(shared, scopes=[Scope.SUBJECTS_WRITE], purposes=[CONTRACT])
    for path, headers in cases(sid, key, narrow):
        fast, slow = http.get(path, headers=headers), routed.get(path, headers=headers)
        assert (fast.status_code, fast.json()) == (slow.status_code, slow.json()), path
        assert fast.headers["content-type"] == slow.headers["content-type"], path
        assert fast.headers["content-security-policy"] == slow.headers["content-security-policy"]


def test_a_fast_read_is_journaled_as_an_extraction_by_the_client(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    assert (
        http.get(f"/api/v1/subjects/{sid}?fields=email", headers=key.headers()).status_code == 200
    )
    last = entries(shared, actor=key.actor, subject_id=sid)[-1]
    assert (last.action, last.result, last.fields) == ("извлечение", "done", ("email",))


def test_a_fast_read_refused_for_its_purpose_is_journaled(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    narrow = make_key(shared, purposes=["2.2.8"])
    assert http.get(f"/api/v1/subjects/{sid}", headers=narrow.headers()).status_code == 403
    last = entries(shared, actor=narrow.actor, subject_id=sid)[-1]
    assert (last.action, last.result) == ("извлечение", "refused")
