"""The notices' outbox: e-mail every request event the requester must hear about, once.

Request events are written in the same transaction as the change they record; this job, run by
the scheduler of ``opeka serve`` (and by ``opeka requests notify``), finds the events that call
for a notice — received, extended, done, refused — and have none yet, composes each (the e-mail
is read through the spine and journaled), sends it, and marks it. A failed send is retried at
the next run, up to :data:`MAX_ATTEMPTS`; an event whose requester has no address left (no
subject, or data destroyed) is marked ``skipped``. Events older than :data:`HORIZON` are not
notified: the outbox does not replay history after an upgrade.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, insert, or_, select, update

from opeka.app import Opeka
from opeka.db.base import utcnow
from opeka.db.engine import read_only
from opeka.db.requests import request_event, request_notice
from opeka.mail.mailers import Mailer
from opeka.requests.notify import NotifyEvent, compose, deliver

MAX_ATTEMPTS = 5
HORIZON = dt.timedelta(days=7)
BATCH = 200


@dataclass(frozen=True, slots=True)
class NoticeRun:
    """What one run of the outbox did."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0


def _due(opeka: Opeka, now: dt.datetime) -> list[tuple[int, object, NotifyEvent, int]]:
    wanted = or_(
        request_event.c.event.in_(["received", "extended"]),
        and_(
            request_event.c.event == "transition",
            request_event.c.to_status.in_(["done", "refused"]),
        ),
    )
    stmt = (
        select(
            request_event.c.id,
            request_event.c.request_id,
            request_event.c.event,
            request_event.c.to_status,
            request_notice.c.attempts,
        )
        .outerjoin(request_notice, request_notice.c.event_id == request_event.c.id)
        .where(
            wanted,
            request_event.c.at >= now - HORIZON,
            or_(
                request_notice.c.event_id.is_(None),
                and_(
                    request_notice.c.outcome == "failed",
                    request_notice.c.attempts < MAX_ATTEMPTS,
                ),
            ),
        )
        .order_by(request_event.c.id)
        .limit(BATCH)
    )
    with read_only(opeka.data_engine) as conn:
        rows = conn.execute(stmt).all()
    due = []
    for row in rows:
        event = NotifyEvent(row.to_status if row.event == "transition" else row.event)
        due.append((int(row.id), row.request_id, event, int(row.attempts or 0)))
    return due


def _mark(opeka: Opeka, event_id: int, outcome: str, attempts: int, now: dt.datetime) -> None:
    with opeka.data_engine.begin() as conn:
        values = {"outcome": outcome, "attempts": attempts, "at": now}
        if attempts == 1:
            conn.execute(insert(request_notice).values(event_id=event_id, **values))
        else:
            conn.execute(
                update(request_notice).where(request_notice.c.event_id == event_id).values(**values)
            )


def send_due(opeka: Opeka, mailer: Mailer, *, now: dt.datetime | None = None) -> NoticeRun:
    """Send the notices that are due; see the module docstring."""
    now = now or utcnow()
    sent = skipped = failed = 0
    for event_id, request_id, event, attempts in _due(opeka, now):
        with opeka.unit_of_work() as uow:
            notice = compose(uow, request_id=request_id, event=event)  # type: ignore[arg-type]
        if notice is None:
            _mark(opeka, event_id, "skipped", attempts + 1, now)
            skipped += 1
        elif deliver(notice, mailer):
            _mark(opeka, event_id, "sent", attempts + 1, now)
            sent += 1
        else:
            _mark(opeka, event_id, "failed", attempts + 1, now)
            failed += 1
    return NoticeRun(sent, skipped, failed)
