"""Scheduled actions: what the sweep must do to whom and by when (rows only, no execution).

Why a table of its own rather than columns of ``subject_request``: one request may lead to
several actions (destruction now; notices to recipients and other systems later), actions exist
without a request (retention expiry, purpose achieved), and the sweep claims small rows one by
one with ``SELECT … FOR UPDATE SKIP LOCKED`` so that concurrent sweepers never take the same
one. A claimed action is marked done in the same transaction that performs it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, func, insert, select, update

from opeka.db.base import utcnow
from opeka.db.requests import scheduled_action

__all__ = [
    "ActionKind",
    "ActionRow",
    "ActionStatus",
    "cancel_for_request",
    "claim",
    "due_ids",
    "for_request",
    "insert_action",
    "mark_done",
    "pending_for_request",
    "record_failure",
]

ERROR_LENGTH = 80


class ActionKind(StrEnum):
    """What a scheduled action does."""

    DESTROY = "destroy"


class ActionStatus(StrEnum):
    """Where a scheduled action stands."""

    PENDING = "pending"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class ActionRow:
    """A scheduled action as stored."""

    id: uuid.UUID
    action: ActionKind
    subject_id: uuid.UUID
    request_id: uuid.UUID | None
    reason_code: str
    due_date: dt.date
    status: ActionStatus
    attempts: int
    last_error: str | None


def insert_action(
    conn: Connection,
    *,
    action: ActionKind,
    subject_id: uuid.UUID,
    request_id: uuid.UUID | None,
    reason_code: str,
    due: dt.date,
) -> uuid.UUID:
    """Schedule ``action`` on ``subject_id`` for ``due``; returns the action's id."""
    action_id = uuid.uuid4()
    conn.execute(
        insert(scheduled_action).values(
            id=action_id,
            action=action.value,
            subject_id=subject_id,
            request_id=request_id,
            reason_code=reason_code,
            due_date=due,
            status=ActionStatus.PENDING.value,
            attempts=0,
            created_at=utcnow(),
        )
    )
    return action_id


def due_ids(conn: Connection, today: dt.date) -> list[uuid.UUID]:
    """Pending actions due on or before ``today``, earliest first (no lock taken)."""
    query = (
        select(scheduled_action.c.id)
        .where(
            scheduled_action.c.status == ActionStatus.PENDING.value,
            scheduled_action.c.due_date <= today,
        )
        .order_by(scheduled_action.c.due_date, scheduled_action.c.created_at)
    )
    return list(conn.execute(query).scalars())


def claim(conn: Connection, action_id: uuid.UUID, today: dt.date) -> ActionRow | None:
    """Lock a pending, due action for this transaction, or None if it is taken or finished.

    On PostgreSQL ``FOR UPDATE SKIP LOCKED`` skips a row another sweeper holds, and the status
    is re-checked after the lock, so an action committed as done meanwhile is not returned.
    """
    query = (
        select(scheduled_action)
        .where(
            scheduled_action.c.id == action_id,
            scheduled_action.c.status == ActionStatus.PENDING.value,
            scheduled_action.c.due_date <= today,
        )
        .with_for_update(skip_locked=True)
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    return ActionRow(
        id=row.id,
        action=ActionKind(row.action),
        subject_id=row.subject_id,
        request_id=row.request_id,
        reason_code=row.reason_code,
        due_date=row.due_date,
        status=ActionStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
    )


def mark_done(conn: Connection, action_id: uuid.UUID) -> None:
    """Mark a claimed action done (in the transaction that performed it)."""
    conn.execute(
        update(scheduled_action)
        .where(scheduled_action.c.id == action_id)
        .values(status=ActionStatus.DONE.value, done_at=utcnow(), last_error=None)
    )


def record_failure(conn: Connection, action_id: uuid.UUID, error: str) -> None:
    """Count a failed attempt; ``error`` is an exception type name, never a message."""
    conn.execute(
        update(scheduled_action)
        .where(
            scheduled_action.c.id == action_id,
            scheduled_action.c.status == ActionStatus.PENDING.value,
        )
        .values(attempts=scheduled_action.c.attempts + 1, last_error=error[:ERROR_LENGTH])
    )


def cancel_for_request(conn: Connection, request_id: uuid.UUID) -> int:
    """Cancel a request's pending actions (the request was refused); returns how many."""
    result = conn.execute(
        update(scheduled_action)
        .where(
            scheduled_action.c.request_id == request_id,
            scheduled_action.c.status == ActionStatus.PENDING.value,
        )
        .values(status=ActionStatus.CANCELLED.value, done_at=utcnow())
    )
    return result.rowcount


def pending_for_request(conn: Connection, request_id: uuid.UUID) -> int:
    """How many actions of a request are still pending."""
    query = select(func.count()).where(
        scheduled_action.c.request_id == request_id,
        scheduled_action.c.status == ActionStatus.PENDING.value,
    )
    return int(conn.execute(query).scalar_one())


def for_request(conn: Connection, request_id: uuid.UUID) -> list[tuple[str, dt.date, str]]:
    """(action, due date, status) of a request's actions, by due date."""
    query = (
        select(scheduled_action.c.action, scheduled_action.c.due_date, scheduled_action.c.status)
        .where(scheduled_action.c.request_id == request_id)
        .order_by(scheduled_action.c.due_date)
    )
    return [(r.action, r.due_date, r.status) for r in conn.execute(query)]
