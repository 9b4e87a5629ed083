"""API clients of the REST API: a token per client, scopes, and the purposes it may state.

A token is ``opk_<id>_<secret>``: ``id`` is 16 hex digits (public, the table's key, shown in
lists and logs), ``secret`` 256 random bits in base64url. Only SHA-256 of the secret is stored
(a random 256-bit secret needs no slow hash) and it is compared in constant time. The token is
shown once, at creation; a lost token is revoked and a new client made.

Each client holds scopes (what calls it may make, :class:`Scope`) and purposes (which of the
policy's purposes it may state when a call reads or changes personal data); :func:`require`
checks both.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, Row, bindparam, insert, select, update

from opeka.auth.context import Auth
from opeka.auth.errors import (
    ApiClientNotFound,
    ApiKeyRevoked,
    InvalidApiKey,
    PurposeDenied,
    ScopeDenied,
    UnknownPurpose,
)
from opeka.auth.keys import sha256
from opeka.db.auth import auth_api_client
from opeka.db.base import utcnow

T = auth_api_client
PREFIX = "opk"
TOKEN = re.compile(r"^opk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
_DUMMY_DIGEST = sha256(b"opeka dummy api secret")
TOUCH_EVERY = dt.timedelta(seconds=60)


class Scope(StrEnum):
    """What an API client may do."""

    SUBJECTS_READ = "subjects:read"
    SUBJECTS_WRITE = "subjects:write"
    SUBJECTS_BLOCK = "subjects:block"
    SUBJECTS_DESTROY = "subjects:destroy"
    CONSENTS_READ = "consents:read"
    CONSENTS_WRITE = "consents:write"
    REQUESTS_READ = "requests:read"
    REQUESTS_WRITE = "requests:write"
    EVENTS_WRITE = "events:write"
    ANALYTICS_WRITE = "analytics:write"


@dataclass(frozen=True, slots=True)
class ApiClient:
    """An API client (never its secret)."""

    id: str
    name: str
    scopes: frozenset[Scope]
    purposes: frozenset[str]
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def _client(row: Row[tuple[object, ...]]) -> ApiClient:
    return ApiClient(
        id=row.id,
        name=row.name,
        scopes=frozenset(Scope(s) for s in row.scopes.split()),
        purposes=frozenset(row.purposes.split()),
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _check_purposes(auth: Auth, purposes: Iterable[str]) -> list[str]:
    chosen = sorted(set(purposes))
    for purpose in chosen:
        if purpose not in auth.policy.purposes:
            raise UnknownPurpose(
                f"unknown purpose `{purpose}`; see the policy's purposes",
                message_ru=f"неизвестная цель `{purpose}`; см. цели в политике",
            )
    return chosen


def create_api_key(
    conn: Connection,
    *,
    auth: Auth,
    name: str,
    scopes: Iterable[Scope],
    purposes: Iterable[str],
    now: dt.datetime | None = None,
) -> tuple[ApiClient, str]:
    """Create a client; returns it and its token (show the token once, never store it)."""
    name = " ".join(name.split())
    if not 1 <= len(name) <= 100:
        raise ValueError("имя клиента: 1–100 символов / the client's name: 1-100 characters")
    chosen_scopes = sorted({Scope(s) for s in scopes})
    if not chosen_scopes:
        raise ValueError("укажите хотя бы одно право / give at least one scope")
    chosen_purposes = _check_purposes(auth, purposes)
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    conn.execute(
        insert(T).values(
            id=key_id,
            name=name,
            secret_sha256=sha256(secret),
            scopes=" ".join(chosen_scopes),
            purposes=" ".join(chosen_purposes),
            created_at=now or utcnow(),
        )
    )
    return get(conn, client_id=key_id), f"{PREFIX}_{key_id}_{secret}"


def get(conn: Connection, *, client_id: str) -> ApiClient:
    """The client with this id, or :class:`ApiClientNotFound`."""
    row = conn.execute(select(T).where(T.c.id == client_id)).first()
    if row is None:
        raise ApiClientNotFound
    return _client(row)


_BY_ID = select(T).where(T.c.id == bindparam("key_id"))
"""Built once: the lookup runs on every API call."""


def authenticate_api_key(
    conn: Connection, *, token: str, now: dt.datetime | None = None, touch: bool = True
) -> ApiClient:
    """The client a token belongs to; :class:`InvalidApiKey` or :class:`ApiKeyRevoked`.

    Stamps ``last_used_at`` (at most once a minute) in the caller's transaction; with
    ``touch=False`` the caller does it later (see :func:`needs_touch`, :func:`touch`).
    """
    now = now or utcnow()
    match = TOKEN.match(token.strip()) if isinstance(token, str) else None
    key_id, secret = match.groups() if match else ("", "")
    row = conn.execute(_BY_ID, {"key_id": key_id}).first() if match else None
    stored = bytes(row.secret_sha256) if row is not None else _DUMMY_DIGEST
    valid = hmac.compare_digest(stored, sha256(secret))
    if row is None or not valid:
        raise InvalidApiKey
    if row.revoked_at is not None:
        raise ApiKeyRevoked
    client = _client(row)
    if touch and needs_touch(client, now):
        stamp(conn, client_id=key_id, now=now)
    return client


def needs_touch(client: ApiClient, now: dt.datetime | None = None) -> bool:
    """Whether the client's ``last_used_at`` is older than a minute (or unset)."""
    now = now or utcnow()
    return client.last_used_at is None or client.last_used_at < now - TOUCH_EVERY


def stamp(conn: Connection, *, client_id: str, now: dt.datetime | None = None) -> None:
    """Set the client's ``last_used_at`` (in the caller's transaction)."""
    conn.execute(update(T).where(T.c.id == client_id).values(last_used_at=now or utcnow()))


def require(client: ApiClient, scope: Scope, *, purpose: str | None = None) -> None:
    """Refuse a call the client may not make: :class:`ScopeDenied`, :class:`PurposeDenied`."""
    if scope not in client.scopes:
        raise ScopeDenied(
            f"the API key lacks the scope {scope}",
            message_ru=f"у API-ключа нет права {scope}",
        )
    if purpose is not None and purpose not in client.purposes:
        raise PurposeDenied(
            f"the API key may not process data for purpose {purpose}",
            message_ru=f"API-ключу не разрешена обработка в цели {purpose}",
        )


def revoke(conn: Connection, *, client_id: str, now: dt.datetime | None = None) -> ApiClient:
    """Revoke a client (its token stops working at once); revoking twice keeps the first time."""
    get(conn, client_id=client_id)
    conn.execute(
        update(T)
        .where(T.c.id == client_id, T.c.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return get(conn, client_id=client_id)


def list_clients(conn: Connection) -> list[ApiClient]:
    """Every client, newest first."""
    return [_client(row) for row in conn.execute(select(T).order_by(T.c.created_at.desc(), T.c.id))]
