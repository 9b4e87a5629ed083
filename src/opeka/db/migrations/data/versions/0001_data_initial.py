"""initial data schema

Revision ID: 0001_data
Revises:
Create Date: 2026-11-24 22:00:45.288308
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_data"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=48), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("rows_total", sa.BigInteger(), nullable=False),
        sa.Column("rows_done", sa.BigInteger(), nullable=False),
        sa.Column("rows_skipped", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
        comment="One CSV import; rows_done advances with each committed chunk.",
    )
    op.create_table(
        "journal_checkpoint",
        sa.Column("size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("time_us", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("size", name=op.f("pk_journal_checkpoint")),
        comment="Ed25519-signed tree heads; each is also appended to a file outside the database.",
    )
    op.create_table(
        "journal_entry",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("time_us", sa.BigInteger(), nullable=False),
        sa.Column("entry", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_journal_entry")),
        comment="Append-only; `entry` is the canonical, hash-chained record (no personal data).",
    )
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_journal_entry_subject_id"), ["subject_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_journal_entry_time_us"), ["time_us"], unique=False)

    op.create_table(
        "journal_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("last_leaf", sa.LargeBinary(), nullable=False),
        sa.Column("compact_range", sa.LargeBinary(), nullable=False),
        sa.Column("checkpoint_size", sa.BigInteger(), nullable=False),
        sa.Column("checkpoint_time_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_head")),
        comment="One row: the tip of the chain; locked by every writer (serialises appends).",
    )
    op.create_table(
        "key_shred_queue",
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_key_shred_queue")),
        comment="Destroyed subjects whose key-store deletion is not yet confirmed.",
    )
    op.create_table(
        "subject",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject")),
        comment="Data subjects by pseudonymous id; no personal data in clear.",
    )
    op.create_table(
        "vault_meta",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_vault_meta")),
        comment="Parameters fixed at initialisation (blind-index width, key ids).",
    )
    op.create_table(
        "blind_index",
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("digest", sa.BigInteger(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subject.id"],
            name=op.f("fk_blind_index_subject_id_subject"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("kind", "digest", "subject_id", name=op.f("pk_blind_index")),
        comment="Truncated HMAC of normalised e-mails and phones -> subject (candidates only).",
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("blind_index", schema=None) as batch_op:
        batch_op.create_index("ix_blind_index_subject_id", ["subject_id"], unique=False)

    op.create_table(
        "consent_grant",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=48), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("evidence", sa.String(length=500), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subject.id"],
            name=op.f("fk_consent_grant_subject_id_subject"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_grant")),
        comment="Consents that are the legal basis of consent-based purposes.",
    )
    with op.batch_alter_table("consent_grant", schema=None) as batch_op:
        batch_op.create_index(
            "ix_consent_grant_subject_id_purpose", ["subject_id", "purpose"], unique=False
        )

    op.create_table(
        "subject_data",
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subject.id"],
            name=op.f("fk_subject_data_subject_id_subject"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_subject_data")),
        comment="Per-field AES-256-GCM ciphertexts of one subject, framed in one value.",
    )


def downgrade() -> None:
    op.drop_table("subject_data")
    with op.batch_alter_table("consent_grant", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_grant_subject_id_purpose")

    op.drop_table("consent_grant")
    with op.batch_alter_table("blind_index", schema=None) as batch_op:
        batch_op.drop_index("ix_blind_index_subject_id")

    op.drop_table("blind_index")
    op.drop_table("vault_meta")
    op.drop_table("subject")
    op.drop_table("key_shred_queue")
    op.drop_table("journal_head")
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_entry_time_us"))
        batch_op.drop_index(batch_op.f("ix_journal_entry_subject_id"))

    op.drop_table("journal_entry")
    op.drop_table("journal_checkpoint")
    op.drop_table("import_batch")
