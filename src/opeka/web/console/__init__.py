"""The console of the operator's staff (Russian first, English through the language switch).

``router(opeka)`` gathers the page groups: sign-in and overview (:mod:`.session`), subjects
(:mod:`.subjects`, :mod:`.subject_actions`), requests (:mod:`.requests`,
:mod:`.request_actions`), the journal (:mod:`.journal`), consent documents (:mod:`.consents`),
acts of destruction (:mod:`.acts`), analytics (:mod:`.analytics`), staff and API keys
(:mod:`.staff`, :mod:`.apikeys`). Every route declares the permission it needs (:mod:`.deps`);
the navigation only hides what the server refuses anyway.
"""

from __future__ import annotations

from fastapi import APIRouter

from opeka.app import Opeka
from opeka.web.console import (
    acts,
    analytics,
    apikeys,
    consents,
    journal,
    request_actions,
    requests,
    session,
    staff,
    subject_actions,
    subjects,
)

__all__ = ["router"]

_GROUPS = (
    session,
    subjects,
    subject_actions,
    requests,
    request_actions,
    journal,
    consents,
    acts,
    analytics,
    staff,
    apikeys,
)


def router(opeka: Opeka) -> APIRouter:
    """Every console route (a ``create_app`` router factory)."""
    del opeka  # the routes reach the wired Opeka through the request
    api = APIRouter(include_in_schema=False)
    for group in _GROUPS:
        api.include_router(group.routes())
    return api
