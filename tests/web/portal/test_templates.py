"""The portal's templates: CSRF in every form, no inline code or styles, every route guarded."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from opeka.web.principals import RequireSubject

TEMPLATES = Path(__file__).resolve().parents[3] / "src" / "opeka" / "web" / "templates" / "portal"
PUBLIC = {
    "/portal/",
    "/portal/register",
    "/portal/login",
    "/portal/logout",
    "/portal/reset",
    "/portal/reset/{token}",
    "/portal/question",
    "/portal/event",
    "/portal/sent",
    "/portal/privacy",
}


def _templates() -> list[Path]:
    found = sorted(TEMPLATES.glob("*.html.j2"))
    assert found
    return found


def test_every_form_carries_the_csrf_field() -> None:
    for path in _templates():
        source = path.read_text(encoding="utf-8")
        for body in re.findall(r"<form\b.*?</form>", source, flags=re.S):
            assert "csrf_field()" in body, path.name


def test_no_inline_styles_or_scripts() -> None:
    for path in _templates():
        source = path.read_text(encoding="utf-8")
        assert "style=" not in source, path.name
        assert "<style" not in source, path.name
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), path.name
        assert not re.search(r"\son[a-z]+=", source), path.name


def _routes(app: FastAPI) -> list[tuple[str, set[str], APIRoute]]:
    found = []
    for context in iter_route_contexts(app.routes):  # included routers are not flattened
        route, path = context.original_route, context.path
        if isinstance(route, APIRoute) and path is not None and path.startswith("/portal"):
            found.append((path, set(context.methods or ()), route))
    assert found
    return found


def test_account_pages_require_a_signed_in_subject(app: FastAPI) -> None:
    for path, _, route in _routes(app):
        guarded = any(isinstance(d.call, RequireSubject) for d in route.dependant.dependencies)
        assert guarded == (path not in PUBLIC), path


def test_every_state_changing_route_reads_the_csrf_token(app: FastAPI) -> None:
    posts = [(path, route) for path, methods, route in _routes(app) if "POST" in methods]
    assert len(posts) >= 10
    for path, route in posts:
        assert "csrf_token" in {p.name for p in route.dependant.body_params}, path
