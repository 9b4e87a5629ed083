"""``/api/v1/requests``: register a data-subject request received through the API; its status."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import JSONResponse

from opeka.app import Opeka
from opeka.auth.apikeys import Scope
from opeka.db.base import utcnow
from opeka.journal.entry import Action
from opeka.requests import service, store
from opeka.requests.kinds import Channel
from opeka.web.api import inputs
from opeka.web.api.calls import Caller, RequirePurpose, RequireWrite, Writer, answer
from opeka.web.api.routing import documented_key, problems
from opeka.web.api.schemas import OpenRequestIn, RequestStatus
from opeka.web.api.views import request_status
from opeka.web.deps import UowDep


def router(opeka: Opeka, *, route_class: type) -> APIRouter:
    """The requests resource."""
    api = APIRouter(
        prefix="/api/v1/requests",
        tags=["requests"],
        route_class=route_class,
        dependencies=documented_key(),
    )
    rules = opeka.rules

    @api.post(
        "",
        status_code=201,
        response_model=RequestStatus,
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    def open_request(
        body: OpenRequestIn,
        uow: UowDep,
        call: Annotated[Writer, Depends(RequireWrite(Scope.REQUESTS_WRITE, Action.USE))],
    ) -> JSONResponse:
        """Register a request (received now, channel api); its term runs from today."""
        row = service.open_request(
            uow,
            kind=body.kind,
            channel=Channel.API,
            received_at=utcnow(),
            subject_id=body.subject_id,
            purposes=inputs.purposes(rules, body.purposes),
            actor=call.actor,
        )
        return answer(uow, call, request_status(row), status=201)

    @api.get("/{request_id}", response_model=RequestStatus, responses=problems(401, 403, 404, 422))
    def status(
        request_id: uuid.UUID,
        uow: UowDep,
        call: Annotated[Caller, Depends(RequirePurpose(Scope.REQUESTS_READ, Action.USE))],
    ) -> RequestStatus:
        """A request's status and due date (the extended one when the term was extended)."""
        return request_status(store.require(uow.data, request_id))

    return api
