"""One-time download links for the access package (the portal's «Скачать мои данные»).

The package is never stored and never mailed: the portal issues a token, shows the link, and
generates the file when the link is opened. :func:`issue` keeps only SHA-256 of a random
token (256 bits), the subject, the kind (JSON or PDF) and the expiry (24 hours by default);
:func:`redeem` claims it with one conditional update, so two concurrent uses cannot both
succeed, and returns the subject whose package to generate. Both take a connection and commit
nothing (the caller's unit of work does).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from enum import StrEnum

from sqlalchemy import Connection, delete, insert, select, update

from opeka.db.base import utcnow
from opeka.db.documents import download_token
from opeka.documents.errors import TokenExpired, TokenInvalid, TokenUsed
from opeka.processing import subjects

__all__ = ["TTL", "DownloadKind", "issue", "purge_tokens", "redeem"]

T = download_token
TTL = dt.timedelta(hours=24)
MAX_TOKEN = 100
KEEP_AFTER_EXPIRY = dt.timedelta(days=1)


class DownloadKind(StrEnum):
    """What a link downloads."""

    ACCESS_JSON = "access_json"
    ACCESS_PDF = "access_pdf"


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


def issue(
    conn: Connection,
    *,
    subject_id: uuid.UUID,
    kind: DownloadKind | str,
    now: dt.datetime | None = None,
    ttl: dt.timedelta = TTL,
) -> str:
    """A new single-use token for ``subject_id``'s package of ``kind``, valid for ``ttl``."""
    kind = DownloadKind(kind)
    subjects.load(conn, subject_id)  # SubjectNotFound if unknown
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(T).values(
            token_sha256=_digest(token),
            subject_id=subject_id,
            kind=kind.value,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    return token


def redeem(
    conn: Connection, *, token: str, kind: DownloadKind | str, now: dt.datetime | None = None
) -> uuid.UUID:
    """Use a token once; the subject whose package to generate.

    Raises :class:`TokenInvalid` (unknown, malformed, other kind), :class:`TokenExpired` or
    :class:`TokenUsed`.
    """
    now = now or utcnow()
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN:
        raise TokenInvalid
    digest = _digest(token.strip())
    row = conn.execute(select(T).where(T.c.token_sha256 == digest)).first()
    if row is None or row.kind != DownloadKind(kind).value:
        raise TokenInvalid
    if row.used_at is not None:
        raise TokenUsed
    if row.expires_at <= now:
        raise TokenExpired
    claimed = conn.execute(
        update(T).where(T.c.token_sha256 == digest, T.c.used_at.is_(None)).values(used_at=now)
    )
    if claimed.rowcount != 1:
        raise TokenUsed
    return uuid.UUID(str(row.subject_id))


def purge_tokens(conn: Connection, *, now: dt.datetime | None = None) -> int:
    """Delete tokens expired a day ago or more (kept that long to answer "expired")."""
    cutoff = (now or utcnow()) - KEEP_AFTER_EXPIRY
    result = conn.execute(delete(T).where(T.c.expires_at < cutoff))
    return int(result.rowcount or 0)
