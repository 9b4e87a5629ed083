"""The table of the REST API's idempotency keys (:mod:`opeka.idempotency`).

A row per (API client, key): keyed HMACs of the key and of the request, and the response the
first execution gave — ids and statuses only, never personal data (only write endpoints take
keys, and their responses carry none). Rows older than a day are purged.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Table, Text

from opeka.db.base import UtcDateTime, data_metadata

api_idempotency = Table(
    "api_idempotency",
    data_metadata,
    Column("client_id", String(16), primary_key=True),
    Column("key_digest", LargeBinary(32), primary_key=True),
    Column("fingerprint", LargeBinary(32), nullable=False),
    Column("status", Integer(), nullable=True),
    Column("response", Text(), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_api_idempotency_created_at", "created_at"),
    comment="API idempotency keys: HMACs of key and request, the first response (ids only).",
)
