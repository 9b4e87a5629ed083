"""Visitor forms: a question (2.2.8) and event registration (2.2.9), each with its consent."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.web.portal.support import email, form, journal, text

from opeka.app import Opeka
from opeka.consent import grants
from opeka.db.subjects import subject
from opeka.mail.mailers import MemoryMailer


def _subjects(opeka: Opeka) -> int:
    with opeka.data_engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(subject)).scalar_one())


def _data(html: str, **extra: str) -> dict[str, str]:
    found = re.search(r'name="version" value="([^"]+)"', html)
    assert found is not None
    data = {
        "csrf_token": re.findall(r'name="csrf_token" value="([^"]+)"', html)[0],
        "first_name": "Анна",
        "email": email("visitor"),
        "version": found.group(1),
        "consent": "yes",
    }
    data.update(extra)
    return data


def test_the_question_form_asks_only_its_declared_fields_with_an_unticked_consent(
    client: TestClient,
) -> None:
    page = client.get("/portal/question")
    assert page.status_code == 200
    names = re.findall(r'<input id="f-(\w+)"', page.text)
    assert names == [
        "last_name",
        "first_name",
        "patronymic",
        "phone",
        "organization",
        "position",
        "email",
    ]
    assert 'name="question"' in page.text
    (box,) = re.findall(r'<input type="checkbox"[^>]*name="consent"[^>]*>', page.text)
    assert "checked" not in box
    assert "consent:2.2.8:visitor" in page.text or "consent-2-2-8-visitor" in page.text


def test_a_question_is_collected_with_its_consent_and_mailed(
    client: TestClient, opeka: Opeka, mailer: MemoryMailer
) -> None:
    _, html = form(client, "/portal/question")
    sent = len(mailer.sent)
    data = _data(html, question="Есть ли скидка для школ?", bank_card_token="tok_forged_123")
    response = client.post("/portal/question", data=data)
    assert response.status_code == 303
    assert response.headers["location"] == "/portal/sent?form=question"
    (mail,) = mailer.sent[sent:]
    assert "Есть ли скидка для школ?" in mail.text
    subject_id = re.search(r"Субъект: ([0-9a-f-]{36})", mail.text)
    assert subject_id is not None
    entries = journal(opeka, uuid.UUID(subject_id.group(1)))
    (collect,) = [e for e in entries if e.action == "сбор"]
    assert collect.fields == ("email", "first_name")
    assert collect.purpose == "2.2.8"
    assert "Спасибо" in text(client.get(response.headers["location"]))


def test_without_the_tick_nothing_is_collected(
    client: TestClient, opeka: Opeka, mailer: MemoryMailer
) -> None:
    _, html = form(client, "/portal/question")
    data = _data(html, question="Вопрос")
    del data["consent"]
    before, sent = _subjects(opeka), len(mailer.sent)
    response = client.post("/portal/question", data=data)
    assert response.status_code == 422
    assert "Без согласия" in text(response)
    assert _subjects(opeka) == before
    assert len(mailer.sent) == sent


def test_an_invalid_email_names_the_field_without_echoing_it(
    client: TestClient, opeka: Opeka
) -> None:
    _, html = form(client, "/portal/question")
    before = _subjects(opeka)
    response = client.post(
        "/portal/question", data=_data(html, email="zq-no-at-sign", question="?")
    )
    assert response.status_code == 422
    assert "zq-no-at-sign" not in response.text
    assert "Адрес электронной почты" in text(response)
    assert _subjects(opeka) == before


def test_an_empty_question_is_refused(client: TestClient, opeka: Opeka) -> None:
    _, html = form(client, "/portal/question")
    before = _subjects(opeka)
    assert client.post("/portal/question", data=_data(html, question=" ")).status_code == 422
    assert _subjects(opeka) == before


def test_visitor_forms_need_csrf(client: TestClient) -> None:
    _, html = form(client, "/portal/question")
    for path in ("/portal/question", "/portal/event"):
        data = _data(html, question="?", event="licensing-day-2026")
        del data["csrf_token"]
        assert client.post(path, data=data).status_code == 403


def test_visitor_forms_are_rate_limited_per_address(client: TestClient) -> None:
    _, html = form(client, "/portal/question")
    statuses = [
        client.post("/portal/question", data=_data(html, question=" ")).status_code
        for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]


def test_event_registration_collects_the_visitor_for_the_chosen_event(
    client: TestClient, opeka: Opeka
) -> None:
    page = client.get("/portal/event")
    assert page.status_code == 200
    assert re.findall(r'<option value="([\w-]+)"', page.text) == [
        "webinar-152fz-2026",
        "licensing-day-2026",
        "office-workshop-2026",
    ]
    names = re.findall(r'<input id="f-(\w+)"', page.text)
    assert "birth_date" in names
    assert "delivery_address" not in names
    response = client.post(
        "/portal/event", data=_data(page.text, event="office-workshop-2026", city="Псков")
    )
    assert response.status_code == 303
    with opeka.data_engine.connect() as conn:
        row = conn.execute(
            select(subject.c.id, subject.c.category)
            .where(subject.c.source == "портал: регистрация на мероприятие office-workshop-2026")
            .order_by(subject.c.created_at.desc())
        ).first()
        assert row is not None
        assert row.category == "visitor"
        assert grants.active_purposes(conn, subject_id=row.id) == {"2.2.9"}


def test_an_unknown_event_is_refused(client: TestClient, opeka: Opeka) -> None:
    _, html = form(client, "/portal/event")
    before = _subjects(opeka)
    response = client.post("/portal/event", data=_data(html, event="no-such-event"))
    assert response.status_code == 422
    assert _subjects(opeka) == before
