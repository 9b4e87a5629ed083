"""Rate limits shared by every server process: counters in the database, keys only as HMACs.

A key names what is counted — ``"staff:ip:<ip>"``, ``"portal:account:<e-mail>"``,
``"form:question:<ip>"`` — and is stored as its HMAC under a key derived from the master key
(:mod:`opeka.auth.keys`), so no IP address or e-mail sits in the table in clear.

Counting: fixed windows of ``window_seconds`` aligned on the epoch, one row per key and window.
A hit adds one to the current window with one atomic statement (``INSERT … ON CONFLICT DO UPDATE
… RETURNING``: PostgreSQL takes the row lock, SQLite's ``BEGIN IMMEDIATE`` the write lock), so
each hit sees its own count and concurrent processes never let more than ``limit`` hits through
at one instant. The sliding mode (default) adds the previous window's count weighted by how much
of it still lies within ``window_seconds`` of now (the "sliding window counter"), which smooths
the burst a fixed window allows at its boundary.

Refused hits count too: a client that keeps hammering stays refused until it stops. Windows
older than two lengths are useless; :func:`purge_expired` deletes them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from opeka.auth.keys import keyed_digest
from opeka.db.auth import auth_rate_window


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``count`` hits per ``window_seconds``."""

    count: int
    window_seconds: int

    def __post_init__(self) -> None:
        if self.count < 1 or self.window_seconds < 1:
            raise ValueError("a limit needs count >= 1 and window_seconds >= 1")


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a hit is allowed, and if not, in how many seconds one will be."""

    allowed: bool
    retry_after_seconds: int = 0


class RateLimiter:
    """Counts hits per key in ``auth_rate_window`` (keys HMAC'd under ``secret``)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def digest(self, key: str) -> bytes:
        """The stored form of ``key``."""
        return keyed_digest(self._secret, key)

    def hit(
        self,
        conn: Connection,
        *,
        key: str,
        limit: int,
        window_seconds: int,
        now: dt.datetime,
        sliding: bool = True,
    ) -> Decision:
        """Count one hit of ``key`` and say whether it is within ``limit``."""
        Limit(limit, window_seconds)  # validates both numbers
        digest = self.digest(key)
        t = now.timestamp()
        start = int(t // window_seconds) * window_seconds
        expires = dt.datetime.fromtimestamp(start + 2 * window_seconds, dt.UTC)
        current = _increment(conn, digest, start, expires)
        previous = 0
        if sliding:
            previous = _count(conn, digest, start - window_seconds)
        overlap = 1 - (t - start) / window_seconds
        if current + previous * overlap <= limit:
            return Decision(allowed=True)
        if sliding:
            wait = _retry_after(previous, current, limit, window_seconds, t - start)
        else:
            wait = max(1, math.ceil(start + window_seconds - t))
        return Decision(allowed=False, retry_after_seconds=wait)

    def check(self, conn: Connection, *, key: str, limit: Limit, now: dt.datetime) -> Decision:
        """:meth:`hit` with a :class:`Limit`."""
        return self.hit(
            conn, key=key, limit=limit.count, window_seconds=limit.window_seconds, now=now
        )

    def reset(self, conn: Connection, *, key: str) -> None:
        """Forget every window of ``key`` (e.g. an account's counter after a good login)."""
        conn.execute(
            delete(auth_rate_window).where(auth_rate_window.c.key_hmac == self.digest(key))
        )


def _increment(conn: Connection, digest: bytes, start: int, expires: dt.datetime) -> int:
    table = auth_rate_window
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(
        key_hmac=digest, window_start=start, hits=1, expires_at=expires
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.key_hmac, table.c.window_start],
        set_={"hits": table.c.hits + 1},
    ).returning(table.c.hits)
    return int(conn.execute(stmt).scalar_one())


def _count(conn: Connection, digest: bytes, start: int) -> int:
    table = auth_rate_window
    found = conn.execute(
        select(table.c.hits).where(table.c.key_hmac == digest, table.c.window_start == start)
    ).scalar()
    return int(found or 0)


def _retry_after(previous: int, current: int, limit: int, window: int, elapsed: float) -> int:
    """Seconds until one more hit fits, if nothing else is counted meanwhile."""
    room = limit - current - 1  # what the previous window's weight must shrink to, this window
    if room >= 0 and previous > 0:
        overlap_needed = room / previous  # weight (1 - elapsed'/window) must drop to this
        at = (1 - overlap_needed) * window
        if at < window:
            return max(1, math.ceil(at - elapsed))
    # Next window: previous := current, one new hit; weight must drop to (limit - 1) / current.
    at = window + max(0.0, 1 - (limit - 1) / current) * window
    return max(1, math.ceil(at - elapsed))


def purge_expired(conn: Connection, *, now: dt.datetime) -> int:
    """Delete windows that no longer count; returns how many."""
    table = auth_rate_window
    result = conn.execute(delete(table).where(table.c.expires_at < now))
    return int(result.rowcount or 0)
