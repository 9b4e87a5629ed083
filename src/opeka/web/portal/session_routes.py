"""Signing in and out, and changing the password (policy 6.3: the encrypted auth cookie)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import HTMLResponse, Response

from opeka.auth import accounts
from opeka.auth.errors import InvalidCredentials, PasswordRejected, TooManyAttempts
from opeka.auth.principals import PrincipalKind
from opeka.selfservice.errors import PasswordMismatch
from opeka.web import csrf
from opeka.web.deps import UowDep, client_ip
from opeka.web.portal.support import (
    Portal,
    SubjectDep,
    message,
    page,
    redirect,
    safe_next,
    start_session,
)
from opeka.web.principals import auth_of, sign_in, sign_out

Field = Annotated[str, Form()]


def router(portal: Portal) -> APIRouter:
    """Login, logout and password change."""
    api = APIRouter()

    @api.get("/login")
    def login_form(
        request: Request, next_path: Annotated[str, Query(alias="next")] = ""
    ) -> HTMLResponse:
        """The sign-in form."""
        return page(request, "portal/login.html.j2", next=safe_next(next_path))

    @api.post("/login")
    def login_submit(
        request: Request,
        email: Field = "",
        password: Field = "",
        next_path: Annotated[str, Form(alias="next")] = "",
        csrf_token: Field = "",
    ) -> Response:
        """Check the password (rate limits and lockout in :mod:`opeka.auth.attempts`)."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        try:
            subject_id = accounts.authenticate_subject(
                portal.opeka,
                auth=auth_of(request),
                email=email,
                password=password,
                ip=client_ip(request),
            )
        except (InvalidCredentials, TooManyAttempts) as exc:
            status = 429 if isinstance(exc, TooManyAttempts) else 401
            return page(
                request,
                "portal/login.html.j2",
                status_code=status,
                next=safe_next(next_path),
                error=message(request, exc),
            )
        response = redirect(safe_next(next_path))
        sign_in(request, response, kind=PrincipalKind.SUBJECT, principal_id=str(subject_id))
        return response

    @api.post("/logout")
    def logout(request: Request, csrf_token: Field = "") -> Response:
        """End this session (revoked on the server) and clear the cookie."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        response = redirect("/portal/login?done=signed_out")
        sign_out(request, response, kind=PrincipalKind.SUBJECT)
        return response

    _password(api, portal)
    return api


def _password(api: APIRouter, portal: Portal) -> None:
    """Password change."""

    @api.get("/password")
    def password_form(request: Request, who: SubjectDep) -> HTMLResponse:
        """The password change form."""
        return page(request, "portal/password.html.j2", signed_in=True, section="password")

    @api.post("/password")
    def password_submit(
        request: Request,
        uow: UowDep,
        who: SubjectDep,
        current: Field = "",
        new: Field = "",
        repeat: Field = "",
        csrf_token: Field = "",
    ) -> Response:
        """Change the password: every session ends, this browser gets a new one."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        limit = portal.limits.password_per_subject
        portal.limit(request, "password", limit, who=f"subject:{who.subject_id}")
        try:
            if new != repeat:
                raise PasswordMismatch
            accounts.change_password(
                uow,
                auth=auth_of(request),
                subject_id=who.subject_id,
                current_password=current,
                new_password=new,
            )
        except (PasswordMismatch, PasswordRejected, InvalidCredentials) as exc:
            return page(
                request,
                "portal/password.html.j2",
                status_code=422,
                signed_in=True,
                section="password",
                error=message(request, exc),
            )
        response = redirect("/portal/me?done=password")
        start_session(request, response, uow.data, subject_id=str(who.subject_id))
        return response
