"""«Мои данные» pages: view, edit (уточнение in the journal), JSON download."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.portal.support import email, form, journal, new_client, register, text

from opeka.app import Opeka
from opeka.web.portal.support import NO_STORE


def _edit(client: TestClient, **changes: str) -> tuple[int, str]:
    csrf, html = form(client, "/portal/me/edit")
    data = {"csrf_token": csrf, "last_name": "Петрова", "first_name": "Ольга"}
    data["email"] = html.split('name="email"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    data.update(changes)
    response = client.post("/portal/me/edit", data=data)
    return response.status_code, response.text


def test_my_data_shows_values_purposes_source_and_recipients(
    client: TestClient, opeka: Opeka
) -> None:
    account = register(client, opeka, consents=("2.2.5",), phone="+7 916 111-22-33")
    page = client.get("/portal/me")
    assert page.status_code == 200
    assert page.headers["cache-control"] == NO_STORE
    body = text(page)
    assert "+79161112233" in body
    assert "Исполнение заказов, договоров и иных обязательств" in body
    assert "портал: регистрация" in body
    assert "Правообладатели программного обеспечения" in body
    assert journal(opeka, account.subject_id)[-1].action == "извлечение"


def test_editing_the_phone_is_journaled_as_rectification(client: TestClient, opeka: Opeka) -> None:
    account = register(client, opeka, phone="+7 916 111-22-33")
    status, _ = _edit(client, phone="+7 916 444-55-66")
    assert status == 303
    assert "+79164445566" in client.get("/portal/me").text
    (update,) = [e for e in journal(opeka, account.subject_id) if e.action == "уточнение"]
    assert update.fields == ("phone",)
    assert update.reason == "уточнение по заявлению субъекта (портал)"
    assert update.actor == f"subject:{account.subject_id}"


def test_an_invalid_phone_names_the_field_without_echoing_it(
    client: TestClient, opeka: Opeka
) -> None:
    account = register(client, opeka, phone="+7 916 111-22-33")
    status, html = _edit(client, phone="call-me-ZQ")
    assert status == 422
    assert "call-me-ZQ" not in html
    assert "Контактный телефон" in html
    assert "+79161112233" in client.get("/portal/me").text
    assert not [
        e
        for e in journal(opeka, account.subject_id)
        if e.action == "уточнение" and e.result == "done"
    ]


def test_emptying_a_mandatory_field_is_refused(client: TestClient, opeka: Opeka) -> None:
    register(client, opeka)
    status, html = _edit(client, last_name="")
    assert status == 422
    assert "Фамилия: обязательное поле" in html


def test_the_email_of_another_account_is_refused(
    app: FastAPI, client: TestClient, opeka: Opeka
) -> None:
    taken = email("taken")
    with new_client(app) as other:
        register(other, opeka, email=taken)
    register(client, opeka)
    status, html = _edit(client, email=taken)
    assert status == 409
    assert taken not in html


def test_an_edit_without_csrf_is_refused(client: TestClient, opeka: Opeka) -> None:
    register(client, opeka)
    response = client.post("/portal/me/edit", data={"last_name": "Х", "first_name": "Y"})
    assert response.status_code == 403


def test_the_download_is_a_json_attachment_never_cached(client: TestClient, opeka: Opeka) -> None:
    account = register(client, opeka, consents=("2.2.2",), city="Тула")
    response = client.get("/portal/me/download")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == NO_STORE
    copy = json.loads(response.content)
    assert copy["subject"]["id"] == str(account.subject_id)
    values = {f["code"]: f["value"] for f in copy["fields"]}
    assert values["city"] == "Тула"
    assert values["email"] == account.email
    assert "2.2.2" in copy["purposes"]
    assert copy["sources"] == ["портал: регистрация"]
    assert [c["purpose"] for c in copy["consents"]] == ["2.2.2"]
    assert journal(opeka, account.subject_id)[-1].action == "извлечение"
