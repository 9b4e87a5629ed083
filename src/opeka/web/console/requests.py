"""Requests in the console: the queue by deadline, one request's history, registering a request
received on paper, by phone, by e-mail or in person, and the register's export.

The queue is sorted by the deadline in force and marks every request overdue, due soon or on
time (:func:`opeka.requests.queue.queue`); an overdue request also raises the banner on every
console page (:mod:`opeka.web.console.pages`).
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from opeka.db.engine import read_only
from opeka.requests import service, store
from opeka.requests.clock import moscow_today, parse_received
from opeka.requests.deadlines import status
from opeka.requests.kinds import (
    CHANNEL_TITLES_RU,
    DEFAULT_CALENDAR,
    KINDS,
    STAFF_CHANNELS,
    Channel,
    RequestKind,
)
from opeka.requests.queue import DEADLINE_TITLES_RU, queue
from opeka.requests.register import register_rows, write_csv, write_xlsx
from opeka.requests.states import OPEN, STATUS_TITLES_RU
from opeka.web.console.deps import RequestsManage, RequestsRead
from opeka.web.console.pages import check_csrf, opeka_of, page, parse_uuid, redirect
from opeka.web.console.routing import ConsoleRoute
from opeka.web.deps import UowDep
from opeka.web.problems import Problem, ProblemError

TITLES: dict[str, Any] = {
    "kinds": KINDS,
    "channels": CHANNEL_TITLES_RU,
    "statuses": STATUS_TITLES_RU,
    "deadlines": DEADLINE_TITLES_RU,
}
EXPORTS = {
    "csv": ("text/csv; charset=utf-8", write_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx),
}


def request_queue(request: Request, principal: RequestsRead) -> Response:
    """Open requests by deadline, with their standing."""
    with read_only(opeka_of(request).data_engine) as conn:
        rows = queue(conn, today=moscow_today())
    return page(request, principal, "requests.html.j2", rows=rows, **TITLES)


def request_detail(request: Request, principal: RequestsRead, request_id: uuid.UUID) -> Response:
    """One request: its fields, deadline, history and (for managers) the next steps."""
    with read_only(opeka_of(request).data_engine) as conn:
        row = store.require(conn, request_id)
        events = store.events(conn, request_id)
    deadline = None
    if row.status in OPEN:
        deadline = status(row.effective_due, moscow_today(), calendar=DEFAULT_CALENDAR)
    return page(
        request,
        principal,
        "request.html.j2",
        row=row,
        events=events,
        deadline=deadline,
        automatic=KINDS[row.kind].automatic,
        **TITLES,
    )


def new_form(
    request: Request,
    principal: RequestsManage,
    subject: Annotated[str, Query(max_length=36)] = "",
) -> Response:
    """The form to register a request received outside Opeka, with its real receipt date."""
    return page(
        request,
        principal,
        "request_new.html.j2",
        subject=subject,
        kinds=list(RequestKind),
        channels=[c for c in Channel if c in STAFF_CHANNELS],
        titles=KINDS,
        channel_titles=CHANNEL_TITLES_RU,
        today=moscow_today().isoformat(),
    )


def _invalid(ru: str, en: str) -> ProblemError:
    return ProblemError(Problem(422, "invalid_request", "Неверные данные", "Invalid data", ru, en))


def register_new(
    request: Request,
    principal: RequestsManage,
    uow: UowDep,
    kind: Annotated[str, Form(max_length=40)],
    channel: Annotated[str, Form(max_length=40)],
    received: Annotated[str, Form(max_length=40)],
    subject_id: Annotated[str, Form(max_length=36)] = "",
    purposes: Annotated[list[str] | None, Form(max_length=20)] = None,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Register the request (its term runs from the receipt date) and open it."""
    check_csrf(request, csrf_token)
    if channel not in {c.value for c in STAFF_CHANNELS}:
        raise _invalid("Канал: бумага, телефон, почта или личный приём.", "Channel: staff only.")
    try:
        received_at = parse_received(received)
    except ValueError:
        raise _invalid("Дата получения: ГГГГ-ММ-ДД.", "Receipt date: YYYY-MM-DD.") from None
    sid = parse_uuid(subject_id, "Субъект", "Subject") if subject_id.strip() else None
    row = service.open_request(
        uow,
        kind=kind,
        channel=channel,
        received_at=received_at,
        subject_id=sid,
        purposes=purposes or (),
        actor=principal.actor,
    )
    return redirect(f"/console/requests/{row.id}?msg=registered")


def export(request: Request, principal: RequestsRead, fmt: str) -> Response:
    """The register of requests as CSV or XLSX (pseudonymous ids only)."""
    if fmt not in EXPORTS:
        raise ProblemError(Problem(404, "http_404", "Не найдено", "Not found"))
    media, write = EXPORTS[fmt]
    today = moscow_today()
    with read_only(opeka_of(request).data_engine) as conn:
        rows = register_rows(conn, today=today)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"register.{fmt}"
        write(rows, path)
        body = path.read_bytes()
    name = f"requests-register-{today.isoformat()}.{fmt}"
    headers = {"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"}
    return Response(body, media_type=media, headers=headers)


def routes() -> APIRouter:
    """Queue, registration, export and detail (static paths before the parametrised one)."""
    api = APIRouter(include_in_schema=False, route_class=ConsoleRoute)
    api.add_api_route("/console/requests", request_queue, methods=["GET"])
    api.add_api_route("/console/requests/new", new_form, methods=["GET"])
    api.add_api_route("/console/requests/new", register_new, methods=["POST"])
    api.add_api_route("/console/requests/register.{fmt}", export, methods=["GET"])
    api.add_api_route("/console/requests/{request_id}", request_detail, methods=["GET"])
    return api
