"""The steps staff take on a request: verify, match, start, complete, extend, refuse.

Each is one call of :mod:`opeka.requests.service` (or :mod:`~opeka.requests.extension`) in the
request's unit of work, which journals the step with it. Starting a request of a kind Opeka
executes by itself (withdrawal, blocking, destruction) runs the executor instead
(:func:`opeka.requests.executors.execute`, its own unit of work). Staff notes are checked for
identifiers by the service (a document's type, never its number).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from opeka.db.engine import read_only
from opeka.requests import executors, extension, service, store
from opeka.requests.clock import moscow_today
from opeka.requests.kinds import KINDS, VerificationMethod
from opeka.web.console.deps import RequestsManage
from opeka.web.console.pages import check_csrf, opeka_of, page, parse_uuid, redirect
from opeka.web.console.routing import ConsoleRoute
from opeka.web.deps import UowDep

Csrf = Annotated[str, Form()]
Text = Annotated[str, Form(max_length=1000)]


def _back(request_id: uuid.UUID, msg: str = "saved") -> Response:
    return redirect(f"/console/requests/{request_id}?msg={msg}")


def verify(
    request: Request,
    principal: RequestsManage,
    uow: UowDep,
    request_id: uuid.UUID,
    evidence: Text,
    csrf_token: Csrf = "",
) -> Response:
    """Record that staff checked the requester's document (its type, not its number)."""
    check_csrf(request, csrf_token)
    service.verify(
        uow,
        request_id=request_id,
        method=VerificationMethod.STAFF_DOCUMENT,
        evidence=evidence,
        actor=principal.actor,
    )
    return _back(request_id)


def match(
    request: Request,
    principal: RequestsManage,
    uow: UowDep,
    request_id: uuid.UUID,
    subject_id: Annotated[str, Form(max_length=36)],
    csrf_token: Csrf = "",
) -> Response:
    """Link the request to the subject it concerns (found with the subject search)."""
    check_csrf(request, csrf_token)
    sid = parse_uuid(subject_id, "Субъект", "Subject")
    service.match(uow, request_id=request_id, subject_id=sid, actor=principal.actor)
    return _back(request_id)


def start(
    request: Request, principal: RequestsManage, request_id: uuid.UUID, csrf_token: Csrf = ""
) -> Response:
    """Take the request into work; a kind Opeka executes by itself is executed at once."""
    check_csrf(request, csrf_token)
    opeka = opeka_of(request)
    with read_only(opeka.data_engine) as conn:
        row = store.require(conn, request_id)
    if KINDS[row.kind].automatic:
        executors.execute(opeka, request_id=request_id, actor=principal.actor)
        return _back(request_id, "executed")
    with opeka.unit_of_work() as uow:
        service.start(uow, request_id=request_id, actor=principal.actor)
    return _back(request_id)


def complete(
    request: Request,
    principal: RequestsManage,
    uow: UowDep,
    request_id: uuid.UUID,
    result: Text,
    csrf_token: Csrf = "",
) -> Response:
    """Close the request as done, with a short result (no personal data)."""
    check_csrf(request, csrf_token)
    service.complete(uow, request_id=request_id, result=result, actor=principal.actor)
    return _back(request_id)


def refuse(
    request: Request,
    principal: RequestsManage,
    uow: UowDep,
    request_id: uuid.UUID,
    reason: Text,
    csrf_token: Csrf = "",
) -> Response:
    """Refuse the request with a reasoned text citing its legal ground."""
    check_csrf(request, csrf_token)
    service.refuse(uow, request_id=request_id, reason=reason, actor=principal.actor)
    return _back(request_id)


def extend(
    request: Request,
    principal: RequestsManage,
    uow: UowDep,
    request_id: uuid.UUID,
    reason: Text,
    csrf_token: Csrf = "",
) -> Response:
    """Extend the term once; the page shows the reasoned notice to send to the subject."""
    check_csrf(request, csrf_token)
    notice = extension.extend(
        uow, request_id=request_id, reason=reason, actor=principal.actor, today=moscow_today()
    )
    return page(request, principal, "extension.html.j2", notice=notice)


def routes() -> APIRouter:
    """The steps on one request."""
    api = APIRouter(include_in_schema=False, route_class=ConsoleRoute)
    for name, handler in (
        ("verify", verify),
        ("match", match),
        ("start", start),
        ("complete", complete),
        ("refuse", refuse),
        ("extend", extend),
    ):
        api.add_api_route(f"/console/requests/{{request_id}}/{name}", handler, methods=["POST"])
    return api
