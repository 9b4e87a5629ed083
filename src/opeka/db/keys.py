"""The key store: wrapped subject data keys, kept apart from the data they open."""

from __future__ import annotations

from sqlalchemy import Column, LargeBinary, String, Table, Uuid

from opeka.db.base import UtcDateTime, keys_metadata

subject_key = Table(
    "subject_key",
    keys_metadata,
    Column("subject_id", Uuid(), primary_key=True),
    Column("wrapped", LargeBinary(), nullable=False),
    Column("master_key_id", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    comment="AES-256-GCM data key per subject, wrapped by the master key (never stored here).",
)
