"""Password reset for portal accounts: a random single-use token valid for 30 minutes.

:func:`request_reset` returns the token to mail (None when the e-mail has no account, or the
account was sent ``reset_per_account`` links lately: the web layer answers the same in every
case, so the form does not tell who has an account). Only SHA-256 of the token is stored. A new
request supersedes the account's earlier unused tokens. :func:`consume_reset` claims the token
with one conditional update, so that two concurrent uses cannot both succeed, then sets the
password (policy checked; every session ends). A rejected password leaves the token unused.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, func, insert, select, update

from opeka.auth import accounts
from opeka.auth.context import Auth
from opeka.auth.errors import ResetTokenExpired, ResetTokenInvalid, ResetTokenUsed
from opeka.auth.keys import sha256
from opeka.db.auth import auth_reset_token
from opeka.db.base import utcnow
from opeka.processing.actor import Actor

T = auth_reset_token
RESET_ACTOR = Actor.system("portal-reset")
MAX_TOKEN = 100

if TYPE_CHECKING:
    from opeka.app import Opeka


def request_reset(
    opeka: Opeka, *, auth: Auth, email: str, now: dt.datetime | None = None
) -> str | None:
    """A reset token for the account of ``email``, or None (no account, or too many lately)."""
    now = now or utcnow()
    holder = accounts.find_account(opeka, email=email, actor=RESET_ACTOR)
    if holder is None:
        return None
    subject_id = holder.key
    limit = auth.config.reset_per_account
    since = now - dt.timedelta(seconds=limit.window_seconds)
    token = secrets.token_urlsafe(32)
    with opeka.unit_of_work() as uow:
        recent = uow.data.execute(
            select(func.count())
            .select_from(T)
            .where(T.c.subject_id == subject_id, T.c.created_at > since)
        ).scalar_one()
        if recent >= limit.count:
            return None
        uow.data.execute(
            update(T).where(T.c.subject_id == subject_id, T.c.used_at.is_(None)).values(used_at=now)
        )
        uow.data.execute(
            insert(T).values(
                token_sha256=sha256(token),
                subject_id=subject_id,
                created_at=now,
                expires_at=now + dt.timedelta(seconds=auth.config.reset_ttl_seconds),
            )
        )
    return token


def consume_reset(
    opeka: Opeka,
    *,
    auth: Auth,
    token: str,
    new_password: str,
    now: dt.datetime | None = None,
) -> uuid.UUID:
    """Set a new password with a reset token; the subject's id.

    Raises :class:`ResetTokenInvalid`, :class:`ResetTokenExpired`, :class:`ResetTokenUsed` or
    :class:`~opeka.auth.errors.PasswordRejected` (the token then stays usable).
    """
    now = now or utcnow()
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN:
        raise ResetTokenInvalid
    digest = sha256(token.strip())
    with opeka.unit_of_work() as uow:
        row = uow.data.execute(select(T).where(T.c.token_sha256 == digest)).first()
        if row is None:
            raise ResetTokenInvalid
        if row.used_at is not None:
            raise ResetTokenUsed
        if row.expires_at <= now:
            raise ResetTokenExpired
        claimed = uow.data.execute(
            update(T).where(T.c.token_sha256 == digest, T.c.used_at.is_(None)).values(used_at=now)
        )
        if claimed.rowcount != 1:
            raise ResetTokenUsed
        accounts.set_password(
            uow, auth=auth, subject_id=row.subject_id, password=new_password, now=now
        )
        return uuid.UUID(str(row.subject_id))


def purge_expired(conn: Connection, *, now: dt.datetime | None = None) -> int:
    """Delete tokens that expired a day ago or more (kept that long to answer "expired")."""
    cutoff = (now or utcnow()) - dt.timedelta(days=1)
    result = conn.execute(delete(T).where(T.c.expires_at < cutoff))
    return int(result.rowcount or 0)
