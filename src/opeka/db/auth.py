"""Tables of authentication: staff users, API clients, portal accounts, sessions, rate limits.

No secret is stored in clear: passwords as argon2id hashes, session codes, API secrets and
reset tokens as SHA-256 digests, rate-limit keys (which hold IP addresses) as HMACs. Portal
accounts and reset tokens hang off ``subject`` by its pseudonymous id; the subject's e-mail (the
login) stays in the vault.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Uuid,
)

from opeka.db.base import UtcDateTime, data_metadata

auth_staff = Table(
    "auth_staff",
    data_metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column("login", String(64), nullable=False, unique=True),
    Column("role", String(48), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean(), nullable=False),
    Column("failed_logins", Integer(), nullable=False),
    Column("locked_until", UtcDateTime(), nullable=True),
    Column("password_changed_at", UtcDateTime(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_login_at", UtcDateTime(), nullable=True),
    comment="The operator's staff (console users); role names a role of the policy.",
)

auth_api_client = Table(
    "auth_api_client",
    data_metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("secret_sha256", LargeBinary(), nullable=False),
    Column("scopes", String(400), nullable=False),
    Column("purposes", String(400), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_used_at", UtcDateTime(), nullable=True),
    Column("revoked_at", UtcDateTime(), nullable=True),
    comment="REST API clients: public key id, SHA-256 of the secret, scopes and purposes.",
)

auth_account = Table(
    "auth_account",
    data_metadata,
    Column(
        "subject_id",
        Uuid(),
        ForeignKey("subject.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("password_hash", String(200), nullable=False),
    Column("failed_logins", Integer(), nullable=False),
    Column("locked_until", UtcDateTime(), nullable=True),
    Column("password_changed_at", UtcDateTime(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_login_at", UtcDateTime(), nullable=True),
    comment="Portal accounts of registered subjects (the login is the e-mail in the vault).",
)

auth_session = Table(
    "auth_session",
    data_metadata,
    Column("code_sha256", LargeBinary(), primary_key=True),
    Column("principal_kind", String(16), nullable=False),
    Column("principal_id", String(64), nullable=False),
    Column("login_at", UtcDateTime(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
    Column("user_agent_hash", LargeBinary(), nullable=True),
    Index("ix_auth_session_principal", "principal_kind", "principal_id"),
    Index("ix_auth_session_expires_at", "expires_at"),
    comment="Server-side sessions by SHA-256 of the code the encrypted cookie carries.",
)

auth_rate_window = Table(
    "auth_rate_window",
    data_metadata,
    Column("key_hmac", LargeBinary(), primary_key=True),
    Column("window_start", BigInteger(), primary_key=True, autoincrement=False),
    Column("hits", Integer(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Index("ix_auth_rate_window_expires_at", "expires_at"),
    sqlite_with_rowid=False,
    comment="Rate-limit counters per fixed window; keys (with IP addresses) only as HMACs.",
)

auth_reset_token = Table(
    "auth_reset_token",
    data_metadata,
    Column("token_sha256", LargeBinary(), primary_key=True),
    Column(
        "subject_id",
        Uuid(),
        ForeignKey("subject.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime(), nullable=True),
    Index("ix_auth_reset_token_subject_id", "subject_id"),
    comment="Password-reset tokens of portal accounts (SHA-256 only; single use, 30 minutes).",
)
