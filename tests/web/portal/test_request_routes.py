"""«Мои запросы» and «Получить копию моих данных»: the list, the access request, and the
one-time links (single use, the owner only, journaled, answering the request)."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.web.console.support import personal_data_in_urls
from tests.web.portal.support import form, journal, new_client, register, text

from opeka.app import Opeka
from opeka.db.requests import subject_request
from opeka.documents.access_package import READ_REASON
from opeka.processing import Actor
from opeka.requests import extension, service
from opeka.requests.clock import moscow_today
from opeka.requests.store import RequestRow

LINK = re.compile(r'href="(/portal/downloads/[^"]+)"')
STAFF = Actor.staff("operator")


def ask_for_copy(client: TestClient) -> tuple[str, str]:
    """POST the form; the (PDF, JSON) links of the answer."""
    csrf, _ = form(client, "/portal/requests")
    answer = client.post("/portal/requests/access", data={"csrf_token": csrf})
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    pdf, json_link = LINK.findall(answer.text)
    return pdf, json_link


def access_requests(opeka: Opeka, subject_id: uuid.UUID) -> list[dict[str, object]]:
    """The subject's access requests as stored."""
    r = subject_request.c
    with opeka.data_engine.connect() as conn:
        rows = conn.execute(
            select(subject_request).where(r.subject_id == subject_id, r.kind == "access")
        )
        return [dict(row._mapping) for row in rows]


def package_reads(opeka: Opeka, subject_id: uuid.UUID) -> int:
    """How many times the access package was read for the subject."""
    return sum(
        1
        for e in journal(opeka, subject_id)
        if e.action == "извлечение" and e.reason == READ_REASON
    )


def paper_request(opeka: Opeka, subject_id: uuid.UUID, kind: str = "rectification") -> RequestRow:
    with opeka.unit_of_work() as uow:
        return service.open_request(
            uow,
            kind=kind,
            channel="paper",
            received_at=dt.datetime.now(dt.UTC),
            subject_id=subject_id,
            actor=STAFF,
        )


def test_my_requests_lists_the_subjects_requests_in_russian(
    client: TestClient, app: FastAPI, opeka: Opeka
) -> None:
    account = register(client, opeka)
    other = register(new_client(app), opeka)
    mine = paper_request(opeka, account.subject_id)
    access = paper_request(opeka, account.subject_id, kind="access")
    with opeka.unit_of_work() as uow:
        notice = extension.extend(
            uow, request_id=access.id, reason="сбор сведений", actor=STAFF, today=moscow_today()
        )
    theirs = paper_request(opeka, other.subject_id)
    page = client.get("/portal/requests")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    body = text(page)
    assert mine.number in body
    assert "уточнение данных" in body
    assert "предоставление сведений" in body
    assert moscow_today().strftime("%d.%m.%Y") in body
    assert mine.due_date.strftime("%d.%m.%Y") in body
    assert f"{notice.extended_due.strftime('%d.%m.%Y')} (продлён)" in body
    assert "получен" in body
    assert theirs.number not in body
    assert 'href="/portal/requests" aria-current="page"' in page.text


def test_a_stranger_is_sent_to_sign_in(client: TestClient) -> None:
    answer = client.get("/portal/requests")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/portal/login?next=/portal/requests"


def test_asking_for_a_copy_opens_a_verified_request_and_builds_nothing(
    client: TestClient, opeka: Opeka
) -> None:
    account = register(client, opeka, phone="+7 916 555-44-33")
    csrf, _ = form(client, "/portal/requests")
    answer = client.post("/portal/requests/access", data={"csrf_token": csrf})
    assert answer.status_code == 200
    assert len(LINK.findall(answer.text)) == 2
    operator = f"mailto:{opeka.policy.operator.contact_email}"
    assert [url for url in personal_data_in_urls(answer.text) if url != operator] == []
    assert account.email not in answer.text
    assert "+79165554433" not in answer.text
    (row,) = access_requests(opeka, account.subject_id)
    assert row["channel"] == "portal"
    assert row["status"] == "in_progress"
    assert row["verification_method"] == "portal_session"
    assert str(row["number"]) in text(answer)
    assert package_reads(opeka, account.subject_id) == 0


def test_asking_without_the_csrf_token_is_refused_and_opens_nothing(
    client: TestClient, opeka: Opeka
) -> None:
    account = register(client, opeka)
    answer = client.post("/portal/requests/access", data={})
    assert answer.status_code == 403
    assert access_requests(opeka, account.subject_id) == []


def test_asking_again_reuses_the_open_request(client: TestClient, opeka: Opeka) -> None:
    account = register(client, opeka)
    first = ask_for_copy(client)
    second = ask_for_copy(client)
    assert set(first).isdisjoint(second)
    assert len(access_requests(opeka, account.subject_id)) == 1


def test_the_pdf_link_works_once_is_journaled_and_answers_the_request(
    client: TestClient, opeka: Opeka
) -> None:
    account = register(client, opeka)
    pdf, json_link = ask_for_copy(client)
    answer = client.get(pdf)
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-disposition"] == ('attachment; filename="my-personal-data.pdf"')
    assert package_reads(opeka, account.subject_id) == 1
    (row,) = access_requests(opeka, account.subject_id)
    assert row["status"] == "done"
    assert row["result"] == "сведения предоставлены: пакет скачан в личном кабинете (PDF)"
    again = client.get(pdf)
    assert again.status_code == 410
    assert "уже использована" in again.text
    assert client.get(json_link).status_code == 200  # the other link still works once
    assert package_reads(opeka, account.subject_id) == 2
    assert "исполнен" in text(client.get("/portal/requests"))


def test_the_json_link_holds_the_subjects_values(client: TestClient, opeka: Opeka) -> None:
    account = register(client, opeka)
    _pdf, json_link = ask_for_copy(client)
    answer = client.get(json_link)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-disposition"] == ('attachment; filename="my-personal-data.json"')
    package = json.loads(answer.content)
    assert package["subject_id"] == str(account.subject_id)
    assert account.email in [v["value"] for v in package["values"]]


def test_another_subjects_link_is_not_found_and_stays_usable(
    client: TestClient, app: FastAPI, opeka: Opeka
) -> None:
    owner = register(client, opeka)
    pdf, _json = ask_for_copy(client)
    intruder = new_client(app)
    register(intruder, opeka)
    refused = intruder.get(pdf)
    assert refused.status_code == 404
    assert package_reads(opeka, owner.subject_id) == 0
    assert client.get(pdf).status_code == 200


def test_a_link_opened_signed_out_goes_to_sign_in_and_stays_usable(
    client: TestClient, app: FastAPI, opeka: Opeka
) -> None:
    register(client, opeka)
    pdf, _json = ask_for_copy(client)
    answer = new_client(app).get(pdf)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/portal/login?next=/portal/downloads/")
    assert client.get(pdf).status_code == 200


def test_an_unknown_or_malformed_link_is_not_found(client: TestClient, opeka: Opeka) -> None:
    register(client, opeka)
    assert client.get("/portal/downloads/" + "x" * 43).status_code == 404
    assert client.get("/portal/downloads/" + "x" * 101).status_code == 422
