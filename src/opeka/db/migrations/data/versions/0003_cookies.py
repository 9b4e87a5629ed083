"""Cookie consent events and first-party analytics aggregates.

Revision ID: 0003_cookies
Revises: 0002_data
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_cookies"
down_revision = "0002_data"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    # Index ops are not rewritten by schema_translate_map: name the schema (PostgreSQL).
    schema = op.get_context().version_table_schema
    return str(schema) if schema else None


def upgrade() -> None:
    schema = _schema()
    op.create_table(
        "cookie_consent_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("consent_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=24), nullable=False),
        sa.Column("granted", sa.String(length=200), nullable=False),
        sa.Column("denied", sa.String(length=200), nullable=False),
        sa.Column("cookie_version", sa.String(length=16), nullable=False),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("gpc", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ip_prefix", sa.String(length=48), nullable=True),
        sa.Column("ua_hash", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cookie_consent_event")),
        comment="Append-only cookie decisions (proof of consent); categories space-separated.",
    )
    op.create_index(
        "ix_cookie_consent_event_consent_id", "cookie_consent_event", ["consent_id"], schema=schema
    )
    op.create_index(
        "ix_cookie_consent_event_received_at",
        "cookie_consent_event",
        ["received_at"],
        schema=schema,
    )
    op.create_table(
        "analytics_salt",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("salt", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_analytics_salt")),
        comment="The day's random salt for visitor digests; deleted when the day is over.",
    )
    op.create_table(
        "analytics_visitor",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("digest", sa.LargeBinary(length=16), nullable=False),
        sa.PrimaryKeyConstraint("day", "digest", name=op.f("pk_analytics_visitor")),
        comment="Salted visitor digests of the current day (no persistent id); rolled up, deleted.",
    )
    op.create_table(
        "analytics_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("pageviews", sa.BigInteger(), nullable=False),
        sa.Column("visitors", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_analytics_day")),
        comment="Page views per day; unique visitors once the day's digests are rolled up.",
    )
    op.create_table(
        "analytics_page",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("views", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "path", name=op.f("pk_analytics_page")),
        comment="Page views per day and path (path only: no query string, no fragment).",
    )
    op.create_table(
        "analytics_referrer",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("host", sa.String(length=120), nullable=False),
        sa.Column("views", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "host", name=op.f("pk_analytics_referrer")),
        comment="Page views per day and referring host (host only).",
    )


def downgrade() -> None:
    schema = _schema()
    op.drop_table("analytics_referrer")
    op.drop_table("analytics_page")
    op.drop_table("analytics_day")
    op.drop_table("analytics_visitor")
    op.drop_table("analytics_salt")
    op.drop_index(
        "ix_cookie_consent_event_received_at", table_name="cookie_consent_event", schema=schema
    )
    op.drop_index(
        "ix_cookie_consent_event_consent_id", table_name="cookie_consent_event", schema=schema
    )
    op.drop_table("cookie_consent_event")
