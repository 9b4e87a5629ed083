"""initial keys schema

Revision ID: 0001_keys
Revises:
Create Date: 2026-11-24 21:55:25.633010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_keys"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subject_key",
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("master_key_id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_subject_key")),
        comment="AES-256-GCM data key per subject, wrapped by the master key (never stored here).",
    )


def downgrade() -> None:
    op.drop_table("subject_key")
