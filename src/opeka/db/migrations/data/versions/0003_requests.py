"""Data-subject requests: requests, their events, scheduled actions, numbering, identity codes.

Revision ID: 0003_requests
Revises: 0002_data
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_requests"
down_revision = "0002_data"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    # Index operations are not rewritten by schema_translate_map: name the schema (PostgreSQL).
    schema = op.get_context().version_table_schema
    return str(schema) if schema else None


def _ts(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    schema = _schema()
    op.create_table(
        "request_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_request_counter")),
        comment="The last request number given out per year (locked while a number is taken).",
    )
    op.create_table(
        "subject_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("purposes", sa.String(length=400), nullable=True),
        _ts("received_at", nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("extended_due_date", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.String(length=500), nullable=True),
        _ts("extended_at", nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        _ts("verified_at", nullable=True),
        sa.Column("verification_method", sa.String(length=24), nullable=True),
        sa.Column("verification_evidence", sa.String(length=200), nullable=True),
        sa.Column("registered_by", sa.String(length=80), nullable=False),
        sa.Column("assigned_to", sa.String(length=80), nullable=True),
        sa.Column("result", sa.String(length=500), nullable=True),
        sa.Column("refusal_reason", sa.String(length=500), nullable=True),
        _ts("closed_at", nullable=True),
        _ts("created_at", nullable=False),
        _ts("updated_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_subject_request_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_request")),
        sa.UniqueConstraint("number", name=op.f("uq_subject_request_number")),
        comment="Data-subject requests (журнал учёта обращений); structured fields only.",
    )
    op.create_index(
        "ix_subject_request_status_due_date",
        "subject_request",
        ["status", "due_date"],
        schema=schema,
    )
    op.create_index(
        "ix_subject_request_subject_id", "subject_request", ["subject_id"], schema=schema
    )
    op.create_table(
        "request_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        _ts("at", nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("event", sa.String(length=24), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["subject_request.id"],
            name=op.f("fk_request_event_request_id_subject_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_event")),
        comment="Append-only history of each request: transitions, extensions, scheduled actions.",
    )
    op.create_index("ix_request_event_request_id", "request_event", ["request_id"], schema=schema)
    op.create_table(
        "scheduled_action",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("reason_code", sa.String(length=32), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=80), nullable=True),
        _ts("created_at", nullable=False),
        _ts("done_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_scheduled_action_subject_id_subject")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["subject_request.id"],
            name=op.f("fk_scheduled_action_request_id_subject_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_action")),
        comment="What the sweep must do and when (e.g. destroy a subject); claimed row by row.",
    )
    op.create_index(
        "ix_scheduled_action_status_due_date",
        "scheduled_action",
        ["status", "due_date"],
        schema=schema,
    )
    op.create_index(
        "ix_scheduled_action_subject_id", "scheduled_action", ["subject_id"], schema=schema
    )
    op.create_index(
        "ix_scheduled_action_request_id", "scheduled_action", ["request_id"], schema=schema
    )
    op.create_table(
        "request_code",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.Column("code_hash", sa.LargeBinary(), nullable=False),
        _ts("issued_at", nullable=False),
        _ts("expires_at", nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["subject_request.id"],
            name=op.f("fk_request_code_request_id_subject_request"),
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_request_code")),
        comment="One-time identity codes sent to the e-mail on file; only a salted hash is kept.",
    )


def downgrade() -> None:
    schema = _schema()
    op.drop_table("request_code")
    op.drop_index("ix_scheduled_action_request_id", table_name="scheduled_action", schema=schema)
    op.drop_index("ix_scheduled_action_subject_id", table_name="scheduled_action", schema=schema)
    op.drop_index(
        "ix_scheduled_action_status_due_date", table_name="scheduled_action", schema=schema
    )
    op.drop_table("scheduled_action")
    op.drop_index("ix_request_event_request_id", table_name="request_event", schema=schema)
    op.drop_table("request_event")
    op.drop_index("ix_subject_request_subject_id", table_name="subject_request", schema=schema)
    op.drop_index("ix_subject_request_status_due_date", table_name="subject_request", schema=schema)
    op.drop_table("subject_request")
    op.drop_table("request_counter")
