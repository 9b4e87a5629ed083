"""REST API: idempotency keys of API writes.

Revision ID: 0005_api
Revises: 0004_merge
Create Date: 2026-11-26 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_api"
down_revision = "0004_merge"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    # Index operations are not rewritten by schema_translate_map: name the schema (PostgreSQL).
    schema = op.get_context().version_table_schema
    return str(schema) if schema else None


def upgrade() -> None:
    op.create_table(
        "api_idempotency",
        sa.Column("client_id", sa.String(length=16), nullable=False),
        sa.Column("key_digest", sa.LargeBinary(length=32), nullable=False),
        sa.Column("fingerprint", sa.LargeBinary(length=32), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "key_digest", name=op.f("pk_api_idempotency")),
        comment="API idempotency keys: HMACs of key and request, the first response (ids only).",
    )
    op.create_index(
        "ix_api_idempotency_created_at", "api_idempotency", ["created_at"], schema=_schema()
    )


def downgrade() -> None:
    op.drop_index("ix_api_idempotency_created_at", table_name="api_idempotency", schema=_schema())
    op.drop_table("api_idempotency")
