"""Subjects in the console: search by e-mail or phone (POST only) and the masked subject card.

The e-mail or phone searched for travels only in the POST body and is never echoed into a URL;
results link to cards by pseudonymous id with the purpose of the search (a policy code, not
personal data). A card shows masks only: the fields the role could unmask for that purpose are
read through the spine to compute them (journaled as a masked view), the others are not read.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from opeka.policy.errors import PolicyRefusal
from opeka.processing.reasons import DESTRUCTION_REASONS
from opeka.processing.service import Processing
from opeka.subjects.card import load_card, search
from opeka.subjects.masking import MASK
from opeka.subjects.staff_actions import masked_values
from opeka.web.console.deps import SubjectsSearch
from opeka.web.console.pages import check_csrf, page, staff_role
from opeka.web.console.routing import ConsoleRoute
from opeka.web.deps import UowDep
from opeka.web.principals import StaffPrincipal


def search_form(request: Request, principal: SubjectsSearch) -> Response:
    """The search form: e-mail or phone, and one of the role's purposes."""
    return page(request, principal, "subjects.html.j2", results=None)


def search_results(
    request: Request,
    principal: SubjectsSearch,
    uow: UowDep,
    query: Annotated[str, Form(min_length=1, max_length=320)],
    purpose: Annotated[str, Form(max_length=48)],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Subjects matching the e-mail or phone (ids, categories and statuses only)."""
    check_csrf(request, csrf_token)
    found = search(Processing(uow, principal.actor, purpose), staff_role(principal), query=query)
    return page(request, principal, "subjects.html.j2", results=found, purpose=purpose)


def _unmaskable(principal: StaffPrincipal, held: tuple[str, ...]) -> list[str]:
    allowed = set(principal.role.unmask_fields)
    return [code for code in held if code in allowed]


def _editable(request: Request, principal: StaffPrincipal, category: str) -> list[str]:
    rules = request.app.state.opeka.rules
    declared = rules.category_fields.get(category, frozenset())
    return [c for c in principal.role.unmask_fields if c in declared]


def card(
    request: Request,
    principal: SubjectsSearch,
    uow: UowDep,
    subject_id: uuid.UUID,
    purpose: Annotated[str, Query(max_length=48)] = "",
) -> Response:
    """The subject card, masked; with ``purpose`` the role's visible fields as partial masks."""
    found = load_card(uow, subject_id, request.app.state.opeka.policy.fields)
    masks: dict[str, str] = {}
    refusal: PolicyRefusal | None = None
    if purpose in principal.role.purposes:
        try:
            masks = masked_values(
                Processing(uow, principal.actor, purpose), staff_role(principal), subject_id
            )
        except PolicyRefusal as exc:
            refusal = exc
    return page(
        request,
        principal,
        "subject.html.j2",
        card=found,
        masks=masks,
        mask=MASK,
        refusal=refusal,
        purpose=purpose if purpose in principal.role.purposes else "",
        unmaskable=_unmaskable(principal, found.held),
        editable=_editable(request, principal, found.facts.category),
        reasons=DESTRUCTION_REASONS,
    )


def routes() -> APIRouter:
    """Search and the subject card."""
    api = APIRouter(include_in_schema=False, route_class=ConsoleRoute)
    api.add_api_route("/console/subjects", search_form, methods=["GET"])
    api.add_api_route("/console/subjects/search", search_results, methods=["POST"])
    api.add_api_route("/console/subjects/{subject_id}", card, methods=["GET"])
    return api
