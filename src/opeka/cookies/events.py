"""Consent events: the banner's decisions, validated strictly and stored append-only as proofs.

A decision is complete: every optional category is either granted or denied. The method says
how it was made — ``banner_accept_all``, ``reject_all``, ``custom`` (the person's own ticks),
``gpc`` (accept-all shaped by Global Privacy Control: the GPC categories denied) or
``withdraw`` (a category granted before is now denied). With GPC (``Sec-GPC: 1`` or the page's
``navigator.globalPrivacyControl``), accept-all cannot grant a GPC category: only ticking it
does. The stored row keeps the notice's versions, the language, a truncated IP and a hash of
the user agent — nothing that names a person.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import Connection, Dialect, select

from opeka.cookies.config import GPC_CATEGORIES, BannerConfig
from opeka.cookies.errors import InvalidEvent, StaleVersion
from opeka.db.base import utcnow
from opeka.db.bulk import qualified_name
from opeka.db.cookies import cookie_consent_event

Method = Literal["banner_accept_all", "reject_all", "custom", "gpc", "withdraw"]
CategoryCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,47}$")]
MAX_BODY = 4096
_IPV4 = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$", re.ASCII)
COLUMNS = (
    "consent_id",
    "method",
    "granted",
    "denied",
    "cookie_version",
    "policy_version",
    "language",
    "gpc",
    "received_at",
    "ip_prefix",
    "ua_hash",
)


class ConsentEventIn(BaseModel):
    """The JSON body the banner sends (``navigator.sendBeacon``)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    consent_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    method: Method
    granted: list[CategoryCode] = Field(max_length=16)
    denied: list[CategoryCode] = Field(max_length=16)
    version: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12}$")]
    language: Literal["ru", "en"]
    gpc: bool = False


@dataclass(frozen=True, slots=True)
class ConsentEvent:
    """A validated decision with what the server saw, ready to store."""

    consent_id: uuid.UUID
    method: str
    granted: tuple[str, ...]
    denied: tuple[str, ...]
    cookie_version: str
    policy_version: str
    language: str
    gpc: bool
    received_at: dt.datetime
    ip_prefix: str | None
    ua_hash: str | None

    def row(self) -> tuple[Any, ...]:
        """The row in the order of :data:`COLUMNS`."""
        return (
            self.consent_id,
            self.method,
            " ".join(self.granted),
            " ".join(self.denied),
            self.cookie_version,
            self.policy_version,
            self.language,
            self.gpc,
            self.received_at,
            self.ip_prefix,
            self.ua_hash,
        )


def parse_body(body: bytes) -> ConsentEventIn:
    """Parse and validate a JSON body; the error names the fields at fault, never values."""
    if len(body) > MAX_BODY:
        raise InvalidEvent(
            f"the body is larger than {MAX_BODY} bytes",
            message_ru=f"тело запроса больше {MAX_BODY} байт",
        )
    try:
        return ConsentEventIn.model_validate_json(body)
    except ValidationError as exc:
        en, ru = validation_reason(exc)
        raise InvalidEvent(en, message_ru=ru) from None


def validation_reason(exc: ValidationError) -> tuple[str, str]:
    """The fields at fault (``body`` when the JSON itself is bad), without their values."""
    fields = ", ".join(sorted({".".join(str(p) for p in e["loc"]) or "body" for e in exc.errors()}))
    return f"check: {fields}", f"проверьте: {fields}"


def check_decision(event: ConsentEventIn, config: BannerConfig, *, gpc: bool) -> None:
    """Refuse a decision that is stale, incomplete or contradicts its method or GPC."""
    if event.version != config.version:
        raise StaleVersion(
            "the cookie notice has changed; ask again",
            message_ru="уведомление о cookie изменилось; спросите ещё раз",
        )
    granted, denied, optional = set(event.granted), set(event.denied), set(config.optional)
    if len(granted) != len(event.granted) or len(denied) != len(event.denied):
        raise InvalidEvent("a category is listed twice", message_ru="категория указана дважды")
    if (granted | denied) - optional:
        raise InvalidEvent(
            "only optional categories of the notice may be granted or denied",
            message_ru="разрешать и запрещать можно только необязательные категории уведомления",
        )
    if granted & denied:
        raise InvalidEvent(
            "a category is both granted and denied",
            message_ru="категория одновременно разрешена и запрещена",
        )
    if granted | denied != optional:
        raise InvalidEvent(
            "every optional category must be granted or denied",
            message_ru="каждая необязательная категория должна быть разрешена или запрещена",
        )
    gpc_here = GPC_CATEGORIES & optional
    if event.method == "banner_accept_all" and (denied or (gpc and gpc_here)):
        raise InvalidEvent(
            "accept-all grants every category, and is not used under GPC",
            message_ru="«принять все» разрешает все категории и не применяется при GPC",
        )
    if event.method == "reject_all" and granted:
        raise InvalidEvent(
            "reject-all grants no category",
            message_ru="«только необходимые» не разрешает ни одной категории",
        )
    if event.method == "gpc" and not gpc_here <= denied:
        raise InvalidEvent(
            "a GPC decision denies the categories GPC protects",
            message_ru="решение по GPC запрещает категории, которые защищает GPC",
        )


