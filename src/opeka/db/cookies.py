"""Tables of cookie consent events (the banner's proofs) and first-party analytics aggregates.

No table here identifies a person: a consent event carries the random id the banner keeps in
the ``opeka_consent`` cookie, a truncated IP address and a hash of the user agent; analytics
keep per-day counts and a per-day set of salted visitor digests whose salt is deleted when the
day is over (after which the digests are rolled up into a count and deleted too).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Uuid,
)

from opeka.db.base import UtcDateTime, data_metadata

cookie_consent_event = Table(
    "cookie_consent_event",
    data_metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("consent_id", Uuid(), nullable=False),
    Column("method", String(24), nullable=False),
    Column("granted", String(200), nullable=False),
    Column("denied", String(200), nullable=False),
    Column("cookie_version", String(16), nullable=False),
    Column("policy_version", String(40), nullable=False),
    Column("language", String(2), nullable=False),
    Column("gpc", Boolean(), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("ip_prefix", String(48), nullable=True),
    Column("ua_hash", String(16), nullable=True),
    Index("ix_cookie_consent_event_consent_id", "consent_id"),
    Index("ix_cookie_consent_event_received_at", "received_at"),
    comment="Append-only cookie decisions (proof of consent); categories space-separated.",
)

analytics_salt = Table(
    "analytics_salt",
    data_metadata,
    Column("day", Date(), primary_key=True),
    Column("salt", LargeBinary(32), nullable=False),
    comment="The day's random salt for visitor digests; deleted when the day is over.",
)

analytics_visitor = Table(
    "analytics_visitor",
    data_metadata,
    Column("day", Date(), primary_key=True),
    Column("digest", LargeBinary(16), primary_key=True),
    comment="Salted visitor digests of the current day (no persistent id); rolled up, deleted.",
)

analytics_day = Table(
    "analytics_day",
    data_metadata,
    Column("day", Date(), primary_key=True),
    Column("pageviews", BigInteger(), nullable=False),
    Column("visitors", BigInteger(), nullable=True),
    comment="Page views per day; unique visitors once the day's digests are rolled up.",
)

analytics_page = Table(
    "analytics_page",
    data_metadata,
    Column("day", Date(), primary_key=True),
    Column("path", String(200), primary_key=True),
    Column("views", BigInteger(), nullable=False),
    comment="Page views per day and path (path only: no query string, no fragment).",
)

analytics_referrer = Table(
    "analytics_referrer",
    data_metadata,
    Column("day", Date(), primary_key=True),
    Column("host", String(120), primary_key=True),
    Column("views", BigInteger(), nullable=False),
    comment="Page views per day and referring host (host only).",
)
