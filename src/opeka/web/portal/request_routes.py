"""«Мои запросы» and «Получить копию моих данных»: the subject's requests and one-time downloads.

The copy is asked for with a form (POST, CSRF): an access request is opened and two one-time
links are shown on that response only (the tokens are random secrets, not personal data; only
their hashes are kept). Opening a link builds the package then, for the same signed-in subject
only, as an attachment that no browser or proxy keeps; the first download answers the request.
Nothing is ever mailed (:mod:`opeka.selfservice.access`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from sqlalchemy import Connection
from starlette.responses import HTMLResponse, Response

from opeka.db.engine import read_only
from opeka.documents.downloads import MAX_TOKEN
from opeka.requests.clock import MOSCOW
from opeka.selfservice import access, my_requests
from opeka.selfservice.access import AccessLinks
from opeka.web import csrf
from opeka.web.deps import UowDep
from opeka.web.portal.support import NO_STORE, Portal, SubjectDep, page
from opeka.web.principals import SubjectPrincipal

Token = Annotated[str, Path(min_length=1, max_length=MAX_TOKEN)]


def requests_page(
    request: Request,
    conn: Connection,
    who: SubjectPrincipal,
    *,
    links: AccessLinks | None = None,
) -> HTMLResponse:
    """The page of the subject's requests (with the new links after a copy was asked for)."""
    return page(
        request,
        "portal/requests.html.j2",
        signed_in=True,
        section="requests",
        rows=my_requests.my_requests(conn, subject_id=who.subject_id),
        links=links,
        moscow=MOSCOW,
    )


def router(portal: Portal) -> APIRouter:
    """GET /portal/requests, POST /portal/requests/access, GET /portal/downloads/{token}."""
    api = APIRouter()

    @api.get("/requests")
    def request_list(request: Request, who: SubjectDep) -> HTMLResponse:
        """Every request of the subject: number, kind, dates, deadline, status."""
        with read_only(portal.opeka.data_engine) as conn:
            return requests_page(request, conn, who)

    @api.post("/requests/access")
    def request_copy(
        request: Request, uow: UowDep, who: SubjectDep, csrf_token: Annotated[str, Form()] = ""
    ) -> HTMLResponse:
        """Open the access request (verified by the session) and show its one-time links."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        portal.limit(request, "access", portal.limits.form_per_ip, who=f"subject:{who.subject_id}")
        links = access.request_copy(uow, subject_id=who.subject_id)
        return requests_page(request, uow.data, who, links=links)

    @api.get("/downloads/{token}")
    def download(token: Token, uow: UowDep, who: SubjectDep) -> Response:
        """The package behind a one-time link of the signed-in subject, as an attachment."""
        got = access.download(
            uow, subject_id=who.subject_id, token=token, font_dir=portal.opeka.settings.pdf_font_dir
        )
        return Response(
            got.body,
            media_type=got.media_type,
            headers={
                "content-disposition": f'attachment; filename="{got.filename}"',
                "cache-control": NO_STORE,
            },
        )

    return api
