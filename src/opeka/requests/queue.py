"""The console's queue: open requests by deadline, each marked overdue, due soon or on time.

An unverified request is in the queue like any other: its term runs from receipt whether or
not the requester has been verified yet, and ``verified`` says which ones wait for that.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection

from opeka.requests import store
from opeka.requests.calendar import ProductionCalendar
from opeka.requests.clock import day_of_receipt
from opeka.requests.deadlines import DEFAULT_DUE_SOON_WORKING_DAYS, Status, status
from opeka.requests.kinds import DEFAULT_CALENDAR, Channel, RequestKind
from opeka.requests.states import RequestStatus

__all__ = ["DEADLINE_TITLES_RU", "QueueRow", "queue"]

DEADLINE_TITLES_RU: dict[Status, str] = {
    "overdue": "просрочен",
    "due_soon": "срок скоро",
    "on_time": "в срок",
}


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One open request as the queue shows it."""

    id: uuid.UUID
    number: str
    kind: RequestKind
    channel: Channel
    status: RequestStatus
    subject_id: uuid.UUID | None
    received_on: dt.date
    due: dt.date
    extended: bool
    verified: bool
    deadline: Status


def queue(
    conn: Connection,
    *,
    today: dt.date,
    calendar: ProductionCalendar = DEFAULT_CALENDAR,
    due_soon_within: int = DEFAULT_DUE_SOON_WORKING_DAYS,
    overdue_only: bool = False,
) -> list[QueueRow]:
    """Open requests sorted by the deadline in force (then number), with their standing."""
    found = []
    for row in store.rows(conn, open_only=True):
        deadline = status(
            row.effective_due, today, calendar=calendar, due_soon_within=due_soon_within
        )
        if overdue_only and deadline != "overdue":
            continue
        found.append(
            QueueRow(
                id=row.id,
                number=row.number,
                kind=row.kind,
                channel=row.channel,
                status=row.status,
                subject_id=row.subject_id,
                received_on=day_of_receipt(row.received_at),
                due=row.effective_due,
                extended=row.extended_due_date is not None,
                verified=row.verified_at is not None,
                deadline=deadline,
            )
        )
    return found
