"""System routes: health, the rendered policy, the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from opeka import __version__
from opeka.app import Opeka
from opeka.db.engine import read_only
from opeka.db.journal import journal_head
from opeka.policy.render import render_policy
from opeka.web import csrf
from opeka.web.i18n import LANG_COOKIE


def router(opeka: Opeka) -> APIRouter:
    """Health, policy and language routes."""
    api = APIRouter()
    policy_html = render_policy(opeka.policy, fmt="html")

    @api.get("/api/v1/health", tags=["system"])
    def health() -> dict[str, object]:
        """Liveness and readiness: the database answers and the journal is initialised."""
        with read_only(opeka.data_engine) as conn:
            size = conn.execute(select(journal_head.c.size)).scalar()
        return {"status": "ok", "version": __version__, "journal_entries": size}

    @api.get("/policy", response_class=HTMLResponse, include_in_schema=False)
    def policy() -> HTMLResponse:
        """The privacy policy, rendered from the policy file."""
        return HTMLResponse(policy_html)

    @api.post("/lang", include_in_schema=False)
    def switch_language(
        request: Request,
        lang: Annotated[str, Form()],
        next_path: Annotated[str, Form(alias="next")] = "/",
        csrf_token: Annotated[str, Form()] = "",
    ) -> RedirectResponse:
        """Switch the page language (kept in the preferences cookie of policy 6.2)."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        target = next_path if next_path.startswith("/") and not next_path.startswith("//") else "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            LANG_COOKIE,
            "en" if lang == "en" else "ru",
            max_age=182 * 24 * 3600,
            samesite="lax",
            httponly=True,
            secure=request.url.scheme == "https",
        )
        return response

    return api
