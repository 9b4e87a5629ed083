"""What the console shows of a subject without reading any value: the subject card and search.

A card holds the subject's pseudonymous id, category, status, source and times, the codes of
the fields held (read from the vault's framing, nothing is decrypted), the history of consents
and the open requests. Values appear only as masks or, after a purpose-stated unmasking, on one
response page (:mod:`opeka.subjects.staff_actions`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from opeka.consent import store as consent_store
from opeka.consent.store import ConsentRecord
from opeka.db.subjects import subject
from opeka.journal.entry import Action
from opeka.policy.errors import PolicyRefusal
from opeka.processing.errors import SubjectNotFound
from opeka.processing.service import Processing
from opeka.processing.subjects import Status
from opeka.requests import store as request_store
from opeka.requests.store import RequestRow
from opeka.subjects.access import StaffRole, check_purpose
from opeka.uow import UnitOfWork
from opeka.vault import service as vault

__all__ = ["SubjectCard", "SubjectFacts", "counts_by_status", "facts", "load_card", "search"]


@dataclass(frozen=True, slots=True)
class SubjectFacts:
    """A subject's row: no personal data (the id is pseudonymous, the source a document name)."""

    id: uuid.UUID
    category: str
    status: Status
    source: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    blocked_at: dt.datetime | None
    destroyed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class SubjectCard:
    """Everything the card shows before anything is unmasked."""

    facts: SubjectFacts
    held: tuple[str, ...]
    consents: tuple[ConsentRecord, ...]
    active_purposes: frozenset[str]
    open_requests: tuple[RequestRow, ...]


def facts(conn: Connection, subject_id: uuid.UUID) -> SubjectFacts:
    """The subject's row, or :class:`SubjectNotFound`."""
    row = conn.execute(select(subject).where(subject.c.id == subject_id)).first()
    if row is None:
        raise SubjectNotFound(f"no subject {subject_id}")
    return SubjectFacts(
        id=row.id,
        category=row.category,
        status=Status(row.status),
        source=row.source,
        created_at=row.created_at,
        updated_at=row.updated_at,
        blocked_at=row.blocked_at,
        destroyed_at=row.destroyed_at,
    )


def search(p: Processing, staff: StaffRole, *, query: str) -> list[SubjectFacts]:
    """Subjects whose e-mail (when ``query`` has an ``@``) or phone is ``query``.

    The search runs through the spine under ``p``'s purpose, which must be one of the role's:
    refused when the purpose may not use the e-mail or phone, journaled as извлечение for
    every match.
    """
    text = query.strip()
    try:
        check_purpose(staff, p.purpose_id)
    except PolicyRefusal as exc:
        p.refused(Action.EXTRACT, None, (), exc)
        raise
    found = p.find(email=text) if "@" in text else p.find(phone=text)
    return [facts(p.uow.data, sid) for sid in found]


def load_card(
    uow: UnitOfWork, subject_id: uuid.UUID, field_order: Mapping[str, object]
) -> SubjectCard:
    """The card of a subject; ``field_order`` (the policy's fields) orders the fields held."""
    conn = uow.data
    row = facts(conn, subject_id)
    stored = vault.stored_fields(uow, subject_id)
    history = consent_store.history(conn, subject_id=subject_id)
    requests = [r for r in request_store.rows(conn, open_only=True) if r.subject_id == subject_id]
    return SubjectCard(
        facts=row,
        held=tuple(code for code in field_order if code in stored),
        consents=tuple(reversed(history)),
        active_purposes=frozenset(consent_store.active(history)),
        open_requests=tuple(requests),
    )


def counts_by_status(conn: Connection) -> dict[Status, int]:
    """How many subjects are in each status (every status present, zeros included)."""
    query = select(subject.c.status, func.count()).group_by(subject.c.status)
    counted: dict[str, int] = {str(status): int(n) for status, n in conn.execute(query)}
    return {status: int(counted.get(status.value, 0)) for status in Status}
