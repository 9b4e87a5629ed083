"""Password reset by an e-mailed link: the same answer in every case; a link works once."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request
from tests.web.portal.support import NEW_PASSWORD, email, form, login, new_client, register, text

from opeka.app import Opeka
from opeka.mail.mailers import MemoryMailer
from opeka.web.portal.reset_routes import public_base

_LINK = re.compile(r"https?://\S+/portal/reset/([A-Za-z0-9_\-]+)")


def _ask(client: TestClient, address: str) -> str:
    csrf, _ = form(client, "/portal/reset")
    response = client.post("/portal/reset", data={"csrf_token": csrf, "email": address})
    assert response.status_code == 200
    return text(response)


def _set(client: TestClient, reset_token: str, new: str, repeat: str | None = None) -> int:
    csrf, _ = form(client, f"/portal/reset/{reset_token}")
    data = {"csrf_token": csrf, "new": new, "repeat": new if repeat is None else repeat}
    return client.post(f"/portal/reset/{reset_token}", data=data).status_code


def test_the_reset_link_sets_a_new_password_once(
    app: FastAPI, opeka: Opeka, mailer: MemoryMailer
) -> None:
    with new_client(app) as owner:
        account = register(owner, opeka)
    with new_client(app) as browser:
        sent = len(mailer.sent)
        _ask(browser, account.email)
        (mail,) = mailer.sent[sent:]
        assert mail.to == account.email
        found = _LINK.search(mail.text)
        assert found is not None
        reset_token = found.group(1)
        page = browser.get(f"/portal/reset/{reset_token}")
        assert page.headers["cache-control"] == "no-store"
        assert _set(browser, reset_token, NEW_PASSWORD) == 303
        assert login(browser, account.email, NEW_PASSWORD).status_code == 303
        assert _set(browser, reset_token, "Another-pass-99") == 410
    assert owner.get("/portal/me").status_code == 303  # the reset ended every session


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    app: FastAPI, client: TestClient, opeka: Opeka, mailer: MemoryMailer
) -> None:
    with new_client(app) as owner:
        account = register(owner, opeka)
    sent = len(mailer.sent)
    unknown = _ask(client, email("nobody"))
    assert len(mailer.sent) == sent
    known = _ask(client, account.email)
    assert len(mailer.sent) == sent + 1
    assert unknown == known


def test_a_rejected_password_keeps_the_link_usable(
    app: FastAPI, client: TestClient, opeka: Opeka, mailer: MemoryMailer
) -> None:
    with new_client(app) as owner:
        account = register(owner, opeka)
    _ask(client, account.email)
    found = _LINK.search(mailer.sent[-1].text)
    assert found is not None
    assert _set(client, found.group(1), NEW_PASSWORD, "mismatch") == 422
    assert _set(client, found.group(1), "short", "short") == 422
    assert _set(client, found.group(1), NEW_PASSWORD) == 303


def test_an_unknown_link_is_refused(client: TestClient) -> None:
    assert _set(client, "no-such-token", NEW_PASSWORD) == 400


def test_reset_requests_are_rate_limited_per_address(client: TestClient) -> None:
    csrf, _ = form(client, "/portal/reset")
    statuses = [
        client.post("/portal/reset", data={"csrf_token": csrf, "email": email()}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_a_reset_request_without_csrf_is_refused(client: TestClient) -> None:
    assert client.post("/portal/reset", data={"email": email()}).status_code == 403


def _request(host: str, scheme: str = "https") -> Request:
    return Request(
        {
            "type": "http",
            "scheme": scheme,
            "server": (host, 443),
            "path": "/portal/reset",
            "headers": [(b"host", host.encode())],
            "query_string": b"",
            "root_path": "",
        }
    )


def test_links_point_only_at_the_operators_sites(opeka: Opeka) -> None:
    assert public_base(_request("shop.wwgroup.ru"), opeka.policy) == "https://shop.wwgroup.ru"
    assert public_base(_request("127.0.0.1:8000", "http"), opeka.policy) == "http://127.0.0.1:8000"
    assert public_base(_request("attacker.example"), opeka.policy) == "https://www.wwgroup.ru"
