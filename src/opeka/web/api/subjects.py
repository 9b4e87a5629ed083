"""``/api/v1/subjects``: collect, read, rectify, find, block, and demand destruction.

Every route goes through the spine (``Processing``) for the purpose the caller states, as the
API client ``api:<id>``; the spine authorizes, applies and journals, refusals included.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse

from opeka.app import Opeka
from opeka.auth.apikeys import Scope
from opeka.consent.orchestration import collect_subject
from opeka.db.base import utcnow
from opeka.journal.entry import Action
from opeka.policy.rules import Rules
from opeka.processing.journaled_reads import Defer
from opeka.processing.service import Processing
from opeka.requests import service
from opeka.requests.kinds import Channel, RequestKind
from opeka.uow import UnitOfWork
from opeka.web.api import inputs
from opeka.web.api.calls import (
    Caller,
    PurposeHeader,
    RequirePurpose,
    RequireWrite,
    Writer,
    answer,
    read_caller,
)
from opeka.web.api.routing import documented_key, problems
from opeka.web.api.schemas import (
    Blocked,
    BlockIn,
    Collected,
    CollectIn,
    Found,
    RequestStatus,
    SearchIn,
    SubjectValues,
    Updated,
    UpdateIn,
)
from opeka.web.api.views import request_status
from opeka.web.deps import UowDep

FieldsQuery = Annotated[
    str | None,
    Query(
        max_length=2000,
        pattern=r"^[a-z0-9_, ]*$",
        description="Коды полей через запятую (по умолчанию все, разрешённые цели) / "
        "comma-separated field codes (default: every field the purpose may use)",
        examples=["last_name,email"],
    ),
]


def read_values(
    rules: Rules,
    uow: UnitOfWork,
    defer: Defer,
    *,
    authorization: str,
    purpose: str,
    subject_id: uuid.UUID,
    fields: str | None,
) -> dict[str, str]:
    """The read of ``GET /api/v1/subjects/{id}`` in a journaled read's unit of work.

    Shared by the route and its fast path (:mod:`opeka.web.api.read_fast`).
    """
    call = read_caller(
        uow,
        defer,
        authorization=authorization,
        scope=Scope.SUBJECTS_READ,
        purpose=purpose,
        subject_id=subject_id,
    )
    codes = inputs.fields_query(rules, fields)
    return Processing(uow, call.actor, call.purpose).read(subject_id, codes)


def router(opeka: Opeka, *, route_class: type) -> APIRouter:
    """The subjects resource."""
    api = APIRouter(
        prefix="/api/v1/subjects",
        tags=["subjects"],
        route_class=route_class,
        dependencies=documented_key(),
    )
    rules = opeka.rules

    @api.post(
        "",
        status_code=201,
        response_model=Collected,
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    def collect(
        body: CollectIn,
        uow: UowDep,
        call: Annotated[Writer, Depends(RequireWrite(Scope.SUBJECTS_WRITE, Action.COLLECT))],
    ) -> JSONResponse:
        """Collect (сбор) a subject; with a consent document when the purpose rests on consent."""
        consent = body.consent
        sid, record = collect_subject(
            Processing(uow, call.actor, call.purpose),
            category=inputs.category(rules, body.category),
            values={code: body.values[code] for code in inputs.field_codes(rules, body.values)},
            source=inputs.note(body.source, what="source", what_ru="источник"),
            document_id=consent.document_id if consent else None,
            version=consent.version if consent else None,
            evidence=inputs.evidence(consent.evidence) if consent else None,
        )
        return answer(
            uow,
            call,
            Collected(id=sid, consent_record_id=record.id if record else None),
            status=201,
        )

    @api.get("/{subject_id}", response_model=SubjectValues, responses=problems(401, 403, 404, 422))
    async def read(
        subject_id: uuid.UUID, request: Request, purpose: PurposeHeader, fields: FieldsQuery = None
    ) -> SubjectValues:
        """Extract (извлечение) the subject's values the stated purpose may use.

        The read runs in a read-only transaction; its journal entry commits together with those
        of concurrent reads, before the answer (:mod:`opeka.processing.journaled_reads`).
        """
        extract = partial(
            read_values,
            rules,
            authorization=request.headers.get("authorization", ""),
            purpose=purpose,
            subject_id=subject_id,
            fields=fields,
        )
        return SubjectValues(id=subject_id, values=await opeka.reads.run(extract))

    @api.patch(
        "/{subject_id}", response_model=Updated, responses=problems(400, 401, 403, 404, 409, 422)
    )
    def update(
        subject_id: uuid.UUID,
        body: UpdateIn,
        uow: UowDep,
        call: Annotated[Writer, Depends(RequireWrite(Scope.SUBJECTS_WRITE, Action.UPDATE))],
    ) -> JSONResponse:
        """Rectify (уточнение) values, with the reason (journaled)."""
        codes = inputs.field_codes(rules, body.values)
        reason = inputs.note(body.reason, what="reason", what_ru="основание")
        Processing(uow, call.actor, call.purpose).update(subject_id, body.values, reason=reason)
        return answer(uow, call, Updated(id=subject_id, updated=sorted(codes)))

    @api.post("/search", response_model=Found, responses=problems(400, 401, 403, 422))
    def search(
        body: SearchIn,
        uow: UowDep,
        call: Annotated[Caller, Depends(RequirePurpose(Scope.SUBJECTS_READ, Action.EXTRACT))],
    ) -> Found:
        """Find subjects by e-mail or phone (sent in the body, never in the URL)."""
        found = Processing(uow, call.actor, call.purpose).find(email=body.email, phone=body.phone)
        return Found(ids=found)

    @api.post(
        "/{subject_id}/block",
        response_model=Blocked,
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    def block(
        subject_id: uuid.UUID,
        body: BlockIn,
        uow: UowDep,
        call: Annotated[Writer, Depends(RequireWrite(Scope.SUBJECTS_BLOCK, Action.BLOCK))],
    ) -> JSONResponse:
        """Block (блокирование) the subject; a statutory purpose only (152-FZ art. 20–21)."""
        reason = inputs.note(body.reason, what="reason", what_ru="основание")
        Processing(uow, call.actor, call.purpose).block(subject_id, reason=reason)
        return answer(uow, call, Blocked(id=subject_id, status="blocked"))

    @api.post(
        "/{subject_id}/destruction-request",
        status_code=201,
        response_model=RequestStatus,
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    def destruction_request(
        subject_id: uuid.UUID,
        uow: UowDep,
        call: Annotated[Writer, Depends(RequireWrite(Scope.SUBJECTS_DESTROY, Action.USE))],
    ) -> JSONResponse:
        """Register the subject's demand to destroy its data (staff verify it; then it runs)."""
        row = service.open_request(
            uow,
            kind=RequestKind.DESTRUCTION,
            channel=Channel.API,
            received_at=utcnow(),
            subject_id=subject_id,
            actor=call.actor,
        )
        return answer(uow, call, request_status(row), status=201)

    return api
