"""``/api/v1/requests``: register a request received through the API, and read its status."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient
from tests.web.api.support import DUTY, Key, assert_problem, collect

from opeka.requests.clock import moscow_today


def test_a_request_is_registered_now_with_its_due_date(http: TestClient, key: Key) -> None:
    sid = collect(http, key)
    body = {"kind": "access", "subject_id": str(sid)}
    response = http.post("/api/v1/requests", json=body, headers=key.write(DUTY))
    assert response.status_code == 201, response.text
    opened = response.json()
    assert (opened["kind"], opened["channel"], opened["status"]) == ("access", "api", "received")
    due = dt.date.fromisoformat(opened["due_date"])
    assert moscow_today() < due <= moscow_today() + dt.timedelta(days=31)
    assert opened["effective_due"] == opened["due_date"]
    assert opened["closed_at"] is None
    status = http.get(f"/api/v1/requests/{opened['id']}", headers=key.headers(DUTY))
    assert status.json() == opened


def test_a_request_without_a_subject_is_registered(http: TestClient, key: Key) -> None:
    response = http.post("/api/v1/requests", json={"kind": "question"}, headers=key.write(DUTY))
    assert response.status_code == 201
    assert response.json()["subject_id"] is None


def test_a_withdrawal_naming_no_consent_purpose_is_422(http: TestClient, key: Key) -> None:
    for purposes in ([], ["2.2.7"], ["9.9.9"]):
        body = {"kind": "withdrawal", "purposes": purposes}
        assert_problem(http.post("/api/v1/requests", json=body, headers=key.write(DUTY)), 422)


def test_an_unknown_kind_is_422(http: TestClient, key: Key) -> None:
    body = {"kind": "complaint"}
    assert_problem(http.post("/api/v1/requests", json=body, headers=key.write(DUTY)), 422)


def test_a_request_for_an_unknown_subject_is_404(http: TestClient, key: Key) -> None:
    body = {"kind": "access", "subject_id": str(uuid.uuid4())}
    assert_problem(http.post("/api/v1/requests", json=body, headers=key.write(DUTY)), 404)


def test_an_unknown_request_is_404(http: TestClient, key: Key) -> None:
    response = http.get(f"/api/v1/requests/{uuid.uuid4()}", headers=key.headers(DUTY))
    assert_problem(response, 404)
