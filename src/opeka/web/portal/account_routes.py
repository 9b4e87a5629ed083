"""Privacy settings (cookie categories of policy 6) and deleting the account (policy 5.3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import HTMLResponse, Response

from opeka.auth.principals import PrincipalKind
from opeka.cookies.config import COOKIE_NAME, banner_config
from opeka.cookies.consent_cookie import current_grants, parse_choice
from opeka.db.base import utcnow
from opeka.selfservice import closure
from opeka.web import csrf
from opeka.web.portal.support import Portal, SubjectDep, ViewerDep, client_of, page
from opeka.web.principals import sign_out

Field = Annotated[str, Form()]


def router(portal: Portal) -> APIRouter:
    """/portal (home), /portal/privacy and /portal/delete."""
    api = APIRouter()
    config = banner_config(portal.opeka.policy)

    @api.get("/")
    def home(viewer: ViewerDep) -> RedirectResponse:
        """«Мои данные» when signed in, else the sign-in page."""
        return RedirectResponse("/portal/me" if viewer else "/portal/login", status_code=303)

    @api.get("/privacy")
    def privacy(request: Request, viewer: ViewerDep) -> HTMLResponse:
        """The cookie categories, what each does, and this browser's current choice."""
        value = request.cookies.get(COOKIE_NAME)
        return page(
            request,
            "portal/privacy.html.j2",
            signed_in=viewer is not None,
            section="privacy",
            categories=config.categories,
            granted=current_grants(value, config=config, now=utcnow()),
            chosen=parse_choice(value) is not None,
        )

    _delete(api, portal)
    return api


def _delete(api: APIRouter, portal: Portal) -> None:
    """Deleting the account."""

    @api.get("/delete")
    def delete_form(request: Request, who: SubjectDep) -> HTMLResponse:
        """What deleting the account does, and the confirmation."""
        days = portal.opeka.policy.deadlines.get("withdrawal_destruction")
        return page(
            request,
            "portal/delete.html.j2",
            signed_in=True,
            section="delete",
            days=days.days if days else 30,
        )

    @api.post("/delete")
    def delete(
        request: Request, who: SubjectDep, confirm: Field = "", csrf_token: Field = ""
    ) -> Response:
        """Withdraw every consent, block, schedule destruction, sign out."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        if confirm != "yes":
            return page(
                request,
                "portal/delete.html.j2",
                status_code=422,
                signed_in=True,
                section="delete",
                days=30,
                missing_confirmation=True,
            )
        done = closure.close_account(
            portal.opeka, subject_id=who.subject_id, client=client_of(request)
        )
        response = page(request, "portal/closed.html.j2", closure=done)
        sign_out(request, response, kind=PrincipalKind.SUBJECT)
        return response
