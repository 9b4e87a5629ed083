"""Consent records as rows: appended, read, never changed.

``consent_record`` is append-only by construction: this module is the only one that writes it,
and it has an insert and reads — no UPDATE, no DELETE (a test scans the package for either).
A withdrawal is a new row; the state of a consent is its latest row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, Row, insert, select

from opeka.consent.errors import UnknownRecord
from opeka.consent.evidence import Evidence
from opeka.db.consents import consent_record


class Event(StrEnum):
    """What a record says happened."""

    GIVEN = "given"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """One consent or withdrawal, as proven: who, which document, how, when (no values)."""

    id: uuid.UUID
    subject_id: uuid.UUID | None
    visitor_id: uuid.UUID | None
    event: Event
    purpose: str
    document_id: str | None
    document_version: str | None
    text_hash: str | None
    channel: str
    evidence: Evidence
    language: str
    actor: str
    recorded_at: dt.datetime

    def __post_init__(self) -> None:
        if (self.subject_id is None) == (self.visitor_id is None):
            raise ValueError("a consent record has exactly one of subject_id, visitor_id")
        if self.event is Event.GIVEN and self.document_id is None:
            raise ValueError("a given consent names its document")

    @property
    def principal(self) -> tuple[str, uuid.UUID]:
        """("subject", pseudonymous id) or ("visitor", the visitor's consent id)."""
        if self.subject_id is not None:
            return ("subject", self.subject_id)
        assert self.visitor_id is not None
        return ("visitor", self.visitor_id)


def append(conn: Connection, record: ConsentRecord) -> None:
    """Insert ``record`` (the only write this table ever gets)."""
    conn.execute(
        insert(consent_record).values(
            id=record.id,
            subject_id=record.subject_id,
            visitor_id=record.visitor_id,
            event=record.event.value,
            purpose=record.purpose,
            document_id=record.document_id,
            document_version=record.document_version,
            text_hash=record.text_hash,
            channel=record.channel,
            form_id=record.evidence.form_id,
            ip_prefix=record.evidence.ip_prefix,
            user_agent_sha256=record.evidence.user_agent_sha256,
            language=record.language,
            actor=record.actor,
            recorded_at=record.recorded_at,
        )
    )


def _record(row: Row[tuple[object, ...]]) -> ConsentRecord:
    m = row._mapping
    return ConsentRecord(
        id=m["id"],
        subject_id=m["subject_id"],
        visitor_id=m["visitor_id"],
        event=Event(m["event"]),
        purpose=m["purpose"],
        document_id=m["document_id"],
        document_version=m["document_version"],
        text_hash=m["text_hash"],
        channel=m["channel"],
        evidence=Evidence(m["form_id"], m["ip_prefix"], m["user_agent_sha256"]),
        language=m["language"],
        actor=m["actor"],
        recorded_at=m["recorded_at"],
    )


def load(conn: Connection, record_id: uuid.UUID) -> ConsentRecord:
    """The record with this id, or :class:`UnknownRecord`."""
    row = conn.execute(select(consent_record).where(consent_record.c.id == record_id)).first()
    if row is None:
        raise UnknownRecord("no consent record with this id", message_ru="нет такой записи")
    return _record(row)


def history(
    conn: Connection, *, subject_id: uuid.UUID | None = None, visitor_id: uuid.UUID | None = None
) -> list[ConsentRecord]:
    """Every record of one principal (a subject or a visitor), oldest first."""
    if (subject_id is None) == (visitor_id is None):
        raise ValueError("give exactly one of subject_id, visitor_id")
    column = consent_record.c.subject_id if subject_id is not None else consent_record.c.visitor_id
    rows = conn.execute(
        select(consent_record)
        .where(column == (subject_id or visitor_id))
        .order_by(consent_record.c.seq)
    )
    return [_record(row) for row in rows]


def latest(records: list[ConsentRecord]) -> dict[str, ConsentRecord]:
    """The latest record per purpose of one principal's ``records`` (oldest first)."""
    state: dict[str, ConsentRecord] = {}
    for record in records:
        state[record.purpose] = record
    return state


def active(records: list[ConsentRecord]) -> dict[str, ConsentRecord]:
    """Purpose → the consent record in force (its latest record is a consent given)."""
    return {p: r for p, r in latest(records).items() if r.event is Event.GIVEN}
