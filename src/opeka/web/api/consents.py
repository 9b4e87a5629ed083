"""Consents: give, withdraw (blocking and scheduling destruction when no basis is left),
history, and the signed receipt of a record."""

from __future__ import annotations

import functools
import uuid
from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter, Depends
from starlette.responses import JSONResponse

from opeka.app import Opeka
from opeka.auth.apikeys import Scope
from opeka.consent import receipts, records, signing, store
from opeka.consent.orchestration import withdraw_consent
from opeka.consent.withdrawal import ALL
from opeka.journal.entry import Action
from opeka.processing import subjects
from opeka.requests.kinds import Channel, VerificationMethod
from opeka.web.api import inputs
from opeka.web.api.calls import Caller, RequirePurpose, RequireWrite, Writer, answer
from opeka.web.api.routing import documented_key, problems
from opeka.web.api.schemas import ConsentHistory, GiveIn, Given, Receipt, WithdrawIn, Withdrawn
from opeka.web.api.views import consent_event
from opeka.web.deps import UowDep


def router(opeka: Opeka, *, route_class: type) -> APIRouter:
    """The consents resource."""
    api = APIRouter(
        prefix="/api/v1", tags=["consents"], route_class=route_class, dependencies=documented_key()
    )
    rules = opeka.rules

    @functools.cache
    def signing_key() -> Ed25519PrivateKey:
        return signing.signing_key(opeka.settings.keys_dir)

    @api.post(
        "/subjects/{subject_id}/consents",
        status_code=201,
        response_model=Given,
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    def give(
        subject_id: uuid.UUID,
        body: GiveIn,
        uow: UowDep,
        call: Annotated[Writer, Depends(RequireWrite(Scope.CONSENTS_WRITE, Action.RECORD))],
    ) -> JSONResponse:
        """Record the subject's consent to a published version of a consent document."""
        record = records.give(
            uow,
            actor=call.actor,
            document_id=body.document_id,
            version=body.version,
            channel="api",
            evidence=inputs.evidence(body.evidence),
            subject_id=subject_id,
            language=body.language,
        )
        given = Given(
            record_id=record.id,
            purpose=record.purpose,
            document_id=body.document_id,
            document_version=body.version,
        )
        return answer(uow, call, given, status=201)

    @api.post(
        "/subjects/{subject_id}/consents/withdraw",
        response_model=Withdrawn,
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    def withdraw(
        subject_id: uuid.UUID,
        body: WithdrawIn,
        uow: UowDep,
        call: Annotated[Writer, Depends(RequireWrite(Scope.CONSENTS_WRITE, Action.RECORD))],
    ) -> JSONResponse:
        """Withdraw consents; with no basis left the subject is blocked and destruction set."""
        done = withdraw_consent(
            uow,
            actor=call.actor,
            subject_id=subject_id,
            purposes=ALL if body.purposes == ALL else inputs.purposes(rules, body.purposes),
            channel=Channel.API,
            verified_by=VerificationMethod.API_CLIENT,
        )
        request = done.request
        result = Withdrawn(
            withdrawn=list(done.outcome.purposes_withdrawn),
            remaining_basis=done.outcome.remaining_basis,
            blocked=done.blocked,
            request_id=request.id if request else None,
            request_number=request.number if request else None,
            destruction_due=done.destruction_due,
        )
        return answer(uow, call, result)

    @api.get(
        "/subjects/{subject_id}/consents",
        response_model=ConsentHistory,
        responses=problems(401, 403, 404, 422),
    )
    def history(
        subject_id: uuid.UUID,
        uow: UowDep,
        call: Annotated[Caller, Depends(RequirePurpose(Scope.CONSENTS_READ, Action.USE))],
    ) -> ConsentHistory:
        """The subject's consent records, oldest first (documents and channels, no evidence)."""
        subjects.load(uow.data, subject_id)
        found = store.history(uow.data, subject_id=subject_id)
        return ConsentHistory(subject_id=subject_id, records=[consent_event(r) for r in found])

    @api.get(
        "/consents/receipts/{record_id}",
        response_model=Receipt,
        responses=problems(401, 403, 404, 422),
    )
    def receipt(
        record_id: uuid.UUID,
        uow: UowDep,
        call: Annotated[Caller, Depends(RequirePurpose(Scope.CONSENTS_READ, Action.USE))],
    ) -> Receipt:
        """The Ed25519-signed receipt of a consent record (ISO/IEC TS 27560 fields)."""
        return receipts.receipt_for(
            uow.data, record_id, policy=opeka.policy, signing_key=signing_key()
        )

    return api
