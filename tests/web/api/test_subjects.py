"""``/api/v1/subjects``: collect, read, rectify, search, block, destruction — and refusals."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from tests.web.api.support import (
    CONTRACT,
    DUTY,
    Key,
    assert_problem,
    client_body,
    collect,
    entries,
    subjects_from,
    unique,
)

from opeka.app import Opeka
from opeka.consent import registry


def current(opeka: Opeka, document_id: str) -> str:
    with opeka.data_engine.connect() as conn:
        found = registry.current(conn, document_id)
    assert found is not None
    return found.version


def test_collect_returns_only_the_pseudonymous_id_and_journals_the_api_client(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    body = client_body()
    response = http.post("/api/v1/subjects", json=body, headers=key.write())
    assert response.status_code == 201, response.text
    assert set(response.json()) == {"id", "consent_record_id"}
    assert response.json()["consent_record_id"] is None
    assert "example.org" not in response.text
    sid = uuid.UUID(response.json()["id"])
    assert subjects_from(shared, str(body["source"])) == 1
    [entry] = entries(shared, actor=key.actor, subject_id=sid)
    assert (entry.action, entry.purpose, entry.result) == ("сбор", CONTRACT, "done")


def test_collect_under_a_consent_purpose_records_the_consent(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    body = client_body() | {
        "consent": {
            "document_id": "consent:2.2.8:client",
            "version": current(shared, "consent:2.2.8:client"),
            "evidence": {"form_id": "question-form", "ip": "203.0.113.7", "user_agent": "UA/1"},
        }
    }
    response = http.post("/api/v1/subjects", json=body, headers=key.write("2.2.8"))
    assert response.status_code == 201, response.text
    record_id = response.json()["consent_record_id"]
    history = http.get(f"/api/v1/subjects/{response.json()['id']}/consents", headers=key.headers())
    assert [r["record_id"] for r in history.json()["records"]] == [record_id]


def test_collect_without_the_consent_a_purpose_needs_is_refused_and_journaled(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    body = client_body()
    response = http.post("/api/v1/subjects", json=body, headers=key.write("2.2.8"))
    assert_problem(response, 403, clause="2.2.8")
    assert subjects_from(shared, str(body["source"])) == 0
    refused = entries(shared, actor=key.actor)[-1]
    assert (refused.action, refused.result, refused.purpose) == ("сбор", "refused", "2.2.8")
    assert "no_legal_basis" in refused.reason


def test_a_consent_sent_for_a_purpose_that_does_not_rest_on_consent_is_refused(
    http: TestClient, key: Key
) -> None:
    body = client_body() | {"consent": {"document_id": "consent:2.2.8:client", "version": "1"}}
    response = http.post("/api/v1/subjects", json=body, headers=key.write(CONTRACT))
    assert_problem(response, 422)


def test_an_invalid_value_is_refused_naming_the_field_without_echoing_the_value(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    bad = "not-an-address-" + unique()
    response = http.post("/api/v1/subjects", json=client_body(email=bad), headers=key.write())
    body = assert_problem(response, 422)
    assert "email" in str(body["detail"])
    assert "email" in str(body["detail_en"])
    assert bad not in response.text


def test_a_missing_mandatory_field_is_refused(http: TestClient, key: Key) -> None:
    body = client_body()
    values = body["values"]
    assert isinstance(values, dict)
    del values["organization"]
    response = http.post("/api/v1/subjects", json=body, headers=key.write())
    assert "organization" in str(assert_problem(response, 422, clause="1.1.1")["detail"])


def test_an_unknown_field_code_is_refused_without_repeating_it(http: TestClient, key: Key) -> None:
    secret = f"{unique()}@example.org"
    for values in ({secret: "Анна"}, {secret: 5}):
        body = client_body() | {"values": values}
        response = http.post("/api/v1/subjects", json=body, headers=key.write())
        assert_problem(response, 422)
        assert secret not in response.text


def test_an_unknown_category_is_refused(http: TestClient, key: Key) -> None:
    body = client_body() | {"category": "employee"}
    response = http.post("/api/v1/subjects", json=body, headers=key.write())
    assert_problem(response, 422)


def test_read_returns_the_values_the_purpose_may_use(http: TestClient, key: Key) -> None:
    sid = collect(http, key, position="инженер")
    everything = http.get(f"/api/v1/subjects/{sid}", headers=key.headers())
    assert everything.status_code == 200, everything.text
    assert everything.json()["values"]["position"] == "инженер"
    some = http.get(f"/api/v1/subjects/{sid}?fields=position,last_name", headers=key.headers())
    assert some.json() == {
        "id": str(sid),
        "values": {"position": "инженер", "last_name": "Тестова"},
    }


def test_a_field_the_purpose_may_not_use_is_refused_with_the_clause_and_journaled(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key, purchase_invoice_number="INV-0000001")
    given = http.post(
        f"/api/v1/subjects/{sid}/consents",
        json={
            "document_id": "consent:2.2.8:client",
            "version": current(shared, "consent:2.2.8:client"),
        },
        headers=key.write("2.2.8"),
    )
    assert given.status_code == 201, given.text
    response = http.get(
        f"/api/v1/subjects/{sid}?fields=purchase_invoice_number", headers=key.headers("2.2.8")
    )
    assert_problem(response, 403, clause="2.2, 2.2.8")
    refused = entries(shared, actor=key.actor, subject_id=sid)[-1]
    assert (refused.action, refused.result) == ("извлечение", "refused")
    assert refused.fields == ("purchase_invoice_number",)


def test_a_field_not_declared_for_the_category_is_refused_with_its_clause(
    http: TestClient, key: Key
) -> None:
    sid = collect(http, key)
    response = http.get(f"/api/v1/subjects/{sid}?fields=birth_date", headers=key.headers())
    assert_problem(response, 403, clause="1.1.4")


def test_an_unknown_subject_is_404(http: TestClient, key: Key) -> None:
    response = http.get(f"/api/v1/subjects/{uuid.uuid4()}", headers=key.headers())
    assert_problem(response, 404)


def test_an_unknown_field_in_the_query_is_refused(http: TestClient, key: Key) -> None:
    sid = collect(http, key)
    response = http.get(f"/api/v1/subjects/{sid}?fields=shoe_size", headers=key.headers())
    assert_problem(response, 422)


def test_rectify_changes_the_value_and_journals_the_reason(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    body = {"values": {"position": "главный инженер"}, "reason": "письмо клиента"}
    response = http.patch(f"/api/v1/subjects/{sid}", json=body, headers=key.write())
    assert response.json() == {"id": str(sid), "updated": ["position"]}
    read = http.get(f"/api/v1/subjects/{sid}?fields=position", headers=key.headers())
    assert read.json()["values"] == {"position": "главный инженер"}
    entry = entries(shared, actor=key.actor, subject_id=sid)[-2]
    assert (entry.action, entry.reason) == ("уточнение", "письмо клиента")


def test_a_reason_holding_an_e_mail_is_refused_without_echo(http: TestClient, key: Key) -> None:
    sid = collect(http, key)
    secret = f"{unique()}@example.org"
    body = {"values": {"position": "директор"}, "reason": f"со слов {secret}"}
    response = http.patch(f"/api/v1/subjects/{sid}", json=body, headers=key.write())
    assert_problem(response, 422)
    assert secret not in response.text


def test_search_finds_by_e_mail_or_phone_sent_in_the_body(http: TestClient, key: Key) -> None:
    tag = unique()
    phone = f"+7 999 {uuid.uuid4().int % 1000:03d}-{uuid.uuid4().int % 100:02d}-11"
    sid = collect(http, key, email=f"{tag}@example.org", phone=phone)
    by_email = http.post(
        "/api/v1/subjects/search",
        json={"email": f"{tag.upper()}@Example.org"},
        headers=key.headers(),
    )
    assert by_email.json() == {"ids": [str(sid)]}
    by_phone = http.post("/api/v1/subjects/search", json={"phone": phone}, headers=key.headers())
    assert str(sid) in by_phone.json()["ids"]


def test_search_needs_exactly_one_of_e_mail_and_phone(http: TestClient, key: Key) -> None:
    for body in ({}, {"email": "a@example.org", "phone": "+7 999 000-00-00"}):
        assert_problem(http.post("/api/v1/subjects/search", json=body, headers=key.headers()), 422)


def test_block_under_the_statutory_purpose_stops_other_purposes(http: TestClient, key: Key) -> None:
    sid = collect(http, key)
    body = {"reason": "требование субъекта о блокировании"}
    blocked = http.post(f"/api/v1/subjects/{sid}/block", json=body, headers=key.write(DUTY))
    assert blocked.json() == {"id": str(sid), "status": "blocked"}
    read = http.get(f"/api/v1/subjects/{sid}", headers=key.headers(CONTRACT))
    assert_problem(read, 403, clause="152-ФЗ ст. 3 п. 6, ст. 21")


def test_block_under_a_non_statutory_purpose_is_refused_and_journaled(
    http: TestClient, shared: Opeka, key: Key
) -> None:
    sid = collect(http, key)
    body = {"reason": "требование субъекта"}
    response = http.post(f"/api/v1/subjects/{sid}/block", json=body, headers=key.write(CONTRACT))
    assert_problem(response, 403, clause="152-ФЗ ст. 20, 21")
    refused = entries(shared, actor=key.actor, subject_id=sid)[-1]
    assert (refused.action, refused.result) == ("блокирование", "refused")


def test_a_destruction_request_is_registered_with_its_due_date(http: TestClient, key: Key) -> None:
    sid = collect(http, key)
    response = http.post(f"/api/v1/subjects/{sid}/destruction-request", headers=key.write(DUTY))
    assert response.status_code == 201, response.text
    opened = response.json()
    assert (opened["kind"], opened["channel"], opened["status"]) == (
        "destruction",
        "api",
        "received",
    )
    assert opened["subject_id"] == str(sid)
    status = http.get(f"/api/v1/requests/{opened['id']}", headers=key.headers(DUTY))
    assert status.json() == opened


def test_a_destruction_request_for_an_unknown_subject_is_404(http: TestClient, key: Key) -> None:
    response = http.post(
        f"/api/v1/subjects/{uuid.uuid4()}/destruction-request", headers=key.write(DUTY)
    )
    assert_problem(response, 404)
