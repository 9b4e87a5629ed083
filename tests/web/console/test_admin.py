"""Staff and API-key management: administrators only; tokens shown once; actions logged."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi import FastAPI
from tests.web.console.support import PASSWORD, Console, anonymous, as_role, sign_in, unique

from opeka.auth import apikeys, staff
from opeka.auth.errors import ApiKeyRevoked

TOKEN = re.compile(r"opk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")


@pytest.fixture(scope="module")
def admin(app: FastAPI) -> Console:
    """An administrator signed in for the module."""
    return as_role(app, "administrator")


def staff_id(app: FastAPI, login: str) -> int:
    with app.state.opeka.data_engine.begin() as conn:
        return staff.get_by_login(conn, login=login).id


def test_the_administrator_adds_a_member_who_can_sign_in(
    app: FastAPI, admin: Console, caplog: pytest.LogCaptureFixture
) -> None:
    login = unique("new.support")
    with caplog.at_level(logging.INFO, logger="opeka"):
        answer = admin.post(
            "/console/staff", {"login": login, "role": "support", "password": PASSWORD}
        )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/staff?msg=created"
    assert login in admin.get("/console/staff").text
    member = sign_in(app, login)
    assert "Поддержка" in member.get("/console").text
    assert PASSWORD not in caplog.text
    assert f"added staff user {staff_id(app, login)} (support)" in caplog.text


def test_a_weak_password_or_a_taken_login_is_refused(admin: Console) -> None:
    login = unique("weak")
    weak = admin.post("/console/staff", {"login": login, "role": "support", "password": "123"})
    assert weak.status_code == 422
    ok = {"login": login, "role": "support", "password": PASSWORD}
    assert admin.post("/console/staff", ok).status_code == 303
    assert admin.post("/console/staff", ok).status_code == 409
    unknown = admin.post(
        "/console/staff", {"login": unique("x"), "role": "owner", "password": PASSWORD}
    )
    assert unknown.status_code == 422


def test_change_role_and_deactivate(app: FastAPI, admin: Console) -> None:
    login = unique("mover")
    assert (
        admin.post(
            "/console/staff", {"login": login, "role": "support", "password": PASSWORD}
        ).status_code
        == 303
    )
    member = sign_in(app, login)
    member_id = staff_id(app, login)
    assert member.get("/console/journal").status_code == 403
    assert admin.post(f"/console/staff/{member_id}/role", {"role": "auditor"}).status_code == 303
    assert member.get("/console/journal").status_code == 200
    assert admin.post(f"/console/staff/{member_id}/deactivate").status_code == 303
    assert member.get("/console").status_code == 303
    again = anonymous(app).post("/console/login", {"login": login, "password": PASSWORD})
    assert again.status_code == 401


def test_an_administrator_cannot_change_their_own_account(app: FastAPI, admin: Console) -> None:
    own = staff_id(app, admin.login)
    assert admin.post(f"/console/staff/{own}/deactivate").status_code == 409
    assert admin.post(f"/console/staff/{own}/role", {"role": "auditor"}).status_code == 409
    assert admin.get("/console/staff").status_code == 200


def test_staff_changes_need_the_csrf_token(app: FastAPI, admin: Console) -> None:
    login = unique("nocsrf")
    answer = admin.post(
        "/console/staff", {"login": login, "role": "support", "password": PASSWORD}, csrf=False
    )
    assert answer.status_code == 403
    assert login not in admin.get("/console/staff").text


def test_api_key_token_is_shown_once_and_works(
    app: FastAPI, admin: Console, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="opeka"):
        page = admin.post(
            "/console/apikeys",
            {"name": "Интернет-магазин", "scopes": ["subjects:read"], "purposes": ["2.2.7"]},
        )
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    tokens = TOKEN.findall(page.text)
    assert len(tokens) == 1
    token = tokens[0]
    assert token not in caplog.text
    assert token not in admin.get("/console/apikeys").text
    with app.state.opeka.data_engine.begin() as conn:
        client = apikeys.authenticate_api_key(conn, token=token)
    assert client.scopes == {apikeys.Scope.SUBJECTS_READ}
    assert client.purposes == {"2.2.7"}
    revoked = admin.post(f"/console/apikeys/{client.id}/revoke")
    assert revoked.status_code == 303
    with app.state.opeka.data_engine.begin() as conn, pytest.raises(ApiKeyRevoked):
        apikeys.authenticate_api_key(conn, token=token)


def test_an_api_key_needs_a_name_and_a_known_scope(admin: Console) -> None:
    assert admin.post("/console/apikeys", {"name": "x"}).status_code == 422
    assert admin.post("/console/apikeys", {"name": "x", "scopes": ["root"]}).status_code == 422
    unknown_purpose = admin.post(
        "/console/apikeys", {"name": "x", "scopes": ["subjects:read"], "purposes": ["9.9"]}
    )
    assert unknown_purpose.status_code == 422


def test_other_roles_cannot_manage_staff_or_keys(app: FastAPI) -> None:
    officer = as_role(app, "privacy_officer")
    assert officer.get("/console/staff").status_code == 403
    refused = officer.post(
        "/console/staff", {"login": unique("sneak"), "role": "administrator", "password": PASSWORD}
    )
    assert refused.status_code == 403
    assert (
        officer.post("/console/apikeys", {"name": "x", "scopes": ["subjects:read"]}).status_code
        == 403
    )
    assert "/console/staff" not in officer.get("/console").text