def make_event(
    event: ConsentEventIn,
    config: BannerConfig,
    *,
    gpc_header: bool,
    client_ip: str | None,
    user_agent: str | None,
    now: dt.datetime | None = None,
) -> ConsentEvent:
    """Check a parsed decision and add what the server saw (truncated IP, UA hash, time)."""
    gpc = gpc_header or event.gpc or event.method == "gpc"
    check_decision(event, config, gpc=gpc)
    order = config.order
    return ConsentEvent(
        consent_id=uuid.UUID(hex=event.consent_id),
        method=event.method,
        granted=tuple(sorted(event.granted, key=order.__getitem__)),
        denied=tuple(sorted(event.denied, key=order.__getitem__)),
        cookie_version=config.version,
        policy_version=config.policy_version,
        language=event.language,
        gpc=gpc,
        received_at=now or utcnow(),
        ip_prefix=truncate_ip(client_ip),
        ua_hash=hash_user_agent(user_agent),
    )


@functools.lru_cache(maxsize=4096)
def truncate_ip(address: str | None) -> str | None:
    """The network of an address: /24 for IPv4, /48 for IPv6; None if absent or not an IP."""
    if not address:
        return None
    if _IPV4.match(address) and all(str(int(p)) == p and int(p) < 256 for p in address.split(".")):
        return address.rsplit(".", 1)[0] + ".0"  # the common case, without ipaddress
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


@functools.lru_cache(maxsize=1024)
def hash_user_agent(user_agent: str | None) -> str | None:
    """A short hash of the user agent (groups browsers, does not keep the string)."""
    if not user_agent:
        return None
    return hashlib.sha256(user_agent.encode("utf-8", "replace")).hexdigest()[:16]


def store_events(conn: Connection, events: Sequence[ConsentEvent]) -> None:
    """Append ``events`` (the caller's transaction commits them).

    The hot path of the consent-event API: one driver-level ``executemany`` with the columns'
    own bind processors, without the per-row work of a Core ``insert``.
    """
    if not events:
        return
    processors = _processors(conn.dialect)
    rows = [
        tuple(v if p is None else p(v) for p, v in zip(processors, e.row(), strict=True))
        for e in events
    ]
    conn.exec_driver_sql(_insert_sql(conn), rows)


@functools.cache
def _processors(dialect: Dialect) -> tuple[Callable[[Any], Any] | None, ...]:
    return tuple(cookie_consent_event.c[c].type.bind_processor(dialect) for c in COLUMNS)


def _insert_sql(conn: Connection) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    table = qualified_name(conn, cookie_consent_event)
    # Identifiers come from the table metadata, never from input; values are bound.
    return f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join([mark] * len(COLUMNS))})"  # noqa: S608


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """A stored decision, as proof of what a browser chose and on which notice."""

    id: int
    method: str
    granted: tuple[str, ...]
    denied: tuple[str, ...]
    cookie_version: str
    policy_version: str
    language: str
    gpc: bool
    received_at: dt.datetime


def events_for(conn: Connection, *, consent_id: uuid.UUID) -> list[StoredEvent]:
    """Every decision of one consent id, oldest first."""
    t = cookie_consent_event
    rows = conn.execute(
        select(
            t.c.id,
            t.c.method,
            t.c.granted,
            t.c.denied,
            t.c.cookie_version,
            t.c.policy_version,
            t.c.language,
            t.c.gpc,
            t.c.received_at,
        )
        .where(t.c.consent_id == consent_id)
        .order_by(t.c.id)
    )
    return [
        StoredEvent(
            id=r.id,
            method=r.method,
            granted=tuple(r.granted.split()),
            denied=tuple(r.denied.split()),
            cookie_version=r.cookie_version,
            policy_version=r.policy_version,
            language=r.language,
            gpc=r.gpc,
            received_at=r.received_at,
        )
        for r in rows
    ]
