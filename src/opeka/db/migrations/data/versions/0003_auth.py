"""authentication: staff, API clients, portal accounts, sessions, rate limits, reset tokens

Revision ID: 0003_auth
Revises: 0002_data
Create Date: 2026-11-25 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_auth"
down_revision = "0002_data"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    # Index operations are not rewritten by schema_translate_map: name the schema (PostgreSQL).
    schema = op.get_context().version_table_schema
    return str(schema) if schema else None


def _times(*names: str, nullable: bool = False) -> list[sa.Column[object]]:
    return [sa.Column(name, sa.DateTime(timezone=True), nullable=nullable) for name in names]


def upgrade() -> None:
    schema = _schema()
    op.create_table(
        "auth_staff",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=48), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        *_times("locked_until", nullable=True),
        *_times("password_changed_at", "created_at"),
        *_times("last_login_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_staff")),
        sa.UniqueConstraint("login", name=op.f("uq_auth_staff_login")),
        comment="The operator's staff (console users); role names a role of the policy.",
    )
    op.create_table(
        "auth_api_client",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("secret_sha256", sa.LargeBinary(), nullable=False),
        sa.Column("scopes", sa.String(length=400), nullable=False),
        sa.Column("purposes", sa.String(length=400), nullable=False),
        *_times("created_at"),
        *_times("last_used_at", "revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_api_client")),
        comment="REST API clients: public key id, SHA-256 of the secret, scopes and purposes.",
    )
    op.create_table(
        "auth_account",
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        *_times("locked_until", nullable=True),
        *_times("password_changed_at", "created_at"),
        *_times("last_login_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subject.id"],
            name=op.f("fk_auth_account_subject_id_subject"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_auth_account")),
        comment="Portal accounts of registered subjects (the login is the e-mail in the vault).",
    )
    op.create_table(
        "auth_session",
        sa.Column("code_sha256", sa.LargeBinary(), nullable=False),
        sa.Column("principal_kind", sa.String(length=16), nullable=False),
        sa.Column("principal_id", sa.String(length=64), nullable=False),
        *_times("login_at", "created_at", "last_seen_at", "expires_at"),
        *_times("revoked_at", nullable=True),
        sa.Column("user_agent_hash", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("code_sha256", name=op.f("pk_auth_session")),
        comment="Server-side sessions by SHA-256 of the code the encrypted cookie carries.",
    )
    op.create_index(
        "ix_auth_session_principal",
        "auth_session",
        ["principal_kind", "principal_id"],
        schema=schema,
    )
    op.create_index("ix_auth_session_expires_at", "auth_session", ["expires_at"], schema=schema)
    op.create_table(
        "auth_rate_window",
        sa.Column("key_hmac", sa.LargeBinary(), nullable=False),
        sa.Column("window_start", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        *_times("expires_at"),
        sa.PrimaryKeyConstraint("key_hmac", "window_start", name=op.f("pk_auth_rate_window")),
        comment="Rate-limit counters per fixed window; keys (with IP addresses) only as HMACs.",
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_auth_rate_window_expires_at", "auth_rate_window", ["expires_at"], schema=schema
    )
    op.create_table(
        "auth_reset_token",
        sa.Column("token_sha256", sa.LargeBinary(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        *_times("created_at", "expires_at"),
        *_times("used_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subject.id"],
            name=op.f("fk_auth_reset_token_subject_id_subject"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_auth_reset_token")),
        comment="Password-reset tokens of portal accounts (SHA-256 only; single use, 30 minutes).",
    )
    op.create_index(
        "ix_auth_reset_token_subject_id", "auth_reset_token", ["subject_id"], schema=schema
    )


def downgrade() -> None:
    schema = _schema()
    op.drop_index("ix_auth_reset_token_subject_id", table_name="auth_reset_token", schema=schema)
    op.drop_table("auth_reset_token")
    op.drop_index("ix_auth_rate_window_expires_at", table_name="auth_rate_window", schema=schema)
    op.drop_table("auth_rate_window")
    op.drop_index("ix_auth_session_expires_at", table_name="auth_session", schema=schema)
    op.drop_index("ix_auth_session_principal", table_name="auth_session", schema=schema)
    op.drop_table("auth_session")
    op.drop_table("auth_account")
    op.drop_table("auth_api_client")
    op.drop_table("auth_staff")
