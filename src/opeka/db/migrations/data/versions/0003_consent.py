"""Consent documents (every version kept) and append-only consent records.

Revision ID: 0003_consent
Revises: 0002_data
Create Date: 2026-11-25 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_consent"
down_revision = "0002_data"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    # Index ops are not rewritten by schema_translate_map: name the schema (PostgreSQL).
    schema = op.get_context().version_table_schema
    return str(schema) if schema else None


def upgrade() -> None:
    op.create_table(
        "consent_document",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=48), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("fields", sa.String(length=1000), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("substance_hash", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reconsent_required", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", "version", name=op.f("pk_consent_document")),
        comment="Published consent documents (one per purpose and category), every version kept.",
    )
    op.create_table(
        "consent_record",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("visitor_id", sa.Uuid(), nullable=True),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=48), nullable=False),
        sa.Column("document_id", sa.String(length=80), nullable=True),
        sa.Column("document_version", sa.String(length=64), nullable=True),
        sa.Column("text_hash", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("form_id", sa.String(length=100), nullable=True),
        sa.Column("ip_prefix", sa.String(length=48), nullable=True),
        sa.Column("user_agent_sha256", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "subject_id IS NOT NULL OR visitor_id IS NOT NULL",
            name=op.f("ck_consent_record_principal"),
        ),
        sa.CheckConstraint("event IN ('given', 'withdrawn')", name=op.f("ck_consent_record_event")),
        sa.CheckConstraint(
            "event = 'withdrawn' OR document_id IS NOT NULL",
            name=op.f("ck_consent_record_given_document"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id", "document_version"],
            ["consent_document.id", "consent_document.version"],
            name=op.f("fk_consent_record_document_id_consent_document"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_consent_record")),
        sa.UniqueConstraint("id", name=op.f("uq_consent_record_id")),
        comment="Append-only consents and withdrawals with document, channel and evidence.",
    )
    schema = _schema()
    op.create_index(
        "ix_consent_record_subject_id_purpose",
        "consent_record",
        ["subject_id", "purpose"],
        schema=schema,
    )
    op.create_index("ix_consent_record_visitor_id", "consent_record", ["visitor_id"], schema=schema)
    op.create_index(
        "ix_consent_record_document_id_document_version",
        "consent_record",
        ["document_id", "document_version"],
        schema=schema,
    )


def downgrade() -> None:
    schema = _schema()
    for name in (
        "ix_consent_record_document_id_document_version",
        "ix_consent_record_visitor_id",
        "ix_consent_record_subject_id_purpose",
    ):
        op.drop_index(name, table_name="consent_record", schema=schema)
    op.drop_table("consent_record", schema=schema)
    op.drop_table("consent_document", schema=schema)
