"""Idempotency keys of the REST API: a retried write returns the first answer, never runs twice.

A client sends ``Idempotency-Key`` with every write. :func:`claim` is the first statement of the
write's unit of work: it inserts a row for (client, key) holding a keyed hash of the request, so
that the work and the row commit together or not at all; :func:`complete` stores the response
before the commit. Then:

- the same key and the same request again → the stored response (:func:`claim` returns it);
- the same key and another request → :class:`KeyReused`;
- the same key while the first request still runs → exactly one executes: on PostgreSQL the
  second insert waits for the first transaction and then hits the primary key
  (:class:`KeyInUse`, retry later); on SQLite writers are serialised (``BEGIN IMMEDIATE``), so
  the second finds the committed row and gets the stored response.

A write that fails rolls back its row too, so the client may retry it with the same key. The
table holds no personal data: the key and the request (which may carry values) are kept only as
HMAC-SHA-256 under a key derived from the master key, and only responses of writes are stored,
which carry ids and statuses. Rows live :data:`TTL`; :func:`purge` deletes older ones, and an
expired row is replaced when its key comes again.

IdempotencyError
├── KeyReused      the key was used for another request
└── KeyInUse       another request holding the key has not finished
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from opeka.db.base import utcnow
from opeka.db.idempotency import api_idempotency

__all__ = [
    "TTL",
    "IdempotencyError",
    "KeyInUse",
    "KeyReused",
    "Stored",
    "claim",
    "complete",
    "fingerprint",
    "key_digest",
    "purge",
]

T = api_idempotency
TTL = dt.timedelta(hours=24)
"""How long a key is remembered."""


class IdempotencyError(Exception):
    """Base of the idempotency errors; ``message_ru`` / ``message`` say what to do."""

    def __init__(self, message: str, *, message_ru: str) -> None:
        self.message = message
        self.message_ru = message_ru
        super().__init__(message)


class KeyReused(IdempotencyError):
    """The key was already used for a different request."""

    def __init__(self) -> None:
        super().__init__(
            "this Idempotency-Key was used for a different request; use a new key",
            message_ru="этот Idempotency-Key уже использован для другого запроса; создайте новый",
        )


class KeyInUse(IdempotencyError):
    """A request with this key is still running."""

    def __init__(self) -> None:
        super().__init__(
            "a request with this Idempotency-Key is still being processed; retry later",
            message_ru="запрос с этим Idempotency-Key ещё выполняется; повторите позже",
        )


@dataclass(frozen=True, slots=True)
class Stored:
    """The response the first execution gave."""

    status: int
    body: dict[str, Any]


def key_digest(secret: bytes, key: str) -> bytes:
    """The HMAC under which a client's key is stored (the key itself never is)."""
    return hmac.new(secret, b"key\x00" + key.encode("utf-8"), hashlib.sha256).digest()


def fingerprint(secret: bytes, *, method: str, path: str, body: bytes) -> bytes:
    """A keyed hash of the request; JSON bodies are canonicalised (key order, whitespace)."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")
    except (ValueError, UnicodeDecodeError):
        canonical = body
    message = b"\x00".join([b"request", method.upper().encode(), path.encode("utf-8"), canonical])
    return hmac.new(secret, message, hashlib.sha256).digest()


def claim(
    conn: Connection,
    *,
    client_id: str,
    key_digest: bytes,
    fingerprint: bytes,
    now: dt.datetime | None = None,
) -> Stored | None:
    """Take the key for this request (None: execute it) or return the stored response.

    Raises :class:`KeyReused` for another request under the key, :class:`KeyInUse` when a
    concurrent request holds it. Call it first in the write's unit of work.
    """
    now = now or utcnow()
    where = (T.c.client_id == client_id, T.c.key_digest == key_digest)
    row = conn.execute(select(T).where(*where)).first()
    if row is not None and row.created_at < now - TTL:
        conn.execute(delete(T).where(*where))
        row = None
    if row is not None:
        if not hmac.compare_digest(bytes(row.fingerprint), fingerprint):
            raise KeyReused
        if row.status is None or row.response is None:
            raise KeyInUse
        return Stored(status=row.status, body=json.loads(row.response))
    try:
        with conn.begin_nested():
            conn.execute(
                insert(T).values(
                    client_id=client_id,
                    key_digest=key_digest,
                    fingerprint=fingerprint,
                    created_at=now,
                )
            )
    except IntegrityError:
        raise KeyInUse from None
    return None


def complete(
    conn: Connection,
    *,
    client_id: str,
    key_digest: bytes,
    status: int,
    body: Mapping[str, Any],
) -> None:
    """Store the response of a claimed key (ids and statuses only: never personal data)."""
    conn.execute(
        update(T)
        .where(T.c.client_id == client_id, T.c.key_digest == key_digest)
        .values(status=status, response=json.dumps(body, ensure_ascii=False, sort_keys=True))
    )


def purge(conn: Connection, *, now: dt.datetime | None = None) -> int:
    """Delete keys older than :data:`TTL`; returns how many."""
    cutoff = (now or utcnow()) - TTL
    return conn.execute(delete(T).where(T.c.created_at < cutoff)).rowcount
