"""Who may call: the API key, its scopes, the purposes it may state — each refusal by name."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from tests.web.api.support import (
    CONTRACT,
    Key,
    assert_problem,
    client_body,
    collect,
    entries,
    make_key,
    subjects_from,
)

from opeka.app import Opeka
from opeka.auth import apikeys
from opeka.auth.apikeys import Scope


def test_a_call_without_a_key_is_401(http: TestClient) -> None:
    response = http.get(f"/api/v1/subjects/{uuid.uuid4()}", headers={"X-Opeka-Purpose": "2.2.7"})
    assert_problem(response, 401)


def test_a_malformed_key_is_401(http: TestClient, key: Key) -> None:
    headers = key.headers() | {"Authorization": "Bearer opk_nonsense"}
    assert_problem(http.get(f"/api/v1/subjects/{uuid.uuid4()}", headers=headers), 401)


def test_a_revoked_key_is_401(http: TestClient, shared: Opeka, key: Key) -> None:
    sid = collect(http, key)
    with shared.data_engine.begin() as conn:
        apikeys.revoke(conn, client_id=key.client.id)
    body = assert_problem(http.get(f"/api/v1/subjects/{sid}", headers=key.headers()), 401)
    assert body["detail_en"] == "the API key was revoked"


def test_a_key_without_the_scope_is_403_and_changes_nothing(
    http: TestClient, shared: Opeka
) -> None:
    reader = make_key(shared, scopes=[Scope.SUBJECTS_READ])
    body = client_body()
    response = http.post("/api/v1/subjects", json=body, headers=reader.write())
    assert "subjects:write" in str(assert_problem(response, 403)["detail_en"])
    assert subjects_from(shared, str(body["source"])) == 0


def test_a_purpose_the_key_may_not_state_is_403_and_journaled(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    narrow = make_key(shared, purposes=["2.2.8"])
    response = http.get(f"/api/v1/subjects/{sid}", headers=narrow.headers(CONTRACT))
    assert "2.2.7" in str(assert_problem(response, 403)["detail_en"])
    [refused] = entries(shared, actor=narrow.actor, subject_id=sid)
    assert (refused.action, refused.result, refused.purpose) == ("извлечение", "refused", CONTRACT)
    assert refused.reason.startswith("purpose_denied")


def test_a_purpose_the_policy_does_not_declare_is_403_with_the_clause_and_journaled(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    response = http.get(f"/api/v1/subjects/{sid}", headers=key.headers("9.9.9"))
    assert_problem(response, 403, clause="2.2")
    [refused] = entries(shared, actor=key.actor, subject_id=sid)[-1:]
    assert (refused.result, refused.purpose) == ("refused", "")
    assert refused.reason.startswith("unknown_purpose")


def test_a_call_without_a_purpose_is_422(http: TestClient, key: Key) -> None:
    response = http.get(f"/api/v1/subjects/{uuid.uuid4()}", headers=key.headers(None))
    assert "x-opeka-purpose" in str(assert_problem(response, 422)["detail_en"]).lower()


def test_a_write_journals_the_api_client_as_its_actor(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    http.get(f"/api/v1/subjects/{sid}?fields=email", headers=key.headers())
    actions = [e.action for e in entries(shared, actor=key.actor, subject_id=sid)]
    assert actions == ["сбор", "извлечение"]
