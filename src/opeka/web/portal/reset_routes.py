"""Password reset by an e-mailed link (:mod:`opeka.auth.reset`): the same answer in every case.

The link is built on the address the request came to only when that host is one of the
operator's sites or the local machine; otherwise on the operator's first site, so that a forged
``Host`` header cannot make Opeka mail a link to someone else's server.
"""

from __future__ import annotations

from fnmatch import fnmatch
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, Response

from opeka.auth import reset
from opeka.auth.errors import PasswordRejected
from opeka.mail.errors import MailError
from opeka.ops import logs
from opeka.policy.schema import Policy
from opeka.selfservice import recovery
from opeka.selfservice.errors import PasswordMismatch
from opeka.web import csrf
from opeka.web.portal.support import Portal, message, page, redirect
from opeka.web.principals import auth_of

Field = Annotated[str, Form()]
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
log = logs.get("portal")


def public_base(request: Request, policy: Policy) -> str:
    """The scheme and host links in mail point at (see the module docstring)."""
    host = request.url.hostname or ""
    sites = [s.lower() for s in policy.operator.sites]
    if host in LOCAL_HOSTS or any(fnmatch(host.lower(), site) for site in sites):
        return str(request.base_url).rstrip("/")
    first = next((s for s in sites if "*" not in s), sites[0].lstrip("*."))
    return f"https://{first}"


def router(portal: Portal) -> APIRouter:
    """The reset request and the new-password page."""
    api = APIRouter()
    opeka = portal.opeka

    @api.get("/reset")
    def reset_form(request: Request) -> HTMLResponse:
        """Ask for a reset link."""
        return page(request, "portal/reset_request.html.j2")

    @api.post("/reset")
    def reset_request(request: Request, email: Field = "", csrf_token: Field = "") -> Response:
        """Mail a link if an account has this address; answer the same either way."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        portal.limit(request, "reset", portal.limits.reset_per_ip)
        mail = recovery.reset_mail(
            opeka,
            auth=auth_of(request),
            email=email,
            base_url=public_base(request, opeka.policy),
        )
        if mail is not None:
            try:
                portal.mailer.send(mail)
            except MailError as exc:
                log.warning("password reset mail not sent: %s", type(exc).__name__)
        return page(request, "portal/reset_sent.html.j2")

    _new_password(api, portal)
    return api


def _new_password(api: APIRouter, portal: Portal) -> None:
    """The page the e-mailed link opens."""

    @api.get("/reset/{token}")
    def new_password_form(request: Request, token: str) -> HTMLResponse:
        """The form for the new password (the token is checked when it is sent)."""
        return page(request, "portal/reset_form.html.j2", token=token)

    @api.post("/reset/{token}")
    def new_password(
        request: Request,
        token: str,
        new: Field = "",
        repeat: Field = "",
        csrf_token: Field = "",
    ) -> Response:
        """Set the new password; the link then stops working and every session ends."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        try:
            if new != repeat:
                raise PasswordMismatch
            reset.consume_reset(portal.opeka, auth=auth_of(request), token=token, new_password=new)
        except (PasswordMismatch, PasswordRejected) as exc:
            return page(
                request,
                "portal/reset_form.html.j2",
                status_code=422,
                token=token,
                error=message(request, exc),
            )
        return redirect("/portal/login?done=reset")
