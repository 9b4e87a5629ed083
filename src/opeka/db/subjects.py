"""Tables of the subject registry: subjects, their encrypted values, blind indexes, consents."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Uuid,
)

from opeka.db.base import UtcDateTime, data_metadata

subject = Table(
    "subject",
    data_metadata,
    Column("id", Uuid(), primary_key=True),
    Column("category", String(32), nullable=False),
    Column("status", String(24), nullable=False),
    Column("source", String(200), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("blocked_at", UtcDateTime(), nullable=True),
    Column("destroyed_at", UtcDateTime(), nullable=True),
    comment="Data subjects by pseudonymous id; no personal data in clear.",
)

subject_data = Table(
    "subject_data",
    data_metadata,
    Column(
        "subject_id",
        Uuid(),
        ForeignKey("subject.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("payload", LargeBinary(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    comment="Per-field AES-256-GCM ciphertexts of one subject, framed in one value.",
)

blind_index = Table(
    "blind_index",
    data_metadata,
    Column("kind", SmallInteger(), primary_key=True),
    Column("digest", BigInteger(), primary_key=True),
    Column(
        "subject_id",
        Uuid(),
        ForeignKey("subject.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Index("ix_blind_index_subject_id", "subject_id"),
    sqlite_with_rowid=False,
    comment="Truncated HMAC of normalised e-mails and phones -> subject (candidates only).",
)

consent_grant = Table(
    "consent_grant",
    data_metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column(
        "subject_id",
        Uuid(),
        ForeignKey("subject.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("purpose", String(48), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("evidence", String(500), nullable=False),
    Column("given_at", UtcDateTime(), nullable=False),
    Column("withdrawn_at", UtcDateTime(), nullable=True),
    Index("ix_consent_grant_subject_id_purpose", "subject_id", "purpose"),
    comment="Consents that are the legal basis of consent-based purposes.",
)

vault_meta = Table(
    "vault_meta",
    data_metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
    comment="Parameters fixed at initialisation (blind-index width, key ids).",
)

key_shred_queue = Table(
    "key_shred_queue",
    data_metadata,
    Column("subject_id", Uuid(), primary_key=True),
    Column("queued_at", UtcDateTime(), nullable=False),
    comment="Destroyed subjects whose key-store deletion is not yet confirmed.",
)
