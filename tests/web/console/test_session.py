"""Signing in and out of the console, its rate limits, redirects, headers and language."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.console.support import (
    PASSWORD,
    add_staff,
    anonymous,
    as_role,
    sign_in,
)

from opeka.auth import staff
from opeka.auth.cookie import COOKIE_NAMES
from opeka.auth.principals import PrincipalKind
from opeka.web.console.session import safe_next

STAFF_COOKIE = COOKIE_NAMES[PrincipalKind.STAFF]


def test_the_sign_in_form_is_russian_with_a_csrf_field(app: FastAPI) -> None:
    page = TestClient(app).get("/console/login")
    assert page.status_code == 200
    assert '<html lang="ru">' in page.text
    assert "Вход для сотрудников" in page.text
    assert 'name="csrf_token"' in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "unsafe-inline" not in page.headers["content-security-policy"]


def test_sign_in_opens_the_overview_with_the_role(app: FastAPI) -> None:
    browser = as_role(app, "privacy_officer")
    page = browser.get("/console")
    assert page.status_code == 200
    assert "Ответственный за организацию обработки ПДн" in page.text
    assert browser.login in page.text


def test_a_wrong_password_is_refused_without_a_session(app: FastAPI) -> None:
    login = add_staff(app, "support")
    browser = anonymous(app)
    answer = browser.post("/console/login", {"login": login, "password": "Wrong-horse-7"})
    assert answer.status_code == 401
    assert "неверный логин или пароль" in answer.text
    assert STAFF_COOKIE not in browser.client.cookies
    assert browser.get("/console").status_code == 303


def test_an_unknown_login_answers_like_a_wrong_password(app: FastAPI) -> None:
    answer = anonymous(app).post("/console/login", {"login": "nobody-here", "password": PASSWORD})
    assert answer.status_code == 401
    assert "неверный логин или пароль" in answer.text


def test_repeated_failures_answer_429_with_retry_after(app: FastAPI) -> None:
    login = add_staff(app, "support")
    browser = anonymous(app)
    statuses = [
        browser.post("/console/login", {"login": login, "password": "Wrong-horse-7"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [401] * 10
    refused = browser.post("/console/login", {"login": login, "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "слишком много попыток" in refused.text
    assert STAFF_COOKIE not in browser.client.cookies


def test_sign_in_without_the_csrf_token_is_refused(app: FastAPI) -> None:
    login = add_staff(app, "support")
    browser = anonymous(app)
    answer = browser.post("/console/login", {"login": login, "password": PASSWORD}, csrf=False)
    assert answer.status_code == 403
    assert STAFF_COOKIE not in browser.client.cookies


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/console",
        "//evil.example/console",
        "/\\evil.example",
        "/console/../../evil",
        "/console//evil.example",
        "/console/%2e%2e/%2E%2E/evil",
        "/console/%2F%2Fevil.example",
        "/console/%5Cevil",
        "javascript:alert(1)",
        "/portal",
    ],
)
def test_next_never_leaves_the_console(app: FastAPI, target: str) -> None:
    login = add_staff(app, "auditor")
    answer = anonymous(app).post(
        "/console/login", {"login": login, "password": PASSWORD, "next": target}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console"


def test_next_within_the_console_is_followed(app: FastAPI) -> None:
    login = add_staff(app, "auditor")
    answer = anonymous(app).post(
        "/console/login", {"login": login, "password": PASSWORD, "next": "/console/journal"}
    )
    assert answer.headers["location"] == "/console/journal"


def test_safe_next_accepts_console_paths_only() -> None:
    assert safe_next("/console/subjects/0b7e8f4a-1111-4222-8333-944455556666") != "/console"
    assert safe_next(None) == "/console"
    assert safe_next("/console/requests/register.csv") == "/console/requests/register.csv"


def test_pages_redirect_to_sign_in_with_next(app: FastAPI) -> None:
    answer = TestClient(app).get("/console/journal", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login?next=/console/journal"


def test_sign_out_ends_the_session(app: FastAPI) -> None:
    browser = as_role(app, "auditor")
    assert browser.get("/console").status_code == 200
    answer = browser.post("/console/logout")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login"
    assert browser.get("/console").status_code == 303


def test_sign_out_without_the_csrf_token_keeps_the_session(app: FastAPI) -> None:
    browser = as_role(app, "auditor")
    assert browser.post("/console/logout", csrf=False).status_code == 403
    assert browser.get("/console").status_code == 200


def test_a_deactivated_member_is_signed_out(app: FastAPI) -> None:
    login = add_staff(app, "support")
    member = sign_in(app, login)
    assert member.get("/console").status_code == 200
    with app.state.opeka.data_engine.begin() as conn:
        staff.deactivate(conn, staff_id=staff.get_by_login(conn, login=login).id)
    assert member.get("/console").status_code == 303
    refused = anonymous(app).post("/console/login", {"login": login, "password": PASSWORD})
    assert refused.status_code == 401


def test_the_console_speaks_english_on_request(app: FastAPI) -> None:
    browser = as_role(app, "auditor")
    switched = browser.post("/lang", {"lang": "en", "next": "/console"})
    assert switched.status_code == 303
    page = browser.get("/console")
    assert '<html lang="en">' in page.text
    assert "Overview" in page.text
    assert "Auditor" in page.text


def test_every_console_page_is_not_cached_and_has_the_strict_csp(app: FastAPI) -> None:
    browser = as_role(app, "privacy_officer")
    for path in ("/console", "/console/subjects", "/console/requests", "/console/journal"):
        page = browser.get(path)
        assert page.status_code == 200, path
        assert page.headers["cache-control"] == "no-store"
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "style=" not in page.text
        assert "<script" not in page.text


def test_no_overdue_banner_while_nothing_is_overdue(app: FastAPI) -> None:
    page = as_role(app, "privacy_officer").get("/console")
    assert "overdue-banner" not in page.text


def test_every_form_posts_with_a_csrf_token(app: FastAPI) -> None:
    pages = {
        "privacy_officer": ["/console", "/console/subjects", "/console/requests/new"],
        "administrator": ["/console/staff", "/console/apikeys", "/console/journal"],
    }
    for role, paths in pages.items():
        browser = as_role(app, role)
        for path in paths:
            html = browser.get(path).text
            forms = [part.split("</form>")[0] for part in html.split("<form")[1:]]
            assert forms, path
            for form in forms:
                assert 'method="post"' in form.split(">")[0], path
                assert 'name="csrf_token"' in form, path
