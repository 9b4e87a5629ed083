"""The subject rows the spine reads and changes (status, category; never values)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, bindparam, select, update

from opeka.db.base import utcnow
from opeka.db.subjects import subject
from opeka.processing.errors import SubjectNotFound


class Status(StrEnum):
    """Where a subject is in its life."""

    ACTIVE = "active"
    BLOCKED = "blocked"
    DESTRUCTION_SCHEDULED = "destruction_scheduled"
    DESTROYED = "destroyed"


@dataclass(frozen=True, slots=True)
class SubjectRow:
    """A subject as the spine sees it."""

    id: uuid.UUID
    category: str
    status: Status
    created_at: dt.datetime


_LOAD = select(subject.c.category, subject.c.status, subject.c.created_at).where(
    subject.c.id == bindparam("sid")
)


def load(conn: Connection, subject_id: uuid.UUID) -> SubjectRow:
    """The subject, or :class:`SubjectNotFound`."""
    row = conn.execute(_LOAD, {"sid": subject_id}).first()
    if row is None:
        raise SubjectNotFound(f"no subject {subject_id}")
    return SubjectRow(subject_id, row.category, Status(row.status), row.created_at)


NEW_COLUMNS = ("id", "category", "status", "source", "created_at", "updated_at")
"""Columns set when a subject is collected, in the order the spine inserts them."""


def set_status(conn: Connection, subject_id: uuid.UUID, status: Status) -> None:
    """Move a subject to ``status`` (stamping blocked/destroyed times)."""
    now = utcnow()
    values: dict[str, object] = {"status": status.value, "updated_at": now}
    if status is Status.BLOCKED:
        values["blocked_at"] = now
    elif status is Status.ACTIVE:
        values["blocked_at"] = None
    elif status is Status.DESTROYED:
        values["destroyed_at"] = now
    conn.execute(update(subject).where(subject.c.id == subject_id).values(**values))


def touch(conn: Connection, subject_id: uuid.UUID) -> None:
    """Stamp the subject as updated now."""
    conn.execute(update(subject).where(subject.c.id == subject_id).values(updated_at=utcnow()))
