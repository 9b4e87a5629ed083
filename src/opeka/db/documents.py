"""Tables of the documents module: acts of destruction (Order 179) and one-time download tokens.

An act holds personal data — the destroyed subjects' names (Order 179 p. 3 "в") — so its body and
each subject's entry are AES-256-GCM ciphertexts (:mod:`opeka.documents.sealing`); only what
says nothing about a person is kept in clear: the number, the date, how many subjects, the reason
codes and the retention date. A download token is kept as its SHA-256 only.
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

destruction_act = Table(
    "destruction_act",
    data_metadata,
    Column("number", String(20), primary_key=True),
    Column("act_date", Date(), nullable=False),
    Column("subjects", Integer(), nullable=False),
    Column("reason_codes", String(200), nullable=False),
    Column("body", LargeBinary(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("retain_until", Date(), nullable=False),
    Index("ix_destruction_act_act_date", "act_date"),
    Index("ix_destruction_act_retain_until", "retain_until"),
    comment="Acts of destruction (Order 179): encrypted body, non-personal metadata in clear.",
)

destruction_act_subject = Table(
    "destruction_act_subject",
    data_metadata,
    Column(
        "act_number",
        String(20),
        ForeignKey("destruction_act.number", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("position", Integer(), primary_key=True, autoincrement=False),
    Column("entry", LargeBinary(), nullable=False),
    comment="One destroyed subject of an act (identifier, categories, reason): encrypted.",
)

act_counter = Table(
    "act_counter",
    data_metadata,
    Column("year", Integer(), primary_key=True, autoincrement=False),
    Column("last", BigInteger(), nullable=False),
    comment="The last act number given out per year (locked while a number is taken).",
)

download_token = Table(
    "download_token",
    data_metadata,
    Column("token_sha256", LargeBinary(32), primary_key=True),
    Column("subject_id", Uuid(), ForeignKey("subject.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime(), nullable=True),
    Index("ix_download_token_subject_id", "subject_id"),
    Index("ix_download_token_expires_at", "expires_at"),
    comment="One-time links to download the access package (SHA-256 of the token only).",
)
