"""Idempotency keys: a retried write is answered from the first, never executed twice."""

from __future__ import annotations

import json
import threading
import uuid

import httpx2
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.web.api.support import (
    CONTRACT,
    Key,
    assert_problem,
    client_body,
    entries,
    make_key,
    subjects_from,
)

from opeka.app import Opeka
from opeka.db.idempotency import api_idempotency


def post(
    http: TestClient, key: Key, body: object, idem: str, purpose: str = CONTRACT
) -> httpx2.Response:
    return http.post("/api/v1/subjects", json=body, headers=key.headers(purpose, key=idem))


def test_a_replay_returns_the_same_id_and_creates_one_subject(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    body, idem = client_body(), str(uuid.uuid4())
    first = post(http, key, body, idem)
    again = post(http, key, body, idem)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert subjects_from(shared, str(body["source"])) == 1
    sid = uuid.UUID(first.json()["id"])
    assert [e.action for e in entries(shared, actor=key.actor, subject_id=sid)] == ["сбор"]


def test_a_replay_ignores_member_order_and_whitespace(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    body, idem = client_body(), str(uuid.uuid4())
    first = post(http, key, body, idem)
    reordered = json.dumps(dict(reversed(list(body.items()))), ensure_ascii=False, indent=3)
    headers = key.headers(key=idem) | {"Content-Type": "application/json"}
    again = http.post("/api/v1/subjects", content=reordered.encode(), headers=headers)
    assert again.json() == first.json()
    assert subjects_from(shared, str(body["source"])) == 1


def test_reusing_a_key_for_another_request_is_422_and_creates_nothing(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    idem = str(uuid.uuid4())
    assert post(http, key, client_body(), idem).status_code == 201
    other = client_body()
    assert_problem(post(http, key, other, idem), 422)
    assert subjects_from(shared, str(other["source"])) == 0


def test_reusing_a_key_for_another_path_is_422(http: TestClient, key: Key) -> None:
    idem = str(uuid.uuid4())
    assert post(http, key, client_body(), idem).status_code == 201
    response = http.post("/api/v1/requests", json={"kind": "access"}, headers=key.headers(key=idem))
    assert_problem(response, 422)


def test_a_write_without_a_key_is_422(http: TestClient, key: Key) -> None:
    response = http.post("/api/v1/subjects", json=client_body(), headers=key.headers())
    assert "idempotency-key" in str(assert_problem(response, 422)["detail_en"]).lower()


def test_a_key_longer_than_200_characters_is_422(http: TestClient, key: Key) -> None:
    assert_problem(post(http, key, client_body(), "k" * 201), 422)
    assert post(http, key, client_body(), "k" + uuid.uuid4().hex * 6).status_code == 201


def test_a_refused_write_leaves_its_key_free(http: TestClient, shared: Opeka, key: Key) -> None:
    idem = str(uuid.uuid4())
    assert_problem(post(http, key, client_body(), idem, purpose="2.2.8"), 403)
    body = client_body()
    assert post(http, key, body, idem).status_code == 201
    assert subjects_from(shared, str(body["source"])) == 1


def test_keys_belong_to_one_client(http: TestClient, shared: Opeka, key: Key) -> None:
    other = make_key(shared)
    body, idem = client_body(), str(uuid.uuid4())
    first, second = post(http, key, body, idem), post(http, other, body, idem)
    assert first.json()["id"] != second.json()["id"]
    assert subjects_from(shared, str(body["source"])) == 2


def test_the_table_keeps_no_key_and_no_personal_data(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    body, idem = client_body(), "order-" + uuid.uuid4().hex
    post(http, key, body, idem)
    with shared.data_engine.connect() as conn:
        [row] = conn.execute(
            select(api_idempotency).where(api_idempotency.c.client_id == key.client.id)
        ).all()
    stored = repr(tuple(row))
    values = body["values"]
    assert isinstance(values, dict)
    assert idem not in stored
    assert values["email"] not in stored
    assert "Тестова" not in stored
    assert set(json.loads(row.response)) == {"id", "consent_record_id"}


def test_concurrent_duplicates_execute_exactly_once(app: FastAPI, shared: Opeka, key: Key) -> None:
    """SQLite serialises writers (the others replay); on PostgreSQL the others answer 409."""
    body, idem = client_body(), str(uuid.uuid4())
    answers: list[httpx2.Response] = []
    start = threading.Barrier(4)

    def send() -> None:
        with TestClient(app, raise_server_exceptions=False) as client:
            start.wait()
            answers.append(post(client, key, body, idem))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert subjects_from(shared, str(body["source"])) == 1
    assert {a.status_code for a in answers} <= {201, 409}
    assert len({a.json()["id"] for a in answers if a.status_code == 201}) == 1
    executed = [
        a for a in answers if a.status_code == 201 and "idempotent-replayed" not in a.headers
    ]
    assert len(executed) == 1
