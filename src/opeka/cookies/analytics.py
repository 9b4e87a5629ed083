"""First-party analytics (policy 6.5): page views, top pages and unique visitors per day.

Nothing leaves the operator (policy 3.3), and nothing is recorded without a current analytics
consent (the route checks the ``opeka_consent`` cookie). No persistent visitor id exists: a
visitor is counted as ``HMAC(day's salt, truncated IP ‖ user agent ‖ site)`` in the day's set;
the salt is random, kept only for its day (Moscow time), and when a new day's salt is made the
older days' digests are rolled up into a count and deleted together with their salts — after
that, not even the operator can tell whether two days' visitors were the same person.

Only the path of a page is kept (no query string, no fragment: they may carry personal data),
and only the host of a referrer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Connection, Table, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from opeka.cookies.errors import InvalidEvent
from opeka.cookies.events import MAX_BODY, validation_reason
from opeka.db.cookies import (
    analytics_day,
    analytics_page,
    analytics_referrer,
    analytics_salt,
    analytics_visitor,
)

MSK = dt.timezone(dt.timedelta(hours=3), "MSK")
_PATH = re.compile(r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,199}$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


@dataclass(frozen=True, slots=True)
class PageView:
    """One consented page view as received (held in memory until its batch commits)."""

    path: str
    referrer_host: str | None
    ip_prefix: str | None
    user_agent: str
    site: str


def clean_path(path: str) -> str | None:
    """The path alone (no query or fragment), or None when it is not a plausible path."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    return path if _PATH.match(path) else None


def clean_host(host: str | None) -> str | None:
    """A lower-case host name without port, or None."""
    if not host:
        return None
    host = host.strip().lower().split(":", 1)[0]
    return host if len(host) <= 120 and _HOST.match(host) else None


def today(now: dt.datetime | None = None) -> dt.date:
    """The analytics day (Moscow time) of ``now``."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(MSK).date()


def visitor_digest(salt: bytes, view: PageView) -> bytes:
    """The day's pseudonymous visitor digest (16 bytes)."""
    message = "\x1f".join((view.ip_prefix or "", view.user_agent, view.site)).encode()
    return hmac.new(salt, message, hashlib.sha256).digest()[:16]


def day_salt(conn: Connection, *, day: dt.date) -> bytes:
    """The day's salt, made if missing; making it rolls up and forgets the older days."""
    new = _insert_ignore(conn, analytics_salt, ["day"]).values(
        day=day, salt=secrets.token_bytes(32)
    )
    if conn.execute(new.returning(analytics_salt.c.day)).first() is not None:
        roll_up(conn, before=day)
    return bytes(
        conn.execute(select(analytics_salt.c.salt).where(analytics_salt.c.day == day)).scalar_one()
    )


def roll_up(conn: Connection, *, before: dt.date) -> None:
    """Count the visitor digests of the days before ``before``, then delete them and the salts."""
    counts = conn.execute(
        select(analytics_visitor.c.day, func.count())
        .where(analytics_visitor.c.day < before)
        .group_by(analytics_visitor.c.day)
    ).all()
    for day, count in counts:
        _upsert_add(conn, analytics_day, ["day"], "pageviews", [{"day": day, "pageviews": 0}])
        visitors = func.coalesce(analytics_day.c.visitors, 0) + count
        conn.execute(
            update(analytics_day).where(analytics_day.c.day == day).values(visitors=visitors)
        )
    conn.execute(delete(analytics_visitor).where(analytics_visitor.c.day < before))
    conn.execute(delete(analytics_salt).where(analytics_salt.c.day < before))


def record_pageviews(
    conn: Connection, views: Sequence[PageView], *, now: dt.datetime | None = None
) -> None:
    """Count ``views`` (all on the current day) into the aggregates."""
    if not views:
        return
    day = today(now)
    salt = day_salt(conn, day=day)
    pages = Counter(v.path for v in views)
    hosts = Counter(v.referrer_host for v in views if v.referrer_host)
    digests = {visitor_digest(salt, v) for v in views}
    _upsert_add(conn, analytics_day, ["day"], "pageviews", [{"day": day, "pageviews": len(views)}])
    _upsert_add(
        conn,
        analytics_page,
        ["day", "path"],
        "views",
        [{"day": day, "path": p, "views": n} for p, n in sorted(pages.items())],
    )
    if hosts:
        _upsert_add(
            conn,
            analytics_referrer,
            ["day", "host"],
            "views",
            [{"day": day, "host": h, "views": n} for h, n in sorted(hosts.items())],
        )
    conn.execute(
        _insert_ignore(conn, analytics_visitor, ["day", "digest"]),
        [{"day": day, "digest": d} for d in sorted(digests)],
    )


def _dialect_insert(conn: Connection, table: Table) -> Any:
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table)


def _insert_ignore(conn: Connection, table: Table, keys: list[str]) -> Any:
    return _dialect_insert(conn, table).on_conflict_do_nothing(index_elements=keys)


def _upsert_add(
    conn: Connection, table: Table, keys: list[str], column: str, rows: list[dict[str, Any]]
) -> None:
    """Insert ``rows``, or add their ``column`` to the existing rows with the same keys."""
    stmt = _dialect_insert(conn, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={column: table.c[column] + stmt.excluded[column]}
    )
    conn.execute(stmt, rows)


class PageViewIn(BaseModel):
    """The beacon's JSON body: the page's path and the referring host (if another site)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    path: str = Field(min_length=1, max_length=2048)
    referrer: str = Field(default="", max_length=255)


def parse_pageview(
    body: bytes, *, ip_prefix: str | None, user_agent: str | None, site: str | None
) -> PageView:
    """Validate a beacon body; the error names the rule, never the values."""
    if len(body) > MAX_BODY:
        raise InvalidEvent(
            f"the body is larger than {MAX_BODY} bytes",
            message_ru=f"тело запроса больше {MAX_BODY} байт",
        )
    try:
        data = PageViewIn.model_validate_json(body)
    except ValidationError as exc:
        en, ru = validation_reason(exc)
        raise InvalidEvent(en, message_ru=ru) from None
    path = clean_path(data.path)
    if path is None:
        raise InvalidEvent(
            "path must be an absolute URL path",
            message_ru="path должен быть абсолютным путём URL",
        )
    return PageView(
        path=path,
        referrer_host=clean_host(data.referrer),
        ip_prefix=ip_prefix,
        user_agent=(user_agent or "")[:512],
        site=clean_host(site) or "",
    )
