"""The ``opeka_consent`` cookie the banner keeps: the visitor's consent id and current choice.

Format (written by the banner, read here)::

    1.<consent id: 32 hex>.<notice version: 12 hex>.<unix time>.<codes joined by +, or ->

It is a strictly necessary cookie (it remembers the choice itself) and holds no personal data:
the consent id is random, made by the banner, and links the browser's choices to their proofs.
A choice counts only while its notice version is current and it has not expired.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from opeka.cookies.config import BannerConfig

_COOKIE = re.compile(r"^1\.([0-9a-f]{32})\.([0-9a-f]{12})\.(\d{1,12})\.([a-z0-9_+]{1,200}|-)$")


@dataclass(frozen=True, slots=True)
class StoredChoice:
    """A choice read back from the cookie."""

    consent_id: str
    version: str
    chosen_at: dt.datetime
    granted: frozenset[str]


def parse_choice(value: str | None) -> StoredChoice | None:
    """The choice in a cookie value, or None when absent or malformed."""
    match = _COOKIE.match(value or "")
    if match is None:
        return None
    consent_id, version, seconds, codes = match.groups()
    granted = frozenset() if codes == "-" else frozenset(codes.split("+"))
    return StoredChoice(
        consent_id=consent_id,
        version=version,
        chosen_at=dt.datetime.fromtimestamp(int(seconds), dt.UTC),
        granted=granted,
    )


def current_grants(value: str | None, *, config: BannerConfig, now: dt.datetime) -> frozenset[str]:
    """Categories the cookie grants now: empty when stale, expired, from the future or absent."""
    choice = parse_choice(value)
    if choice is None or choice.version != config.version:
        return frozenset()
    age = now - choice.chosen_at
    if age < -dt.timedelta(minutes=5) or age > dt.timedelta(days=config.expiry_days):
        return frozenset()
    return choice.granted & frozenset(config.optional)
