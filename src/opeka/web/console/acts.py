"""«Документы» in the console: acts of destruction (RKN Order 179) and their downloads.

The list shows what the acts table keeps in clear — number, date, number of subjects, reason
codes — never a name. The date filter is a form (POST) that redirects to ``?since=&until=``:
dates only, no personal data in the URL. A download carries the act with its log extract as
PDF or JSON; the names in it are an извлечение, journaled for each subject of the act under the
staff member (:func:`opeka.documents.acts.issue`) in the request's unit of work, which commits
once the file is rendered and before it is sent. Downloads are attachments, never cached.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from opeka.db.engine import read_only
from opeka.documents import act_render, acts
from opeka.documents.extract import build_extract
from opeka.processing.reasons import DESTRUCTION_REASONS
from opeka.web.console.deps import DocumentsRead
from opeka.web.console.pages import NO_STORE, check_csrf, opeka_of, page, redirect
from opeka.web.console.routing import ConsoleRoute
from opeka.web.deps import UowDep
from opeka.web.problems import Problem, ProblemError

HOME = "/console/documents"
NUMBER = re.compile(r"^(\d{4})-[АA]-(\d{6})$")
FORMATS = {"pdf": "application/pdf", "json": "application/json; charset=utf-8"}
PAGE = 200
"""Acts listed at most on one page (newest first); the date filter reaches older ones."""
DateText = Annotated[str, Query(max_length=10)]
FormDate = Annotated[str, Form(max_length=10)]

_NOT_FOUND = Problem(404, "unknown_act", "Акт не найден", "No such act")


def parse_day(raw: str, what_ru: str, what_en: str) -> dt.date | None:
    """A date ``ГГГГ-ММ-ДД`` from a form or query (empty: None), or a 422 naming the field."""
    if not raw.strip():
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ProblemError(
            Problem(
                422,
                "invalid_date",
                "Неверная дата",
                "Invalid date",
                f"{what_ru}: ожидается дата вида ГГГГ-ММ-ДД.",
                f"{what_en}: expected a date such as 2026-11-24.",
            )
        ) from None


def act_number(raw: str) -> str:
    """The act number in its stored form (``2026-А-000123``; a Latin A is accepted), or 404."""
    found = NUMBER.match(raw.strip())
    if found is None:
        raise ProblemError(_NOT_FOUND)
    return f"{found.group(1)}-А-{found.group(2)}"


def acts_page(
    request: Request, principal: DocumentsRead, since: DateText = "", until: DateText = ""
) -> Response:
    """The newest acts dated within the range (both ends optional), at most a page; no names."""
    start = parse_day(since, "С даты", "From")
    end = parse_day(until, "По дату", "To")
    with read_only(opeka_of(request).data_engine) as conn:
        rows = acts.list_acts(conn, since=start, until=end, newest=PAGE + 1)
    return page(
        request,
        principal,
        "acts.html.j2",
        rows=rows[:PAGE],
        more=len(rows) > PAGE,
        page_size=PAGE,
        since=start.isoformat() if start else "",
        until=end.isoformat() if end else "",
        reasons=DESTRUCTION_REASONS,
    )


def acts_filter(
    request: Request,
    principal: DocumentsRead,
    since: FormDate = "",
    until: FormDate = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Show the acts of a date range (the form posts the dates; the page's URL carries them)."""
    check_csrf(request, csrf_token)
    start = parse_day(since, "С даты", "From")
    end = parse_day(until, "По дату", "To")
    query = urlencode(
        {name: value.isoformat() for name, value in (("since", start), ("until", end)) if value}
    )
    return redirect(f"{HOME}?{query}" if query else HOME)


def act_download(
    request: Request, principal: DocumentsRead, uow: UowDep, number: str, fmt: str
) -> Response:
    """The act and its log extract as an attachment (journaled as извлечение per subject)."""
    if fmt not in FORMATS:
        raise ProblemError(_NOT_FOUND)
    opeka = opeka_of(request)
    act = acts.issue(uow, number=act_number(number), actor=principal.actor, what=fmt)
    extract = build_extract(opeka.data_engine, act, policy=opeka.policy)
    if fmt == "pdf":
        body = act_render.document_pdf(act, extract, font_dir=opeka.settings.pdf_font_dir)
    else:
        body = act_render.document_json(act, extract)
    name = f"act-{act.number.replace('А', 'A')}.{fmt}"
    headers = {**NO_STORE, "content-disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=FORMATS[fmt], headers=headers)


def routes() -> APIRouter:
    """The acts page, its filter and the downloads."""
    api = APIRouter(include_in_schema=False, route_class=ConsoleRoute)
    api.add_api_route(HOME, acts_page, methods=["GET"])
    api.add_api_route(f"{HOME}/filter", acts_filter, methods=["POST"])
    api.add_api_route(HOME + "/{number}.{fmt}", act_download, methods=["GET"])
    return api
