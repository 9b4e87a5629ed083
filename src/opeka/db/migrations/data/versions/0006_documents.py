"""Documents: acts of destruction (encrypted), their subjects, act numbering, download tokens.

Revision ID: 0006_documents
Revises: 0004_merge
Create Date: 2026-11-27 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_documents"
down_revision = "0004_merge"
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
        "act_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_act_counter")),
        comment="The last act number given out per year (locked while a number is taken).",
    )
    op.create_table(
        "destruction_act",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("act_date", sa.Date(), nullable=False),
        sa.Column("subjects", sa.Integer(), nullable=False),
        sa.Column("reason_codes", sa.String(length=200), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        _ts("created_at", nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_destruction_act")),
        comment="Acts of destruction (Order 179): encrypted body, non-personal metadata in clear.",
    )
    op.create_index("ix_destruction_act_act_date", "destruction_act", ["act_date"], schema=schema)
    op.create_index(
        "ix_destruction_act_retain_until", "destruction_act", ["retain_until"], schema=schema
    )
    op.create_table(
        "destruction_act_subject",
        sa.Column("act_number", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["act_number"],
            ["destruction_act.number"],
            name=op.f("fk_destruction_act_subject_act_number_destruction_act"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("act_number", "position", name=op.f("pk_destruction_act_subject")),
        comment="One destroyed subject of an act (identifier, categories, reason): encrypted.",
    )
    op.create_table(
        "download_token",
        sa.Column("token_sha256", sa.LargeBinary(length=32), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _ts("created_at", nullable=False),
        _ts("expires_at", nullable=False),
        _ts("used_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subject.id"],
            name=op.f("fk_download_token_subject_id_subject"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_download_token")),
        comment="One-time links to download the access package (SHA-256 of the token only).",
    )
    op.create_index("ix_download_token_subject_id", "download_token", ["subject_id"], schema=schema)
    op.create_index("ix_download_token_expires_at", "download_token", ["expires_at"], schema=schema)


def downgrade() -> None:
    schema = _schema()
    op.drop_index("ix_download_token_expires_at", table_name="download_token", schema=schema)
    op.drop_index("ix_download_token_subject_id", table_name="download_token", schema=schema)
    op.drop_table("download_token")
    op.drop_table("destruction_act_subject")
    op.drop_index("ix_destruction_act_retain_until", table_name="destruction_act", schema=schema)
    op.drop_index("ix_destruction_act_act_date", table_name="destruction_act", schema=schema)
    op.drop_table("destruction_act")
    op.drop_table("act_counter")
