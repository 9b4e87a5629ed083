"""Signing in and out of the console, and its overview page.

Sign-in goes through :func:`opeka.auth.staff.authenticate_staff`, which applies the per-IP,
per-account and global rate limits and the lockout before any password is checked; both kinds
of refusal answer 429 alike. After sign-in the browser returns to ``next`` only when it is a
console path (never another site: an open redirect would lend the console's address to
phishing).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Annotated
from urllib.parse import unquote

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from opeka.auth import staff
from opeka.auth.errors import InvalidCredentials, TooManyAttempts
from opeka.auth.principals import PrincipalKind
from opeka.db.engine import read_only
from opeka.journal.recent import journal_status
from opeka.ops import logs
from opeka.policy.schema import Permission
from opeka.requests.clock import moscow_today
from opeka.requests.queue import queue
from opeka.subjects.card import counts_by_status
from opeka.web.console.deps import Staff
from opeka.web.console.pages import check_csrf, opeka_of, page, redirect
from opeka.web.console.routing import ConsoleRoute
from opeka.web.deps import client_ip
from opeka.web.principals import auth_of, current_staff, sign_in, sign_out

HOME = "/console"
_SEGMENT = re.compile(r"^[A-Za-z0-9._~%-]+$")
log = logs.get("console")


def safe_next(raw: str | None) -> str:
    """``raw`` when it is a path inside the console (no ``.``/``..`` or empty segments)."""
    target = (raw or "").strip()
    if target == HOME:
        return target
    if not target.startswith(HOME + "/"):
        return HOME
    segments = target[len(HOME) + 1 :].split("/")
    if segments[-1] == "":
        segments.pop()
    local = all(_SEGMENT.fullmatch(s) and _plain(unquote(s)) for s in segments)
    return target if local else HOME


def _plain(segment: str) -> bool:
    """A decoded path segment that is neither ``.``/``..`` nor hides a separator."""
    return bool(segment.strip(".")) and not any(c in segment for c in "/\\")


def login_form(request: Request, next_path: Annotated[str, Query(alias="next")] = HOME) -> Response:
    """The sign-in form (a signed-in member goes straight on)."""
    if current_staff(request) is not None:
        return redirect(safe_next(next_path))
    return page(request, None, "login.html.j2", next_path=safe_next(next_path))


def login(
    request: Request,
    login: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next_path: Annotated[str, Form(alias="next")] = HOME,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Check the login and password, open a session and go on to ``next``."""
    check_csrf(request, csrf_token)
    target = safe_next(next_path)
    try:
        user = staff.authenticate_staff(
            opeka_of(request).data_engine,
            auth=auth_of(request),
            login=login,
            password=password,
            ip=client_ip(request),
        )
    except TooManyAttempts as exc:
        response = page(
            request, None, "login.html.j2", status_code=429, next_path=target, error=exc
        )
        response.headers["retry-after"] = str(exc.retry_after)
        return response
    except InvalidCredentials as exc:
        return page(request, None, "login.html.j2", status_code=401, next_path=target, error=exc)
    signed_in = redirect(target)
    sign_in(request, signed_in, kind=PrincipalKind.STAFF, principal_id=str(user.id))
    log.info("staff user %d signed in to the console", user.id)
    return signed_in


def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    """End the session and return to the sign-in form."""
    check_csrf(request, csrf_token)
    response = redirect("/console/login")
    sign_out(request, response, kind=PrincipalKind.STAFF)
    return response


def dashboard(request: Request, principal: Staff) -> Response:
    """The overview: what the role may see of subjects, requests and the journal."""
    opeka = opeka_of(request)
    subjects = requests = journal = None
    with read_only(opeka.data_engine) as conn:
        if principal.may(Permission.SUBJECTS_SEARCH):
            subjects = counts_by_status(conn)
        if principal.may(Permission.REQUESTS_READ):
            rows = queue(conn, today=moscow_today())
            requests = (len(rows), Counter(row.deadline for row in rows))
        if principal.may(Permission.JOURNAL_READ):
            journal = journal_status(conn)
    return page(
        request,
        principal,
        "dashboard.html.j2",
        subjects=subjects,
        requests=requests,
        journal=journal,
    )


def routes() -> APIRouter:
    """Sign-in, sign-out and the overview."""
    api = APIRouter(include_in_schema=False, route_class=ConsoleRoute)
    api.add_api_route("/console/login", login_form, methods=["GET"])
    api.add_api_route("/console/login", login, methods=["POST"])
    api.add_api_route("/console/logout", logout, methods=["POST"])
    api.add_api_route("/console", dashboard, methods=["GET"])
    return api
