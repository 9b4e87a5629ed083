"""Journal entries keep only their hashed bytes; subject and time are expression indexes.

Revision ID: 0002_data
Revises: 0001_data
Create Date: 2026-11-24 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_data"
down_revision = "0001_data"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    # ALTER statements are not rewritten by schema_translate_map: name the schema (PostgreSQL).
    schema = op.get_context().version_table_schema
    return str(schema) if schema else None


def upgrade() -> None:
    schema = _schema()
    with op.batch_alter_table("journal_entry", schema=schema) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_entry_subject_id"))
        batch_op.drop_index(batch_op.f("ix_journal_entry_time_us"))
        batch_op.drop_column("subject_id")
        batch_op.drop_column("time_us")
    entry = sa.column("entry", sa.LargeBinary())
    op.create_index(
        "ix_journal_entry_subject", "journal_entry", [sa.func.substr(entry, 49, 16)], schema=schema
    )
    op.create_index(
        "ix_journal_entry_time", "journal_entry", [sa.func.substr(entry, 41, 8)], schema=schema
    )


def downgrade() -> None:
    schema = _schema()
    op.drop_index("ix_journal_entry_time", table_name="journal_entry", schema=schema)
    op.drop_index("ix_journal_entry_subject", table_name="journal_entry", schema=schema)
    with op.batch_alter_table("journal_entry", schema=schema) as batch_op:
        batch_op.add_column(
            sa.Column("time_us", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("subject_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_journal_entry_time_us"), ["time_us"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_journal_entry_subject_id"), ["subject_id"], unique=False
        )
