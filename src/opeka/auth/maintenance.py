"""Purging what authentication no longer needs: old rate windows, dead sessions, old tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection

from opeka.auth import ratelimit, reset, sessions
from opeka.auth.context import Auth
from opeka.db.base import utcnow


@dataclass(frozen=True, slots=True)
class Purged:
    """How many rows each purge deleted."""

    rate_windows: int
    sessions: int
    reset_tokens: int


def purge(conn: Connection, *, auth: Auth, now: dt.datetime | None = None) -> Purged:
    """Delete expired rate windows, sessions and reset tokens (a periodic job calls this)."""
    now = now or utcnow()
    return Purged(
        rate_windows=ratelimit.purge_expired(conn, now=now),
        sessions=sessions.purge_expired(conn, auth=auth, now=now),
        reset_tokens=reset.purge_expired(conn, now=now),
    )
