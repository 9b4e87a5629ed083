"""Outbox marks of the e-mail notices sent for request events.

Revision ID: 0008_notices
Revises: 0007_merge
Create Date: 2026-11-25 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_notices"
down_revision = "0007_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_notice",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["request_event.id"],
            name=op.f("fk_request_notice_event_id_request_event"),
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_request_notice")),
        comment="Which request events were e-mailed to the requester (the notices' outbox marks).",
    )


def downgrade() -> None:
    op.drop_table("request_notice")
