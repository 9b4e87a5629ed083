"""The data subjects' portal (Russian first, English via the preferences cookie of policy 6.2).

Pages under ``/portal``: registration, sign-in and out, password change and reset
(:mod:`.register_routes`, :mod:`.session_routes`, :mod:`.reset_routes`); «Мои данные» with its
edit form and JSON copy (:mod:`.data_routes`); «Мои согласия» (:mod:`.consent_routes`); «Мои
запросы» with the copy of the data through one-time links (:mod:`.request_routes`); privacy
settings and account deletion (:mod:`.account_routes`); and the visitor forms without an
account — a question and event registration (:mod:`.visitor_routes`). The rules behind every
page live in :mod:`opeka.selfservice`; these routes parse, call and render.
"""

from __future__ import annotations

from fastapi import APIRouter

from opeka.app import Opeka
from opeka.mail.mailers import Mailer
from opeka.selfservice.limits import PortalLimits
from opeka.web.portal import (
    account_routes,
    consent_routes,
    data_routes,
    register_routes,
    request_routes,
    reset_routes,
    session_routes,
    visitor_routes,
)
from opeka.web.portal.support import Portal

_PARTS = (
    register_routes,
    session_routes,
    reset_routes,
    data_routes,
    consent_routes,
    request_routes,
    account_routes,
    visitor_routes,
)


def router(
    opeka: Opeka, *, mailer: Mailer | None = None, limits: PortalLimits | None = None
) -> APIRouter:
    """The portal's routes (a ``create_app`` router factory; tests pass a mailer and limits)."""
    portal = Portal(opeka, limits or PortalLimits(), mailer)
    api = APIRouter(prefix="/portal", include_in_schema=False)
    for part in _PARTS:
        api.include_router(part.router(portal))
    return api


__all__ = ["Portal", "router"]
