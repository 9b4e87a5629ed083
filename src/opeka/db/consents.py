"""Tables of consent documents and consent records (the proof of each consent and withdrawal).

``consent_document`` keeps every published version of every consent document with its exact
text, so that what a subject agreed to can be shown years later. ``consent_record`` is
append-only: a consent and its withdrawal are two rows, never an update. Neither holds personal
data in clear: subjects appear by pseudonymous id, visitors by the random consent id the site
keeps in a cookie, the IP address only truncated to its network, the user agent only hashed.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)

from opeka.db.base import UtcDateTime, data_metadata

consent_document = Table(
    "consent_document",
    data_metadata,
    Column("id", String(80), primary_key=True),
    Column("version", String(64), primary_key=True),
    Column("purpose", String(48), nullable=False),
    Column("category", String(32), nullable=False),
    Column("fields", String(1000), nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("substance_hash", String(64), nullable=False),
    Column("text", Text(), nullable=False),
    Column("html", Text(), nullable=False),
    Column("published_at", UtcDateTime(), nullable=False),
    Column("superseded_at", UtcDateTime(), nullable=True),
    Column("reconsent_required", Boolean(), nullable=False),
    comment="Published consent documents (one per purpose and category), every version kept.",
)

consent_record = Table(
    "consent_record",
    data_metadata,
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("id", Uuid(), nullable=False, unique=True),
    Column("subject_id", Uuid(), nullable=True),
    Column("visitor_id", Uuid(), nullable=True),
    Column("event", String(16), nullable=False),
    Column("purpose", String(48), nullable=False),
    Column("document_id", String(80), nullable=True),
    Column("document_version", String(64), nullable=True),
    Column("text_hash", String(64), nullable=True),
    Column("channel", String(16), nullable=False),
    Column("form_id", String(100), nullable=True),
    Column("ip_prefix", String(48), nullable=True),
    Column("user_agent_sha256", String(64), nullable=True),
    Column("language", String(8), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    ForeignKeyConstraint(
        ["document_id", "document_version"],
        ["consent_document.id", "consent_document.version"],
    ),
    CheckConstraint("subject_id IS NOT NULL OR visitor_id IS NOT NULL", name="principal"),
    CheckConstraint("event IN ('given', 'withdrawn')", name="event"),
    CheckConstraint("event = 'withdrawn' OR document_id IS NOT NULL", name="given_document"),
    Index("ix_consent_record_subject_id_purpose", "subject_id", "purpose"),
    Index("ix_consent_record_visitor_id", "visitor_id"),
    Index("ix_consent_record_document_id_document_version", "document_id", "document_version"),
    comment="Append-only consents and withdrawals with document, channel and evidence.",
)
