"""The journal (журнал регистрации событий) in the console: recent entries and verification.

Entries hold no personal data (subjects by pseudonymous id), so the page shows them as stored:
sequence number, time, actor, action, subject, fields, purpose, result. «Проверить» runs the
same verification as ``opeka journal verify`` (chain and signed checkpoints) and shows the
report, or the first bad entry.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from opeka.db.engine import read_only
from opeka.journal.errors import JournalCorrupt
from opeka.journal.recent import journal_status, recent_entries
from opeka.journal.verify import verify_journal
from opeka.ops import logs
from opeka.web.console.deps import JournalRead, JournalVerify
from opeka.web.console.pages import check_csrf, opeka_of, page, parse_uuid, redirect
from opeka.web.console.routing import ConsoleRoute

PAGE_SIZE = 50
log = logs.get("console")


def journal_page(
    request: Request,
    principal: JournalRead,
    subject: Annotated[str, Query(max_length=36)] = "",
    before: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Recent entries, newest first (``subject`` filters by pseudonymous id)."""
    sid = parse_uuid(subject, "Субъект", "Subject") if subject.strip() else None
    with read_only(opeka_of(request).data_engine) as conn:
        entries = recent_entries(conn, limit=PAGE_SIZE, before=before, subject_id=sid)
        state = journal_status(conn)
    return page(
        request, principal, "journal.html.j2", page_=entries, state=state, subject=sid or ""
    )


def journal_filter(
    request: Request,
    principal: JournalRead,
    subject: Annotated[str, Form(max_length=36)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Show the entries of one subject (a form posts the id; the page's URL carries it)."""
    check_csrf(request, csrf_token)
    if not subject.strip():
        return redirect("/console/journal")
    sid = parse_uuid(subject, "Субъект", "Subject")
    return redirect(f"/console/journal?subject={sid}")


def journal_verify(
    request: Request, principal: JournalVerify, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    """Verify the whole journal and show the report or the first bad entry."""
    check_csrf(request, csrf_token)
    opeka = opeka_of(request)
    report = failure = None
    with read_only(opeka.data_engine) as conn:
        try:
            report = verify_journal(
                conn,
                public_key=opeka.signing_key.public_key(),
                checkpoint_file=opeka.services.checkpoint_file,
            )
        except JournalCorrupt as exc:
            failure = exc
            log.error("journal verification from the console FAILED at entry %s", exc.seq)
    return page(request, principal, "journal_verify.html.j2", report=report, failure=failure)


def routes() -> APIRouter:
    """The journal page and its verification."""
    api = APIRouter(include_in_schema=False, route_class=ConsoleRoute)
    api.add_api_route("/console/journal", journal_page, methods=["GET"])
    api.add_api_route("/console/journal/filter", journal_filter, methods=["POST"])
    api.add_api_route("/console/journal/verify", journal_verify, methods=["POST"])
    return api
