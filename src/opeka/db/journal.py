"""Tables of the journal (журнал регистрации событий): entries, head, signed checkpoints."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, LargeBinary, Table, Text, Uuid

from opeka.db.base import data_metadata

journal_entry = Table(
    "journal_entry",
    data_metadata,
    Column("seq", BigInteger(), primary_key=True, autoincrement=False),
    Column("subject_id", Uuid(), nullable=True, index=True),
    Column("time_us", BigInteger(), nullable=False, index=True),
    Column("entry", LargeBinary(), nullable=False),
    comment="Append-only; `entry` is the canonical, hash-chained record (no personal data).",
)

journal_head = Table(
    "journal_head",
    data_metadata,
    Column("id", Integer(), primary_key=True),
    Column("size", BigInteger(), nullable=False),
    Column("last_leaf", LargeBinary(), nullable=False),
    Column("compact_range", LargeBinary(), nullable=False),
    Column("checkpoint_size", BigInteger(), nullable=False),
    Column("checkpoint_time_us", BigInteger(), nullable=False),
    comment="One row: the tip of the chain; locked by every writer (serialises appends).",
)

journal_checkpoint = Table(
    "journal_checkpoint",
    data_metadata,
    Column("size", BigInteger(), primary_key=True, autoincrement=False),
    Column("time_us", BigInteger(), nullable=False),
    Column("note", Text(), nullable=False),
    comment="Ed25519-signed tree heads; each is also appended to a file outside the database.",
)
