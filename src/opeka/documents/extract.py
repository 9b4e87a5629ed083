"""The extract from the event log that goes with an act (RKN Order 179 p. 5).

For each subject of the act, the journal's уничтожение entries of that subject (selected by
the entries' own hashed bytes, :func:`opeka.journal.export.select_entries`), with the fields
p. 5 asks for: the subject's name or other identifier (from the act: the journal holds only the
pseudonymous id), the categories of data, the information system, the reason and the date. The
entry's sequence number lets an inspector check it against the signed checkpoints.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from opeka.db.base import utcnow
from opeka.db.engine import read_only
from opeka.documents.act_model import Act, ActSubject, categories_ru
from opeka.journal.entry import Action, Entry, Result
from opeka.journal.export import select_entries
from opeka.policy.schema import Policy

__all__ = ["Extract", "ExtractRow", "build_extract"]


@dataclass(frozen=True, slots=True, repr=False)
class ExtractRow:
    """One destruction as the journal recorded it (``identifier`` is personal data)."""

    seq: int | None  # None: the journal holds no entry (never expected; shown as such)
    time: dt.datetime
    subject_id: uuid.UUID
    identifier: str
    categories_ru: tuple[str, ...]
    information_system: str
    reason: str
    actor: str


@dataclass(frozen=True, slots=True, repr=False)
class Extract:
    """The extract for one act."""

    act_number: str
    information_system: str
    generated_at: dt.datetime
    rows: tuple[ExtractRow, ...]


def _destructions(conn: Connection, subject_id: uuid.UUID) -> list[Entry]:
    entries = select_entries(conn, subject_id=subject_id)
    try:
        return [
            e for e in entries if e.action == Action.DESTROY.value and e.result == Result.DONE.value
        ]
    finally:
        entries.close()


def _rows(conn: Connection, policy: Policy, act: Act, subject: ActSubject) -> list[ExtractRow]:
    system = act.header.information_system
    found = _destructions(conn, subject.subject_id)
    if not found:
        return [
            ExtractRow(
                None,
                subject.destroyed_at,
                subject.subject_id,
                subject.identifier,
                subject.categories_ru,
                system,
                subject.reason,
                act.header.responsible,
            )
        ]
    return [
        ExtractRow(
            seq=e.seq,
            time=e.time,
            subject_id=subject.subject_id,
            identifier=subject.identifier,
            categories_ru=categories_ru(policy, e.fields) or subject.categories_ru,
            information_system=system,
            reason=e.reason,
            actor=e.actor,
        )
        for e in found
    ]


def build_extract(
    engine: Engine, act: Act, *, policy: Policy, now: dt.datetime | None = None
) -> Extract:
    """The journal extract for ``act`` (read the journal after ``opeka journal verify``).

    It reads on a read-only connection of its own: :func:`select_entries` sets ``yield_per``
    on the connection it is given, which on PostgreSQL would turn every later statement of a
    unit of work into a server-side cursor.
    """
    with read_only(engine) as conn:
        rows = [row for subject in act.subjects for row in _rows(conn, policy, act, subject)]
    return Extract(
        act_number=act.number,
        information_system=act.header.information_system,
        generated_at=now or utcnow(),
        rows=tuple(rows),
    )
