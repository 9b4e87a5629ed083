"""HTML rendering: one Jinja2 environment with autoescaping, the page language and CSRF token.

Templates receive prepared data only; no business rule lives in a template. Every form gets
``csrf_field()``; every page is rendered in the request's language (:mod:`opeka.web.i18n`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from opeka.web import csrf
from opeka.web.i18n import language, pick

TEMPLATES = Path(__file__).resolve().parent / "templates"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(
    request: Request,
    name: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render ``name`` for ``request`` with the common context (language, CSRF)."""
    lang = language(request)
    key: bytes = request.app.state.csrf_key

    def csrf_field() -> Markup:
        value = csrf.token(request, key)
        return Markup('<input type="hidden" name="{}" value="{}">').format(csrf.FIELD, value)

    html = environment.get_template(name).render(
        request=request,
        lang=lang,
        t=lambda ru, en: pick(lang, ru, en),
        csrf_field=csrf_field,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    csrf.set_cookie(request, response, secure=request.url.scheme == "https")
    return response
