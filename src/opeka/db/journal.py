"""Tables of the journal (журнал регистрации событий): entries, head, signed checkpoints.

An entry row is only its sequence number and its canonical, hash-chained bytes. Lookups by
subject and by time use expression indexes over slices of those bytes (the subject id at bytes
49–64, the big-endian microsecond time at bytes 41–48), so there is no second copy of either
that could be edited without breaking the chain.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, LargeBinary, Table, Text, func

from opeka.db.base import data_metadata

SUBJECT_SLICE = (49, 16)  # 1-based start and length of the subject id in an entry
TIME_SLICE = (41, 8)  # 1-based start and length of the big-endian time in an entry

journal_entry = Table(
    "journal_entry",
    data_metadata,
    Column("seq", BigInteger(), primary_key=True, autoincrement=False),
    Column("entry", LargeBinary(), nullable=False),
    comment="Append-only; `entry` is the canonical, hash-chained record (no personal data).",
)

entry_subject = func.substr(journal_entry.c.entry, *SUBJECT_SLICE)
"""SQL expression: the subject id bytes inside an entry (indexed)."""
entry_time = func.substr(journal_entry.c.entry, *TIME_SLICE)
"""SQL expression: the big-endian time bytes inside an entry (indexed; bytes sort as numbers)."""

Index("ix_journal_entry_subject", entry_subject)
Index("ix_journal_entry_time", entry_time)

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
