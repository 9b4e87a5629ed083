"""Consent grants: one row per subject and purpose, with channel and evidence (no values).

This is the part of consent the spine needs to authorize: is there an active consent for this
subject and purpose? It is an index, kept in step with the append-only proof in
:mod:`opeka.consent.records` (documents, versions, evidence, receipts), which writes a grant
with every consent it records and withdraws the grants with every withdrawal.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from opeka.db.base import utcnow
from opeka.db.bulk import bulk_insert
from opeka.db.subjects import consent_grant

CHANNELS = frozenset({"portal", "form", "api", "email", "paper", "import", "console"})


@dataclass(frozen=True, slots=True)
class ConsentEvidence:
    """How a consent was obtained: the channel and a reference to the proof (never values)."""

    channel: str
    evidence: str

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise ValueError(f"consent channel must be one of {', '.join(sorted(CHANNELS))}")
        if not self.evidence.strip() or len(self.evidence) > 500:
            raise ValueError("consent evidence must be 1-500 characters")


def has_active(conn: Connection, *, subject_id: uuid.UUID, purpose: str) -> bool:
    """True if the subject has a consent for ``purpose`` that is not withdrawn."""
    found = conn.execute(
        select(consent_grant.c.id)
        .where(
            consent_grant.c.subject_id == subject_id,
            consent_grant.c.purpose == purpose,
            consent_grant.c.withdrawn_at.is_(None),
        )
        .limit(1)
    ).first()
    return found is not None


def active_purposes(conn: Connection, *, subject_id: uuid.UUID) -> frozenset[str]:
    """The purposes the subject has an active (not withdrawn) consent for."""
    rows = conn.execute(
        select(consent_grant.c.purpose)
        .where(consent_grant.c.subject_id == subject_id, consent_grant.c.withdrawn_at.is_(None))
        .distinct()
    )
    return frozenset(row.purpose for row in rows)


def grant_rows(
    subject_id: uuid.UUID, purposes: list[str], evidence: ConsentEvidence
) -> list[dict[str, object]]:
    """Rows recording consents for ``purposes`` (inserted by the caller, in bulk if need be)."""
    now = utcnow()
    return [
        {
            "subject_id": subject_id,
            "purpose": purpose,
            "channel": evidence.channel,
            "evidence": evidence.evidence,
            "given_at": now,
            "withdrawn_at": None,
        }
        for purpose in purposes
    ]


def insert_rows(conn: Connection, rows: list[dict[str, object]]) -> None:
    """Insert rows made by :func:`grant_rows`."""
    bulk_insert(conn, consent_grant, rows)


def record(
    conn: Connection, *, subject_id: uuid.UUID, purposes: list[str], evidence: ConsentEvidence
) -> None:
    """Record consents for ``purposes``."""
    insert_rows(conn, grant_rows(subject_id, purposes, evidence))


def withdraw(conn: Connection, *, subject_id: uuid.UUID, purpose: str) -> int:
    """Withdraw the active consents for ``purpose``; return how many were active."""
    result = conn.execute(
        update(consent_grant)
        .where(
            consent_grant.c.subject_id == subject_id,
            consent_grant.c.purpose == purpose,
            consent_grant.c.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=utcnow())
    )
    return result.rowcount
