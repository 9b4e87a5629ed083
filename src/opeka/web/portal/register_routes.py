"""Registration: the form of the registered user's fields (policy 1.1.1, 1.1.3) and consents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy import Connection
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from opeka.auth.errors import PasswordRejected
from opeka.db.engine import read_only
from opeka.selfservice import consents, registration
from opeka.selfservice.errors import EmailUnavailable, SelfServiceError
from opeka.selfservice.fields import submitted
from opeka.uow import UnitOfWork
from opeka.web import csrf
from opeka.web.deps import UowDep
from opeka.web.portal.support import (
    FormDep,
    Portal,
    client_of,
    form_errors,
    message,
    page,
    redirect,
    start_session,
)
from opeka.web.principals import auth_of

FormError = SelfServiceError | PasswordRejected


def ticked(form: FormData) -> dict[str, str]:
    """Ticked consents: purpose → the document version the form showed."""
    return {
        str(p): str(form.get(f"version:{p}", ""))
        for p in form.getlist("consent")
        if form.get(f"version:{p}")
    }


def _page(
    request: Request,
    portal: Portal,
    conn: Connection,
    *,
    form: FormData | None = None,
    error: FormError | None = None,
) -> HTMLResponse:
    policy = portal.opeka.policy
    fields = registration.registration_fields(policy)
    errors = form_errors(error)
    values = {
        f.code: str(form.get(f.code, ""))
        for f in fields
        if form is not None and f.code not in errors
    }
    return page(
        request,
        "portal/register.html.j2",
        status_code=409 if isinstance(error, EmailUnavailable) else 422 if error else 200,
        fields=fields,
        offers=consents.offers(conn, policy, category=registration.CATEGORY),
        values=values,
        checked=set(ticked(form)) if form else set(),
        errors=errors,
        error=message(request, error) if error else "",
        email_taken=isinstance(error, EmailUnavailable),
    )


def router(portal: Portal) -> APIRouter:
    """GET and POST /portal/register."""
    api = APIRouter()

    @api.get("/register")
    def register_form(request: Request) -> HTMLResponse:
        """The registration form."""
        with read_only(portal.opeka.data_engine) as conn:
            return _page(request, portal, conn)

    @api.post("/register")
    def register_submit(
        request: Request,
        uow: UowDep,
        form: FormDep,
        csrf_token: Annotated[str, Form()] = "",
    ) -> Response:
        """Create the account with the consents ticked, sign in, go to «Мои данные»."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        portal.limit(request, "register", portal.limits.register_per_ip)
        try:
            done = _register(request, uow, form)
        except (SelfServiceError, PasswordRejected) as exc:
            return _page(request, portal, uow.data, form=form, error=exc)
        response = redirect("/portal/me?done=registered")
        start_session(request, response, uow.data, subject_id=str(done.subject_id))
        return response

    return api


def _register(request: Request, uow: UnitOfWork, form: FormData) -> registration.Registered:
    fields = registration.registration_fields(uow.services.rules.policy)
    return registration.register(
        uow,
        auth=auth_of(request),
        values=submitted(fields, {k: str(v) for k, v in form.items()}),
        password=str(form.get("password", "")),
        password_repeat=str(form.get("password_repeat", "")),
        consent_versions=ticked(form),
        client=client_of(request),
    )
