"""Consents through the API: give, history, signed receipts, withdrawal and what follows it."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.web.api.support import DUTY, Key, assert_problem, collect, entries

from opeka.app import Opeka
from opeka.consent import receipts, registry, signing
from opeka.db.requests import scheduled_action, subject_request
from opeka.processing import subjects

DOCUMENT = "consent:2.2.8:client"


def version(opeka: Opeka) -> str:
    with opeka.data_engine.connect() as conn:
        found = registry.current(conn, DOCUMENT)
    assert found is not None
    return found.version


def give(http: TestClient, opeka: Opeka, key: Key, sid: uuid.UUID) -> str:
    body = {"document_id": DOCUMENT, "version": version(opeka), "evidence": {"form_id": "f-1"}}
    response = http.post(f"/api/v1/subjects/{sid}/consents", json=body, headers=key.write("2.2.8"))
    assert response.status_code == 201, response.text
    return str(response.json()["record_id"])


def withdraw(http: TestClient, key: Key, sid: uuid.UUID, purposes: object) -> dict[str, object]:
    response = http.post(
        f"/api/v1/subjects/{sid}/consents/withdraw",
        json={"purposes": purposes},
        headers=key.write("2.2.8"),
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def requests_of(opeka: Opeka, sid: uuid.UUID) -> list[str]:
    with opeka.data_engine.connect() as conn:
        rows = conn.execute(
            select(subject_request.c.status).where(subject_request.c.subject_id == sid)
        )
        return [row.status for row in rows]


def test_giving_consent_records_it_in_the_history(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    record_id = give(http, shared, key, sid)
    history = http.get(f"/api/v1/subjects/{sid}/consents", headers=key.headers("2.2.8"))
    [record] = history.json()["records"]
    assert (record["record_id"], record["event"], record["purpose"]) == (
        record_id,
        "given",
        "2.2.8",
    )
    assert record["channel"] == "api"
    assert "evidence" not in record
    assert "form_id" not in history.text


def test_the_receipt_is_signed_and_verifies(http: TestClient, shared: Opeka, key: Key) -> None:
    record_id = give(http, shared, key, collect(http, key))
    response = http.get(f"/api/v1/consents/receipts/{record_id}", headers=key.headers("2.2.8"))
    assert response.status_code == 200, response.text
    public = signing.public_key(shared.settings.keys_dir)
    with shared.data_engine.connect() as conn:
        summary = receipts.verify_receipt(response.json(), public, registry.hash_lookup(conn))
    assert (summary.record_id, summary.event, summary.purposes) == (record_id, "given", ("2.2.8",))


def test_an_unknown_document_version_is_404(http: TestClient, key: Key) -> None:
    sid = collect(http, key)
    body = {"document_id": DOCUMENT, "version": "1900.1+deadbeef"}
    response = http.post(f"/api/v1/subjects/{sid}/consents", json=body, headers=key.write())
    assert_problem(response, 404)


def test_an_unknown_receipt_is_404(http: TestClient, key: Key) -> None:
    response = http.get(f"/api/v1/consents/receipts/{uuid.uuid4()}", headers=key.headers())
    assert_problem(response, 404)


def test_the_history_of_an_unknown_subject_is_404(http: TestClient, key: Key) -> None:
    response = http.get(f"/api/v1/subjects/{uuid.uuid4()}/consents", headers=key.headers())
    assert_problem(response, 404)


def test_withdrawing_one_consent_keeps_the_contract_basis(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    give(http, shared, key, sid)
    done = withdraw(http, key, sid, ["2.2.8"])
    assert done == {
        "withdrawn": ["2.2.8"],
        "remaining_basis": True,
        "blocked": False,
        "request_id": None,
        "request_number": None,
        "destruction_due": None,
    }
    read = http.get(f"/api/v1/subjects/{sid}?fields=email", headers=key.headers("2.2.8"))
    assert_problem(read, 403, clause="2.2.8")
    assert requests_of(shared, sid) == []


def test_withdrawing_all_blocks_and_schedules_destruction_through_a_request(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    give(http, shared, key, sid)
    done = withdraw(http, key, sid, "all")
    assert (done["withdrawn"], done["remaining_basis"], done["blocked"]) == (["2.2.8"], False, True)
    with shared.data_engine.connect() as conn:
        assert subjects.load(conn, sid).status is subjects.Status.BLOCKED
        action = conn.execute(
            select(scheduled_action).where(scheduled_action.c.subject_id == sid)
        ).one()
    assert str(action.request_id) == done["request_id"]
    assert action.due_date.isoformat() == done["destruction_due"]
    status = http.get(f"/api/v1/requests/{done['request_id']}", headers=key.headers(DUTY))
    assert (status.json()["kind"], status.json()["status"]) == ("withdrawal", "in_progress")
    actions = [e.action for e in entries(shared, actor=key.actor, subject_id=sid)]
    assert "блокирование" in actions


def test_withdrawing_again_registers_no_second_request(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    withdraw(http, key, sid, "all")
    again = withdraw(http, key, sid, "all")
    assert (again["blocked"], again["request_id"]) == (False, None)
    assert requests_of(shared, sid) == ["in_progress"]


def test_a_replayed_withdrawal_answers_the_same_request(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    headers = key.write("2.2.8")
    path = f"/api/v1/subjects/{sid}/consents/withdraw"
    first = http.post(path, json={"purposes": "all"}, headers=headers)
    again = http.post(path, json={"purposes": "all"}, headers=headers)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert requests_of(shared, sid) == ["in_progress"]


def test_withdrawing_a_purpose_that_does_not_rest_on_consent_is_422(
    http: TestClient, key: Key
) -> None:
    sid = collect(http, key)
    path = f"/api/v1/subjects/{sid}/consents/withdraw"
    for purposes in (["2.2.7"], ["9.9.9"]):
        response = http.post(path, json={"purposes": purposes}, headers=key.write())
        assert_problem(response, 422)
