"""Rows of acts of destruction: numbering, insert, append, list, load, delete.

Plain functions on a connection; they commit nothing (the caller's unit of work does). Numbers
are sequential per year (``2026-А-000123``): a counter row per year is created if missing
(``INSERT … ON CONFLICT DO NOTHING``) and incremented with ``UPDATE … RETURNING``, which locks the
row until the caller commits, so two transactions never get the same number; the primary key
on ``number`` is the last line of defence. Bodies and entries arrive sealed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Insert, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from opeka.db.documents import act_counter, destruction_act, destruction_act_subject
from opeka.documents.act_model import NUMBER_LETTER

A = destruction_act
S = destruction_act_subject
CHUNK = 500


@dataclass(frozen=True, slots=True)
class ActRow:
    """What the console lists of an act: no personal data."""

    number: str
    act_date: dt.date
    subjects: int
    reason_codes: tuple[str, ...]
    created_at: dt.datetime
    retain_until: dt.date


def next_number(conn: Connection, year: int) -> str:
    """The next act number of ``year`` (locks the year's counter until commit)."""
    ensure: Insert
    if conn.dialect.name == "postgresql":
        ensure = postgresql.insert(act_counter).on_conflict_do_nothing(index_elements=["year"])
    else:
        ensure = sqlite.insert(act_counter).on_conflict_do_nothing(index_elements=["year"])
    conn.execute(ensure.values(year=year, last=0))
    last = conn.execute(
        update(act_counter)
        .where(act_counter.c.year == year)
        .values(last=act_counter.c.last + 1)
        .returning(act_counter.c.last)
    ).scalar_one()
    return f"{year}-{NUMBER_LETTER}-{last:06d}"


def encode_codes(codes: Sequence[str]) -> str:
    """The column value of reason codes: sorted, each once, space-separated."""
    return " ".join(sorted(set(codes)))


def insert_act(
    conn: Connection,
    *,
    number: str,
    act_date: dt.date,
    reason_codes: Sequence[str],
    body: bytes,
    created_at: dt.datetime,
    retain_until: dt.date,
    entries: Sequence[bytes],
) -> None:
    """Insert an act and its sealed subject entries (positions 0, 1, …)."""
    conn.execute(
        insert(A).values(
            number=number,
            act_date=act_date,
            subjects=len(entries),
            reason_codes=encode_codes(reason_codes),
            body=body,
            created_at=created_at,
            retain_until=retain_until,
        )
    )
    conn.execute(
        insert(S),
        [{"act_number": number, "position": i, "entry": e} for i, e in enumerate(entries)],
    )


def lock_for_append(conn: Connection, number: str) -> tuple[int, tuple[str, ...]] | None:
    """(subject count, reason codes) of an act, locked until commit; None if it does not exist."""
    row = conn.execute(
        select(A.c.subjects, A.c.reason_codes).where(A.c.number == number).with_for_update()
    ).first()
    return None if row is None else (row.subjects, tuple(row.reason_codes.split()))


def append_entry(
    conn: Connection, number: str, *, position: int, entry: bytes, reason_codes: Sequence[str]
) -> None:
    """Add a sealed subject entry at ``position`` (the count before) and update the counts."""
    conn.execute(insert(S).values(act_number=number, position=position, entry=entry))
    conn.execute(
        update(A)
        .where(A.c.number == number)
        .values(subjects=position + 1, reason_codes=encode_codes(reason_codes))
    )


def _act_row(row: Any) -> ActRow:  # a Row with the listing columns
    return ActRow(
        number=row.number,
        act_date=row.act_date,
        subjects=row.subjects,
        reason_codes=tuple(row.reason_codes.split()),
        created_at=row.created_at,
        retain_until=row.retain_until,
    )


def rows(
    conn: Connection,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    newest: int | None = None,
) -> list[ActRow]:
    """Acts dated within ``[since, until]`` (both inclusive, either open), oldest first.

    With ``newest``, only that many of the latest, newest first.
    """
    columns = (A.c.number, A.c.act_date, A.c.subjects, A.c.reason_codes, A.c.created_at)
    query = select(*columns, A.c.retain_until)
    if newest is None:
        query = query.order_by(A.c.act_date, A.c.number)
    else:
        query = query.order_by(A.c.act_date.desc(), A.c.number.desc()).limit(newest)
    if since is not None:
        query = query.where(A.c.act_date >= since)
    if until is not None:
        query = query.where(A.c.act_date <= until)
    return [_act_row(r) for r in conn.execute(query)]


def load(conn: Connection, number: str) -> tuple[ActRow, bytes, list[tuple[int, bytes]]] | None:
    """An act's row, sealed body and sealed entries by position; None if there is none."""
    row = conn.execute(select(A).where(A.c.number == number)).first()
    if row is None:
        return None
    entries = conn.execute(
        select(S.c.position, S.c.entry).where(S.c.act_number == number).order_by(S.c.position)
    )
    return _act_row(row), bytes(row.body), [(p, bytes(e)) for p, e in entries]


def expired(conn: Connection, today: dt.date) -> list[ActRow]:
    """Acts whose retention ended before ``today``."""
    query = select(
        A.c.number, A.c.act_date, A.c.subjects, A.c.reason_codes, A.c.created_at, A.c.retain_until
    ).where(A.c.retain_until < today)
    return [_act_row(r) for r in conn.execute(query.order_by(A.c.number))]


def delete_acts(conn: Connection, numbers: Sequence[str]) -> int:
    """Delete acts and their entries; returns how many acts."""
    deleted = 0
    for start in range(0, len(numbers), CHUNK):
        chunk = list(numbers[start : start + CHUNK])
        conn.execute(delete(S).where(S.c.act_number.in_(chunk)))
        deleted += int(conn.execute(delete(A).where(A.c.number.in_(chunk))).rowcount or 0)
    return deleted
