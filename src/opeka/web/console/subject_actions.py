"""Actions on one subject: unmask (purpose-stated, journaled), rectify, block, destroy.

Unmasked values appear only in the body of the POST's response, which is marked
``Cache-Control: no-store``; they are never put in a URL or a redirect. Rectification, blocking
and destruction redirect back to the card (the purpose in that URL is a policy code).
"""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from opeka.ops import logs
from opeka.processing.service import Processing
from opeka.requests.journaling import DUTY
from opeka.subjects import staff_actions
from opeka.web.console.deps import SubjectsBlock, SubjectsDestroy, SubjectsEdit, SubjectsUnmask
from opeka.web.console.pages import check_csrf, page, redirect, staff_role
from opeka.web.console.routing import ConsoleRoute
from opeka.web.deps import UowDep

log = logs.get("console")
Csrf = Annotated[str, Form()]
Purpose = Annotated[str, Form(max_length=48)]
Reason = Annotated[str, Form(max_length=1000)]


def _card(subject_id: uuid.UUID, msg: str, purpose: str = "") -> Response:
    query = {"purpose": purpose, "msg": msg} if purpose else {"msg": msg}
    return redirect(f"/console/subjects/{subject_id}?{urlencode(query)}")


def unmask(
    request: Request,
    principal: SubjectsUnmask,
    uow: UowDep,
    subject_id: uuid.UUID,
    purpose: Purpose,
    fields: Annotated[list[str], Form(max_length=40)],
    csrf_token: Csrf = "",
) -> Response:
    """Show the chosen fields in clear on this response only (journaled as извлечение)."""
    check_csrf(request, csrf_token)
    p = Processing(uow, principal.actor, purpose)
    values = staff_actions.unmask(p, staff_role(principal), subject_id, fields)
    return page(
        request,
        principal,
        "unmasked.html.j2",
        subject_id=subject_id,
        values=values,
        purpose=purpose,
    )


def rectify(
    request: Request,
    principal: SubjectsEdit,
    uow: UowDep,
    subject_id: uuid.UUID,
    purpose: Purpose,
    field: Annotated[str, Form(max_length=48)],
    value: Annotated[str, Form(max_length=4000)],
    reason: Reason,
    csrf_token: Csrf = "",
) -> Response:
    """Rectify one field for a purpose of the role (уточнение)."""
    check_csrf(request, csrf_token)
    p = Processing(uow, principal.actor, purpose)
    staff_actions.rectify(
        p, staff_role(principal), subject_id, field=field, value=value, reason=reason
    )
    return _card(subject_id, "updated", purpose)


def block(
    request: Request,
    principal: SubjectsBlock,
    uow: UowDep,
    subject_id: uuid.UUID,
    reason: Reason,
    action: Annotated[str, Form(pattern="^(block|unblock)$")] = "block",
    csrf_token: Csrf = "",
) -> Response:
    """Block the subject, or lift the block (purpose ``legal.subject_rights``)."""
    check_csrf(request, csrf_token)
    p = Processing(uow, principal.actor, DUTY)
    blocked = action == "block"
    staff_actions.set_blocked(p, staff_role(principal), subject_id, blocked=blocked, reason=reason)
    log.info("staff user %d %sed subject %s", principal.user.id, action, subject_id)
    return _card(subject_id, "blocked" if blocked else "unblocked")


def destroy(
    request: Request,
    principal: SubjectsDestroy,
    uow: UowDep,
    subject_id: uuid.UUID,
    reason_code: Annotated[str, Form(max_length=40)],
    confirm: Annotated[str, Form(pattern="^yes$")],
    note: Reason = "",
    csrf_token: Csrf = "",
) -> Response:
    """Destroy the subject's data now, with a reason code of 152-FZ (уничтожение)."""
    check_csrf(request, csrf_token)
    p = Processing(uow, principal.actor, DUTY)
    staff_actions.destroy(p, staff_role(principal), subject_id, reason_code=reason_code, note=note)
    log.info("staff user %d destroyed subject %s (%s)", principal.user.id, subject_id, reason_code)
    return _card(subject_id, "destroyed")


def routes() -> APIRouter:
    """The subject actions."""
    api = APIRouter(include_in_schema=False, route_class=ConsoleRoute)
    api.add_api_route("/console/subjects/{subject_id}/unmask", unmask, methods=["POST"])
    api.add_api_route("/console/subjects/{subject_id}/rectify", rectify, methods=["POST"])
    api.add_api_route("/console/subjects/{subject_id}/block", block, methods=["POST"])
    api.add_api_route("/console/subjects/{subject_id}/destroy", destroy, methods=["POST"])
    return api
