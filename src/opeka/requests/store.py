"""Rows of requests and their events: load (optionally locked), insert, update, number.

Plain functions on a connection; they flush nothing and commit nothing (the caller's unit of
work does). Numbers are sequential per year (``2026-000123``): a counter row per year is
created if missing (``INSERT … ON CONFLICT DO NOTHING``) and incremented with
``UPDATE … RETURNING``, which locks the row until the caller commits, so two transactions never
get the same number; the unique constraint on ``number`` is the last line of defence.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Insert, Row, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from opeka.db.base import utcnow
from opeka.db.requests import request_counter, request_event, subject_request
from opeka.requests.errors import RequestNotFound
from opeka.requests.kinds import Channel, RequestKind
from opeka.requests.states import OPEN, RequestStatus

__all__ = [
    "ALL_PURPOSES",
    "EventRow",
    "RequestRow",
    "add_event",
    "events",
    "get",
    "insert_request",
    "next_number",
    "require",
    "rows",
    "update_request",
]

ALL_PURPOSES = "*"
"""The purposes value of a withdrawal of every consent."""


@dataclass(frozen=True, slots=True)
class RequestRow:
    """A request as stored (structured fields only)."""

    id: uuid.UUID
    number: str
    kind: RequestKind
    channel: Channel
    subject_id: uuid.UUID | None
    purposes: tuple[str, ...]
    received_at: dt.datetime
    due_date: dt.date
    extended_due_date: dt.date | None
    extension_reason: str | None
    status: RequestStatus
    verified_at: dt.datetime | None
    verification_method: str | None
    verification_evidence: str | None
    registered_by: str
    assigned_to: str | None
    result: str | None
    refusal_reason: str | None
    closed_at: dt.datetime | None

    @property
    def effective_due(self) -> dt.date:
        """The deadline in force: the extended one if the term was extended."""
        return self.extended_due_date or self.due_date

    @property
    def all_purposes(self) -> bool:
        """Whether a withdrawal covers every consent."""
        return self.purposes == (ALL_PURPOSES,)


@dataclass(frozen=True, slots=True)
class EventRow:
    """One entry of a request's history."""

    at: dt.datetime
    actor: str
    event: str
    from_status: str | None
    to_status: str | None
    note: str | None


def encode_purposes(purposes: Sequence[str]) -> str | None:
    """The column value of a purposes list (None when empty)."""
    return " ".join(purposes) if purposes else None


def _row(row: Row[Any]) -> RequestRow:
    return RequestRow(
        id=row.id,
        number=row.number,
        kind=RequestKind(row.kind),
        channel=Channel(row.channel),
        subject_id=row.subject_id,
        purposes=tuple(row.purposes.split()) if row.purposes else (),
        received_at=row.received_at,
        due_date=row.due_date,
        extended_due_date=row.extended_due_date,
        extension_reason=row.extension_reason,
        status=RequestStatus(row.status),
        verified_at=row.verified_at,
        verification_method=row.verification_method,
        verification_evidence=row.verification_evidence,
        registered_by=row.registered_by,
        assigned_to=row.assigned_to,
        result=row.result,
        refusal_reason=row.refusal_reason,
        closed_at=row.closed_at,
    )


def get(
    conn: Connection,
    request_id: uuid.UUID | str,
    *,
    lock: bool = False,
    skip_locked: bool = False,
) -> RequestRow | None:
    """The request with this id or number, or None (``lock``: ``FOR UPDATE`` on PostgreSQL).

    ``skip_locked`` returns None for a request another transaction holds (PostgreSQL); SQLite
    serialises writers, so there the lock clauses are not emitted.
    """
    query = select(subject_request)
    if isinstance(request_id, uuid.UUID):
        query = query.where(subject_request.c.id == request_id)
    else:
        query = query.where(subject_request.c.number == request_id)
    if lock or skip_locked:
        query = query.with_for_update(skip_locked=skip_locked)
    found = conn.execute(query).first()
    return None if found is None else _row(found)


def require(conn: Connection, request_id: uuid.UUID | str, *, lock: bool = False) -> RequestRow:
    """The request, or :class:`RequestNotFound`."""
    found = get(conn, request_id, lock=lock)
    if found is None:
        raise RequestNotFound(
            f"no request {request_id}", message_ru=f"запрос {request_id} не найден"
        )
    return found


def rows(conn: Connection, *, open_only: bool) -> list[RequestRow]:
    """Every request (or only the open ones), by deadline in force, then number."""
    due = func.coalesce(subject_request.c.extended_due_date, subject_request.c.due_date)
    query = select(subject_request).order_by(due, subject_request.c.number)
    if open_only:
        query = query.where(subject_request.c.status.in_(sorted(s.value for s in OPEN)))
    return [_row(r) for r in conn.execute(query)]


def next_number(conn: Connection, year: int) -> str:
    """The next request number of ``year`` (locks the year's counter until commit)."""
    ensure: Insert
    if conn.dialect.name == "postgresql":
        ensure = postgresql.insert(request_counter).on_conflict_do_nothing(index_elements=["year"])
    else:
        ensure = sqlite.insert(request_counter).on_conflict_do_nothing(index_elements=["year"])
    conn.execute(ensure.values(year=year, last=0))
    last = conn.execute(
        update(request_counter)
        .where(request_counter.c.year == year)
        .values(last=request_counter.c.last + 1)
        .returning(request_counter.c.last)
    ).scalar_one()
    return f"{year}-{last:06d}"


def insert_request(conn: Connection, values: dict[str, object]) -> None:
    """Insert a request row (``values`` names every non-null column)."""
    now = utcnow()
    conn.execute(insert(subject_request).values(created_at=now, updated_at=now, **values))


def update_request(conn: Connection, request_id: uuid.UUID, **values: object) -> None:
    """Change columns of a request (stamps ``updated_at``)."""
    conn.execute(
        update(subject_request)
        .where(subject_request.c.id == request_id)
        .values(updated_at=utcnow(), **values)
    )


def add_event(
    conn: Connection,
    request_id: uuid.UUID,
    *,
    actor: str,
    event: str,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
) -> None:
    """Append an event to a request's history (never updated or deleted)."""
    conn.execute(
        insert(request_event).values(
            request_id=request_id,
            at=utcnow(),
            actor=actor,
            event=event,
            from_status=from_status,
            to_status=to_status,
            note=note,
        )
    )


def events(conn: Connection, request_id: uuid.UUID) -> list[EventRow]:
    """A request's history, oldest first."""
    query = (
        select(request_event)
        .where(request_event.c.request_id == request_id)
        .order_by(request_event.c.id)
    )
    return [
        EventRow(r.at, r.actor, r.event, r.from_status, r.to_status, r.note)
        for r in conn.execute(query)
    ]
