"""The journal as the console pages through it: newest entries first, and its size and checkpoint.

Pages are keyed by sequence number (``before``), not by offset, so a page stays the same while
new entries arrive. Entries of one subject are found through the expression index over the
subject bytes inside the hashed entry (as :mod:`opeka.journal.export` does).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, LargeBinary, literal, select

from opeka.db.journal import entry_subject, journal_checkpoint, journal_entry, journal_head
from opeka.journal.entry import Entry, decode

__all__ = ["JournalPage", "JournalStatus", "journal_status", "recent_entries"]

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class JournalStatus:
    """How many entries the journal holds and what its newest signed checkpoint covers."""

    entries: int
    checkpoint_size: int | None
    checkpoint_time: dt.datetime | None


@dataclass(frozen=True, slots=True)
class JournalPage:
    """Entries newest first; ``next_before`` continues with older ones (None at the start)."""

    entries: list[Entry]
    next_before: int | None


def journal_status(conn: Connection) -> JournalStatus:
    """The journal's size and its newest checkpoint."""
    size = conn.execute(select(journal_head.c.size)).scalar() or 0
    newest = conn.execute(
        select(journal_checkpoint.c.size, journal_checkpoint.c.time_us)
        .order_by(journal_checkpoint.c.size.desc())
        .limit(1)
    ).first()
    if newest is None:
        return JournalStatus(int(size), None, None)
    moment = dt.datetime.fromtimestamp(newest.time_us / 1_000_000, dt.UTC)
    return JournalStatus(int(size), int(newest.size), moment)


def recent_entries(
    conn: Connection,
    *,
    limit: int = 50,
    before: int | None = None,
    subject_id: uuid.UUID | None = None,
) -> JournalPage:
    """Up to ``limit`` entries with ``seq < before`` (all when None), newest first."""
    limit = max(1, min(limit, MAX_PAGE))
    stmt = select(journal_entry.c.entry).order_by(journal_entry.c.seq.desc()).limit(limit + 1)
    if before is not None:
        stmt = stmt.where(journal_entry.c.seq < before)
    if subject_id is not None:
        stmt = stmt.where(entry_subject == literal(subject_id.bytes, LargeBinary()))
    entries = [decode(blob) for (blob,) in conn.execute(stmt)]
    if subject_id is not None:
        entries = [e for e in entries if e.subject_id == subject_id]
    more = len(entries) > limit
    entries = entries[:limit]
    return JournalPage(entries, entries[-1].seq if more and entries else None)
