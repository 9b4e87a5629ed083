"""Rate limits of the portal's forms, per client address (or per subject, for the password).

A counter must survive the refusal it causes, so :func:`check` counts in a transaction of its
own on the engine (as :mod:`opeka.auth.attempts` does for sign-ins), before the caller's unit of
work begins. Keys name the form and who submits it (``portal:register:ip:<ip>``); the limiter
stores them as HMACs, never in clear.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from opeka.auth.context import Auth
from opeka.auth.errors import TooManyAttempts
from opeka.auth.ratelimit import Limit
from opeka.db.base import utcnow

REGISTER_PER_IP = Limit(10, 3600)
FORM_PER_IP = Limit(20, 3600)
RESET_PER_IP = Limit(10, 3600)
PASSWORD_PER_SUBJECT = Limit(10, 900)


@dataclass(frozen=True, slots=True)
class PortalLimits:
    """How often one address may submit each public form."""

    register_per_ip: Limit = REGISTER_PER_IP
    form_per_ip: Limit = FORM_PER_IP
    reset_per_ip: Limit = RESET_PER_IP
    password_per_subject: Limit = PASSWORD_PER_SUBJECT


def check(
    engine: Engine,
    *,
    auth: Auth,
    form: str,
    who: str,
    limit: Limit,
    now: dt.datetime | None = None,
) -> None:
    """Count one submission of ``form`` by ``who`` (``ip:<address>``, ``subject:<id>``).

    Raises :class:`TooManyAttempts` past ``limit``.
    """
    with engine.begin() as conn:
        decision = auth.limiter.check(
            conn, key=f"portal:{form}:{who}", limit=limit, now=now or utcnow()
        )
    if not decision.allowed:
        raise TooManyAttempts(decision.retry_after_seconds)
