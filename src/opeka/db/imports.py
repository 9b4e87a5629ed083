"""Table of CSV import batches, so that an interrupted import resumes where it stopped."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Table

from opeka.db.base import UtcDateTime, data_metadata

import_batch = Table(
    "import_batch",
    data_metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column("file_sha256", String(64), nullable=False),
    Column("category", String(32), nullable=False),
    Column("purpose", String(48), nullable=False),
    Column("source", String(200), nullable=False),
    Column("rows_total", BigInteger(), nullable=False),
    Column("rows_done", BigInteger(), nullable=False),
    Column("rows_skipped", BigInteger(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime(), nullable=True),
    comment="One CSV import; rows_done advances with each committed chunk.",
)
