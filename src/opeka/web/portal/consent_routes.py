"""«Мои согласия»: each consent with its document, given or withdrawn, and its signed receipt."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy import Connection
from starlette.responses import HTMLResponse, Response

from opeka.auth.principals import PrincipalKind
from opeka.consent.receipts import to_json
from opeka.db.engine import read_only
from opeka.selfservice import closure, consents
from opeka.selfservice.errors import ConsentNotGiven
from opeka.selfservice.reconsent import pending_reconsent
from opeka.web import csrf
from opeka.web.deps import UowDep
from opeka.web.portal.support import (
    NO_STORE,
    Portal,
    SubjectDep,
    client_of,
    message,
    page,
    redirect,
    refusals,
)
from opeka.web.principals import SubjectPrincipal, sign_out

Field = Annotated[str, Form()]


def consents_page(
    request: Request,
    portal: Portal,
    conn: Connection,
    who: SubjectPrincipal,
    *,
    error: str = "",
    failed: str = "",
) -> HTMLResponse:
    """The page of the subject's consents (``failed`` marks the purpose an error concerns)."""
    found = consents.states(conn, portal.opeka.policy, subject_id=who.subject_id)
    return page(
        request,
        "portal/consents.html.j2",
        status_code=422 if error else 200,
        signed_in=True,
        section="consents",
        states=found,
        reconsent=pending_reconsent(conn, subject_id=who.subject_id),
        error=error,
        failed=failed,
    )


def router(portal: Portal) -> APIRouter:
    """The consents page, giving, withdrawing and receipts."""
    api = APIRouter()

    @api.get("/consents")
    def consent_list(request: Request, who: SubjectDep) -> HTMLResponse:
        """Every consent offered to the subject, its document and state."""
        with read_only(portal.opeka.data_engine) as conn:
            return consents_page(request, portal, conn, who)

    @api.post("/consents/{purpose}/give")
    def give(
        request: Request,
        purpose: str,
        uow: UowDep,
        who: SubjectDep,
        agree: Field = "",
        version: Field = "",
        csrf_token: Field = "",
    ) -> Response:
        """Give the consent to the version shown, if its box is ticked."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        if agree != "yes" or not version:
            error = message(request, ConsentNotGiven())
            return consents_page(request, portal, uow.data, who, error=error, failed=purpose)
        with refusals():
            consents.give(
                uow,
                subject_id=who.subject_id,
                purpose=purpose,
                version=version,
                client=client_of(request),
            )
        return redirect("/portal/consents?done=given")

    _withdraw_and_receipts(api, portal)
    return api


def _withdraw_and_receipts(api: APIRouter, portal: Portal) -> None:
    """Withdrawing and receipts."""

    @api.post("/consents/{purpose}/withdraw")
    def withdraw(
        request: Request, purpose: str, who: SubjectDep, csrf_token: Field = ""
    ) -> Response:
        """Withdraw; with no legal basis left the account closes (policy 5.3)."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        with refusals():
            done = closure.withdraw(
                portal.opeka, subject_id=who.subject_id, purpose=purpose, client=client_of(request)
            )
        if done.closure is None:
            return redirect("/portal/consents?done=withdrawn")
        response = page(request, "portal/closed.html.j2", closure=done.closure)
        sign_out(request, response, kind=PrincipalKind.SUBJECT)
        return response

    @api.get("/consents/receipts/{record_id}")
    def receipt(record_id: uuid.UUID, who: SubjectDep) -> Response:
        """The signed receipt of one of the subject's consent records (JSON)."""
        with read_only(portal.opeka.data_engine) as conn, refusals():
            body = consents.receipt(
                conn,
                policy=portal.opeka.policy,
                signing_key=portal.receipt_key,
                subject_id=who.subject_id,
                record_id=record_id,
            )
        return Response(
            to_json(body).encode("utf-8"),
            media_type="application/json; charset=utf-8",
            headers={
                "content-disposition": f'attachment; filename="consent-receipt-{record_id}.json"',
                "cache-control": NO_STORE,
            },
        )
