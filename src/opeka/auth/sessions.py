"""Server-side sessions: the cookie carries a random code, the table only its SHA-256.

A session belongs to a principal (a subject by pseudonymous id, or a staff user by id) and ends
at the first of: ``revoked_at`` (logout, logout everywhere, password change, deactivation),
``expires_at`` (the absolute timeout counted from sign-in), or ``last_seen_at`` plus the idle
timeout. A session created with a User-Agent keeps its keyed hash and is refused to another one
(a stolen cookie replayed from another browser must at least guess the header; a browser update
signs the user out, which is acceptable).

Functions take the connection of the caller's transaction and never commit.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, Row, delete, insert, or_, select, update

from opeka.auth.context import Auth
from opeka.auth.cookie import CODE_BYTES
from opeka.auth.keys import sha256
from opeka.auth.principals import PrincipalKind
from opeka.db.auth import auth_session
from opeka.db.base import utcnow

T = auth_session


@dataclass(frozen=True, slots=True)
class Session:
    """A live session (no code: that exists only in the cookie)."""

    kind: PrincipalKind
    principal_id: str
    login_at: dt.datetime
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True, repr=False)
class NewSession:
    """A session just created, with its code (put it in the cookie, then forget it)."""

    code: bytes
    session: Session

    def cookie_value(self, auth: Auth) -> str:
        """The sealed cookie value for this session."""
        return auth.cookies.seal(
            kind=self.session.kind, code=self.code, login_at=self.session.login_at
        )

    def __repr__(self) -> str:
        return f"NewSession({self.session!r})"


def create(
    conn: Connection,
    *,
    auth: Auth,
    kind: PrincipalKind,
    principal_id: str,
    user_agent: str | None = None,
    now: dt.datetime | None = None,
) -> NewSession:
    """Open a session for a principal who has just signed in."""
    now = (now or utcnow()).replace(microsecond=0)
    code = secrets.token_bytes(CODE_BYTES)
    timeouts = auth.config.timeouts(kind)
    session = Session(
        kind=kind,
        principal_id=principal_id,
        login_at=now,
        created_at=now,
        last_seen_at=now,
        expires_at=now + dt.timedelta(seconds=timeouts.absolute_seconds),
    )
    conn.execute(
        insert(T).values(
            code_sha256=sha256(code),
            principal_kind=kind.value,
            principal_id=principal_id,
            login_at=session.login_at,
            created_at=session.created_at,
            last_seen_at=session.last_seen_at,
            expires_at=session.expires_at,
            user_agent_hash=auth.user_agent_hash(user_agent),
        )
    )
    return NewSession(code=code, session=session)


def _live(auth: Auth, row: Row[tuple[object, ...]], now: dt.datetime, ua: bytes | None) -> bool:
    idle = dt.timedelta(
        seconds=auth.config.timeouts(PrincipalKind(row.principal_kind)).idle_seconds
    )
    if row.revoked_at is not None or row.expires_at <= now or row.last_seen_at + idle <= now:
        return False
    stored = row.user_agent_hash
    return stored is None or (ua is not None and hmac.compare_digest(bytes(stored), ua))


def resolve(
    conn: Connection,
    *,
    auth: Auth,
    code: bytes,
    user_agent: str | None = None,
    now: dt.datetime | None = None,
) -> Session | None:
    """The live session of ``code``, or None (unknown, revoked, expired, idle, other browser)."""
    now = now or utcnow()
    row = conn.execute(select(T).where(T.c.code_sha256 == sha256(code))).first()
    if row is None or not _live(auth, row, now, auth.user_agent_hash(user_agent)):
        return None
    return Session(
        kind=PrincipalKind(row.principal_kind),
        principal_id=row.principal_id,
        login_at=row.login_at,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
    )


def resolve_cookie(
    conn: Connection,
    *,
    auth: Auth,
    value: str,
    kind: PrincipalKind,
    user_agent: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[Session, bytes] | None:
    """Open an auth cookie of ``kind`` and resolve its session: (session, code) or None.

    The sign-in time sealed in the cookie must be the session's own.
    """
    contents = auth.cookies.open_(value)
    if contents is None or contents.kind is not kind:
        return None
    session = resolve(conn, auth=auth, code=contents.code, user_agent=user_agent, now=now)
    if session is None or session.login_at != contents.login_at:
        return None
    return session, contents.code


def touch(conn: Connection, *, auth: Auth, code: bytes, now: dt.datetime | None = None) -> None:
    """Record use of a session (at most once per ``touch_every_seconds``, to spare writes)."""
    now = now or utcnow()
    stale = now - dt.timedelta(seconds=auth.config.touch_every_seconds)
    conn.execute(
        update(T)
        .where(T.c.code_sha256 == sha256(code), T.c.last_seen_at < stale, T.c.revoked_at.is_(None))
        .values(last_seen_at=now)
    )


def revoke(conn: Connection, *, code: bytes, now: dt.datetime | None = None) -> bool:
    """End one session (logout); True if it was live."""
    result = conn.execute(
        update(T)
        .where(T.c.code_sha256 == sha256(code), T.c.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return bool(result.rowcount)


def revoke_all(
    conn: Connection,
    *,
    kind: PrincipalKind,
    principal_id: str,
    keep: bytes | None = None,
    now: dt.datetime | None = None,
) -> int:
    """End every session of a principal (but ``keep``'s); returns how many were live."""
    where = [T.c.principal_kind == kind.value, T.c.principal_id == principal_id]
    where.append(T.c.revoked_at.is_(None))
    if keep is not None:
        where.append(T.c.code_sha256 != sha256(keep))
    result = conn.execute(update(T).where(*where).values(revoked_at=now or utcnow()))
    return int(result.rowcount or 0)


def purge_expired(conn: Connection, *, auth: Auth, now: dt.datetime | None = None) -> int:
    """Delete sessions that can no longer be used; returns how many."""
    now = now or utcnow()
    deleted = 0
    for kind in PrincipalKind:
        idle = dt.timedelta(seconds=auth.config.timeouts(kind).idle_seconds)
        dead = or_(
            T.c.revoked_at.is_not(None), T.c.expires_at <= now, T.c.last_seen_at <= now - idle
        )
        result = conn.execute(delete(T).where(T.c.principal_kind == kind.value, dead))
        deleted += int(result.rowcount or 0)
    return deleted
