"""Privacy settings (cookie categories) and deleting the account (policy 5.3)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.web.portal.support import form, journal, login, register, text

from opeka.app import Opeka
from opeka.consent import grants
from opeka.cookies.config import banner_config
from opeka.db.requests import subject_request
from opeka.db.subjects import subject


def test_privacy_settings_list_the_cookie_categories_and_link_the_banner(
    client: TestClient, opeka: Opeka
) -> None:
    register(client, opeka)
    page = client.get("/portal/privacy")
    assert page.status_code == 200
    body = text(page)
    for kind in opeka.policy.cookies.values():
        assert kind.title.ru in body
        assert kind.description.ru in body
    assert '<script async src="/cookies/banner.js"></script>' in page.text
    assert "data-opeka-settings" in page.text
    assert "всегда включены" in body
    assert "Мои данные" in body  # the signed-in navigation


def test_privacy_settings_show_this_browsers_choice(client: TestClient, opeka: Opeka) -> None:
    config = banner_config(opeka.policy)
    value = f"1.{'a' * 32}.{config.version}.{int(time.time())}.analytics"
    client.cookies.set("opeka_consent", value)
    body = text(client.get("/portal/privacy"))
    assert body.count("не разрешены") == 2
    assert body.count("разрешены") == 3


def test_deleting_needs_the_confirmation(client: TestClient, opeka: Opeka) -> None:
    account = register(client, opeka)
    csrf, _ = form(client, "/portal/delete")
    response = client.post("/portal/delete", data={"csrf_token": csrf})
    assert response.status_code == 422
    assert _status(opeka, account.subject_id) == "active"


def test_deleting_needs_csrf(client: TestClient, opeka: Opeka) -> None:
    account = register(client, opeka)
    assert client.post("/portal/delete", data={"confirm": "yes"}).status_code == 403
    assert _status(opeka, account.subject_id) == "active"


def test_deleting_withdraws_blocks_opens_a_request_and_signs_out(
    client: TestClient, opeka: Opeka
) -> None:
    account = register(client, opeka, consents=("2.2.2", "2.2.8"))
    csrf, _ = form(client, "/portal/delete")
    response = client.post("/portal/delete", data={"csrf_token": csrf, "confirm": "yes"})
    assert response.status_code == 200
    assert "Учётная запись удалена" in text(response)
    assert _status(opeka, account.subject_id) == "blocked"
    with opeka.data_engine.connect() as conn:
        assert grants.active_purposes(conn, subject_id=account.subject_id) == frozenset()
        request = conn.execute(
            select(subject_request).where(subject_request.c.subject_id == account.subject_id)
        ).one()
    assert (request.kind, request.channel, request.purposes) == ("withdrawal", "portal", "*")
    assert request.verification_method == "portal_session"
    assert request.number in text(response)
    assert client.get("/portal/me").status_code == 303
    assert login(client, account.email).status_code == 401
    actions = [e.action for e in journal(opeka, account.subject_id)]
    assert "блокирование" in actions


def test_the_portal_root_sends_visitors_to_sign_in(client: TestClient) -> None:
    response = client.get("/portal/")
    assert response.status_code == 303
    assert response.headers["location"] == "/portal/login"


def _status(opeka: Opeka, subject_id: object) -> str:
    with opeka.data_engine.connect() as conn:
        return str(
            conn.execute(select(subject.c.status).where(subject.c.id == subject_id)).scalar()
        )
