"""Tables of data-subject requests: the requests, their events, scheduled actions, numbering.

No free text written by a subject is stored: a request keeps structured fields only (kind,
channel, dates, purpose codes, statuses). Staff notes (verification evidence, extension and
refusal reasons, results) are short texts checked by :mod:`opeka.requests.notes` so that they
carry no document numbers, phones or e-mails.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Uuid,
)

from opeka.db.base import UtcDateTime, data_metadata

subject_request = Table(
    "subject_request",
    data_metadata,
    Column("id", Uuid(), primary_key=True),
    Column("number", String(16), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("subject_id", Uuid(), ForeignKey("subject.id"), nullable=True),
    Column("purposes", String(400), nullable=True),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("due_date", Date(), nullable=False),
    Column("extended_due_date", Date(), nullable=True),
    Column("extension_reason", String(500), nullable=True),
    Column("extended_at", UtcDateTime(), nullable=True),
    Column("status", String(16), nullable=False),
    Column("verified_at", UtcDateTime(), nullable=True),
    Column("verification_method", String(24), nullable=True),
    Column("verification_evidence", String(200), nullable=True),
    Column("registered_by", String(80), nullable=False),
    Column("assigned_to", String(80), nullable=True),
    Column("result", String(500), nullable=True),
    Column("refusal_reason", String(500), nullable=True),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index("ix_subject_request_status_due_date", "status", "due_date"),
    Index("ix_subject_request_subject_id", "subject_id"),
    comment="Data-subject requests (журнал учёта обращений); structured fields only.",
)

request_event = Table(
    "request_event",
    data_metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column("request_id", Uuid(), ForeignKey("subject_request.id"), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("event", String(24), nullable=False),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=True),
    Column("note", String(500), nullable=True),
    Index("ix_request_event_request_id", "request_id"),
    comment="Append-only history of each request: transitions, extensions, scheduled actions.",
)

scheduled_action = Table(
    "scheduled_action",
    data_metadata,
    Column("id", Uuid(), primary_key=True),
    Column("action", String(16), nullable=False),
    Column("subject_id", Uuid(), ForeignKey("subject.id"), nullable=False),
    Column("request_id", Uuid(), ForeignKey("subject_request.id"), nullable=True),
    Column("reason_code", String(32), nullable=False),
    Column("due_date", Date(), nullable=False),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer(), nullable=False),
    Column("last_error", String(80), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("done_at", UtcDateTime(), nullable=True),
    Index("ix_scheduled_action_status_due_date", "status", "due_date"),
    Index("ix_scheduled_action_subject_id", "subject_id"),
    Index("ix_scheduled_action_request_id", "request_id"),
    comment="What the sweep must do and when (e.g. destroy a subject); claimed row by row.",
)

request_counter = Table(
    "request_counter",
    data_metadata,
    Column("year", Integer(), primary_key=True, autoincrement=False),
    Column("last", BigInteger(), nullable=False),
    comment="The last request number given out per year (locked while a number is taken).",
)

request_code = Table(
    "request_code",
    data_metadata,
    Column("request_id", Uuid(), ForeignKey("subject_request.id"), primary_key=True),
    Column("salt", LargeBinary(), nullable=False),
    Column("code_hash", LargeBinary(), nullable=False),
    Column("issued_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("attempts", Integer(), nullable=False),
    comment="One-time identity codes sent to the e-mail on file; only a salted hash is kept.",
)

request_notice = Table(
    "request_notice",
    data_metadata,
    Column("event_id", Integer(), ForeignKey("request_event.id"), primary_key=True),
    Column("outcome", String(12), nullable=False),
    Column("attempts", Integer(), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    comment="Which request events were e-mailed to the requester (the notices' outbox marks).",
)
