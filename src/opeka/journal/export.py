"""Extracts of the journal (Order 179 p. 5; for inspectors and for access requests).

Entries are selected through expression indexes over their own hashed bytes (subject, time), so
there is no separate column an attacker could edit to hide an entry from an extract.
Run ``opeka journal verify`` first to know the journal is intact.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Generator, Iterable
from typing import TextIO

from sqlalchemy import Connection, LargeBinary, literal, select

from opeka.db.journal import entry_subject, entry_time, journal_entry
from opeka.journal.entry import Entry, decode

COLUMNS = (
    "seq",
    "time",
    "actor",
    "action",
    "subject_id",
    "fields",
    "purpose",
    "basis",
    "reason",
    "result",
)


def select_entries(
    conn: Connection,
    *,
    subject_id: uuid.UUID | None = None,
    start_us: int | None = None,
    end_us: int | None = None,
) -> Generator[Entry, None, None]:
    """Entries of one subject and/or within ``[start_us, end_us)``, oldest first."""
    stmt = select(journal_entry.c.entry).order_by(journal_entry.c.seq)
    if subject_id is not None:
        stmt = stmt.where(entry_subject == literal(subject_id.bytes, LargeBinary()))
    if start_us is not None:
        stmt = stmt.where(entry_time >= literal(max(start_us, 0).to_bytes(8, "big"), LargeBinary()))
    if end_us is not None:
        stmt = stmt.where(entry_time < literal(max(end_us, 0).to_bytes(8, "big"), LargeBinary()))
    # yield_per on the statement, not the connection: it would stick to the caller's connection
    with conn.execute(stmt.execution_options(yield_per=5000)) as result:
        for (blob,) in result:
            entry = decode(blob)
            if subject_id is not None and entry.subject_id != subject_id:
                continue
            if start_us is not None and entry.time_us < start_us:
                continue
            if end_us is not None and entry.time_us >= end_us:
                continue
            yield entry


def as_row(entry: Entry) -> dict[str, str]:
    """An entry as flat strings (CSV cells, JSON values)."""
    return {
        "seq": str(entry.seq),
        "time": entry.time.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "subject_id": str(entry.subject_id) if entry.subject_id else "",
        "fields": " ".join(entry.fields),
        "purpose": entry.purpose,
        "basis": entry.basis,
        "reason": entry.reason,
        "result": entry.result,
    }


def write_csv(entries: Iterable[Entry], out: TextIO) -> int:
    """Write entries as CSV with a header; return how many."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for entry in entries:
        writer.writerow(as_row(entry))
        count += 1
    return count


def write_json(entries: Iterable[Entry], out: TextIO) -> int:
    """Write entries as a JSON array; return how many."""
    count = 0
    out.write("[")
    for entry in entries:
        out.write(("," if count else "") + "\n  " + json.dumps(as_row(entry), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def to_csv_text(entries: Iterable[Entry]) -> str:
    """Entries as CSV text."""
    buffer = io.StringIO()
    write_csv(entries, buffer)
    return buffer.getvalue()
