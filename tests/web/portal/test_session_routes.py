"""Sign-in, sign-out, password change: the auth cookie of policy 6.3 and server-side revocation."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.portal.support import (
    NEW_PASSWORD,
    PASSWORD,
    form,
    login,
    new_client,
    register,
    text,
)

from opeka.app import Opeka


def _set_cookie(client: TestClient, address: str, *, https: bool = False) -> str:
    response = login(client, address)
    assert response.status_code == 303
    headers = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    (cookie,) = [h for h in headers if "opeka_session=" in h]
    return cookie


def test_login_sets_an_httponly_lax_cookie_without_secure_over_http(
    app: FastAPI, opeka: Opeka
) -> None:
    with new_client(app) as one:
        account = register(one, opeka)
    with new_client(app) as browser:
        cookie = _set_cookie(browser, account.email)
        assert cookie.startswith("opeka_session=")
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
        assert "Secure" not in cookie
        assert "Max-Age" not in cookie
        assert "expires" not in cookie.lower()
        assert browser.get("/portal/me").status_code == 200


def test_login_over_https_sets_a_secure_host_cookie(app: FastAPI, opeka: Opeka) -> None:
    with new_client(app) as one:
        account = register(one, opeka)
    with new_client(app, https=True) as browser:
        cookie = _set_cookie(browser, account.email, https=True)
    assert cookie.startswith("__Host-opeka_session=")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "Path=/" in cookie
    assert "samesite=lax" in cookie.lower()


def test_the_cookie_is_encrypted_and_names_no_subject(app: FastAPI, opeka: Opeka) -> None:
    with new_client(app) as browser:
        account = register(browser, opeka)
        value = browser.cookies.get("opeka_session") or ""
    assert len(value) > 60
    assert str(account.subject_id) not in value
    assert account.subject_id.hex not in value


def test_a_wrong_password_is_refused(app: FastAPI, client: TestClient, opeka: Opeka) -> None:
    with new_client(app) as other:
        account = register(other, opeka)
    response = login(client, account.email, "Wrong-password-1")
    assert response.status_code == 401
    assert "Неверный логин или пароль" in text(response)
    assert not client.cookies.get("opeka_session")


def test_an_account_locks_after_repeated_failures(
    app: FastAPI, client: TestClient, opeka: Opeka
) -> None:
    with new_client(app) as other:
        account = register(other, opeka)
    statuses = [login(client, account.email, f"Wrong-password-{i}").status_code for i in range(3)]
    assert statuses == [401, 401, 401]
    locked = login(client, account.email, PASSWORD)
    assert locked.status_code == 429
    assert "Слишком много попыток" in text(locked)


def test_login_without_csrf_is_refused(client: TestClient) -> None:
    response = client.post("/portal/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 403


def test_login_returns_to_the_page_asked_for_and_never_elsewhere(
    app: FastAPI, client: TestClient, opeka: Opeka
) -> None:
    gate = client.get("/portal/consents")
    assert gate.status_code == 303
    assert gate.headers["location"] == "/portal/login?next=/portal/consents"
    with new_client(app) as other:
        account = register(other, opeka)
    for target, expected in (
        ("/portal/consents", "/portal/consents"),
        ("https://evil.example/", "/portal/me"),
        ("//evil.example/portal/", "/portal/me"),
    ):
        csrf, _ = form(client, "/portal/login")
        response = client.post(
            "/portal/login",
            data={"csrf_token": csrf, "email": account.email, "password": PASSWORD, "next": target},
        )
        assert response.headers["location"] == expected


def test_logout_revokes_the_session_on_the_server(client: TestClient, opeka: Opeka) -> None:
    register(client, opeka)
    stolen = client.cookies.get("opeka_session")
    csrf, _ = form(client, "/portal/me")
    response = client.post("/portal/logout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert response.headers["location"] == "/portal/login?done=signed_out"
    client.cookies.set("opeka_session", stolen or "")
    assert client.get("/portal/me").status_code == 303


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
    app: FastAPI, opeka: Opeka
) -> None:
    with new_client(app) as here, new_client(app) as elsewhere:
        account = register(here, opeka)
        assert login(elsewhere, account.email).status_code == 303
        csrf, _ = form(here, "/portal/password")
        response = here.post(
            "/portal/password",
            data={
                "csrf_token": csrf,
                "current": PASSWORD,
                "new": NEW_PASSWORD,
                "repeat": NEW_PASSWORD,
            },
        )
        assert response.status_code == 303
        assert here.get("/portal/me").status_code == 200
        assert elsewhere.get("/portal/me").status_code == 303
        assert login(elsewhere, account.email, PASSWORD).status_code == 401
        assert login(elsewhere, account.email, NEW_PASSWORD).status_code == 303


def test_a_password_change_needs_the_current_password(client: TestClient, opeka: Opeka) -> None:
    register(client, opeka)
    csrf, _ = form(client, "/portal/password")
    response = client.post(
        "/portal/password",
        data={
            "csrf_token": csrf,
            "current": "Wrong-one-123",
            "new": NEW_PASSWORD,
            "repeat": NEW_PASSWORD,
        },
    )
    assert response.status_code == 422
    assert client.get("/portal/me").status_code == 200


def test_a_password_change_refuses_mismatched_passwords(client: TestClient, opeka: Opeka) -> None:
    register(client, opeka)
    csrf, _ = form(client, "/portal/password")
    response = client.post(
        "/portal/password",
        data={"csrf_token": csrf, "current": PASSWORD, "new": NEW_PASSWORD, "repeat": "x"},
    )
    assert response.status_code == 422
    assert "Пароли не совпадают" in text(response)


def test_pages_of_the_account_need_a_session(client: TestClient) -> None:
    for path in (
        "/portal/me",
        "/portal/me/edit",
        "/portal/me/download",
        "/portal/consents",
        "/portal/password",
        "/portal/delete",
    ):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/portal/login?next=")
