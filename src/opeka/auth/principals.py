"""Who can sign in: a data subject (portal) or a staff member (console)."""

from __future__ import annotations

from enum import StrEnum


class PrincipalKind(StrEnum):
    """The kind of principal a session or cookie belongs to."""

    SUBJECT = "subject"
    STAFF = "staff"
