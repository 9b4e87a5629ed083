"""Registration pages: fields and mandatory marks from the policy, separate unticked consents."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.web.portal.support import (
    email,
    form,
    register,
    registration_data,
    text,
)

from opeka.app import Opeka
from opeka.consent import grants, store
from opeka.db.subjects import subject
from opeka.web.portal.support import NO_STORE


def _subjects(opeka: Opeka) -> int:
    with opeka.data_engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(subject)).scalar_one())


def test_the_form_lists_the_registered_fields_with_mandatory_marks(client: TestClient) -> None:
    page = client.get("/portal/register")
    assert page.status_code == 200
    assert page.headers["cache-control"] == NO_STORE
    names = re.findall(r'<input id="f-(\w+)" name="\w+"', page.text)
    assert names == [
        "last_name",
        "first_name",
        "patronymic",
        "phone",
        "mobile_phone",
        "delivery_address",
        "fax",
        "organization",
        "position",
        "email",
        "country",
        "city",
        "region",
        "password",
        "password_repeat",
    ]
    required = re.findall(r'id="f-(\w+)"[^>]* required aria-required="true"', page.text)
    assert required == ["last_name", "first_name", "email", "password", "password_repeat"]
    assert "bank_card" not in page.text


def test_each_consent_is_its_own_document_with_its_own_unticked_box(client: TestClient) -> None:
    page = client.get("/portal/register").text
    boxes = re.findall(
        r'<input type="checkbox" id="cb-[\w-]+" name="consent" value="([\d.]+)"([^>]*)>', page
    )
    assert [purpose for purpose, _ in boxes] == ["2.2.2", "2.2.3", "2.2.5", "2.2.8", "2.2.9"]
    assert all("checked" not in rest for _, rest in boxes)
    assert page.count('<section class="consent-box"') == 5
    assert page.count('<article class="consent-document"') == 5


def test_registration_without_consents_creates_the_account_and_signs_in(
    client: TestClient, opeka: Opeka
) -> None:
    account = register(client, opeka)
    assert client.cookies.get("opeka_session")
    me = client.get("/portal/me")
    assert me.status_code == 200
    assert account.email in me.text
    with opeka.data_engine.connect() as conn:
        assert grants.active_purposes(conn, subject_id=account.subject_id) == frozenset()


def test_ticked_consents_are_recorded_through_the_portal(client: TestClient, opeka: Opeka) -> None:
    account = register(client, opeka, consents=("2.2.3", "2.2.9"))
    with opeka.data_engine.connect() as conn:
        records = store.history(conn, subject_id=account.subject_id)
    assert [(r.purpose, r.channel) for r in records] == [("2.2.3", "portal"), ("2.2.9", "portal")]
    assert records[0].evidence.form_id == "portal:register"
    assert records[0].evidence.ip_prefix is not None


def test_registration_without_csrf_is_refused(client: TestClient, opeka: Opeka) -> None:
    _, html = form(client, "/portal/register")
    data = registration_data(html, email())
    del data["csrf_token"]
    before = _subjects(opeka)
    response = client.post("/portal/register", data=data)
    assert response.status_code == 403
    assert _subjects(opeka) == before


def test_registrations_are_rate_limited_per_address(client: TestClient, opeka: Opeka) -> None:
    _, html = form(client, "/portal/register")
    statuses = [
        client.post("/portal/register", data=registration_data(html, "bad")).status_code
        for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]


def test_an_invalid_phone_names_the_field_and_does_not_echo_the_value(
    client: TestClient, opeka: Opeka
) -> None:
    _, html = form(client, "/portal/register")
    before = _subjects(opeka)
    response = client.post(
        "/portal/register", data=registration_data(html, email(), phone="12-ZQ-34")
    )
    assert response.status_code == 422
    assert "12-ZQ-34" not in response.text
    assert "Контактный телефон" in text(response)
    assert 'id="f-phone"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Петрова" in response.text  # the valid fields are kept
    assert "Correct-horse" not in response.text  # passwords never are
    assert _subjects(opeka) == before


def test_a_missing_mandatory_field_is_refused(client: TestClient) -> None:
    _, html = form(client, "/portal/register")
    response = client.post("/portal/register", data=registration_data(html, email(), last_name=""))
    assert response.status_code == 422
    assert "Фамилия: обязательное поле" in text(response)


def test_mismatched_passwords_are_refused(client: TestClient) -> None:
    _, html = form(client, "/portal/register")
    data = registration_data(html, email(), password_repeat="Other-horse-77")
    response = client.post("/portal/register", data=data)
    assert response.status_code == 422
    assert "Пароли не совпадают" in text(response)


def test_a_weak_password_is_refused(client: TestClient) -> None:
    _, html = form(client, "/portal/register")
    data = registration_data(html, email(), password="short", password_repeat="short")
    assert client.post("/portal/register", data=data).status_code == 422


def test_a_duplicate_email_says_no_more_than_needed_and_offers_the_reset(
    app: FastAPI, opeka: Opeka
) -> None:
    address = email("dup")
    with TestClient(
        app, client=("10.250.0.1", 1), follow_redirects=False, raise_server_exceptions=False
    ) as first:
        register(first, opeka, email=address)
    with TestClient(
        app, client=("10.250.0.2", 1), follow_redirects=False, raise_server_exceptions=False
    ) as second:
        _, html = form(second, "/portal/register")
        before = _subjects(opeka)
        response = second.post("/portal/register", data=registration_data(html, address))
    assert response.status_code == 409
    assert "нельзя использовать" in text(response)
    assert 'href="/portal/reset"' in response.text
    assert "уже есть" not in text(response)
    assert "exists" not in response.text
    assert _subjects(opeka) == before


def test_the_page_is_in_english_with_the_preferences_cookie(client: TestClient) -> None:
    client.cookies.set("opeka_lang", "en")
    page = client.get("/portal/register")
    assert "Sign up" in page.text
    assert 'lang="en"' in page.text
    assert "The consent document is in Russian" in page.text
