"""The REST API under ``/api/v1`` (OpenAPI at ``/api/openapi.json``, reference at ``/api/docs``).

Clients authenticate with API keys (``Authorization: Bearer opk_…``) holding scopes and the
purposes they may state; every call about a subject states its purpose in ``X-Opeka-Purpose``,
and every write carries an ``Idempotency-Key``. Resources: :mod:`.subjects`, :mod:`.consents`,
:mod:`.requests`; dependencies in :mod:`.calls`, the route class and problem documentation in
:mod:`.routing`. Errors are RFC 9457 problems in Russian and English
(:mod:`opeka.web.problems`).
"""

from __future__ import annotations

from fastapi import APIRouter

from opeka.app import Opeka
from opeka.web.api import consents, requests, subjects
from opeka.web.api.calls import KEY_HEADER, PURPOSE_HEADER
from opeka.web.api.routing import api_route_class, safe_names
from opeka.web.api.schemas import MODELS

__all__ = ["router"]

PARAMETERS = (PURPOSE_HEADER, KEY_HEADER, "subject_id", "record_id", "request_id", "fields")
"""Parameter names an error may name (besides body members and field codes)."""


def router(opeka: Opeka) -> APIRouter:
    """Every resource of the REST API (a ``create_app`` router factory)."""
    known = {*opeka.rules.fields, *PARAMETERS}
    route_class = api_route_class(safe_names(MODELS, known))
    api = APIRouter()
    for resource in (subjects, consents, requests):
        api.include_router(resource.router(opeka, route_class=route_class))
    return api
