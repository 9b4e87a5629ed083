"""Streaming a whole table in key order straight from the driver (journal verification).

SQLAlchemy's result processing costs about a microsecond a row; verifying a journal of 10⁶
entries reads every row, so this reads raw driver tuples in batches — on PostgreSQL through a
server-side cursor so that memory stays flat.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Table

from opeka.db.bulk import qualified_name


def stream_rows(
    conn: Connection, table: Table, columns: Sequence[str], *, order_by: str, batch: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Yield lists of up to ``batch`` rows of ``columns``, ordered by ``order_by``."""
    if order_by not in table.c or any(c not in table.c for c in columns):
        raise ValueError("unknown column")
    # Names come from the table's metadata (checked above), never from input.
    sql = f"SELECT {', '.join(columns)} FROM {qualified_name(conn, table)} ORDER BY {order_by}"  # noqa: S608
    raw = conn.connection.driver_connection
    assert raw is not None
    if conn.dialect.name == "postgresql":
        cursor = raw.cursor(name=f"opeka_stream_{uuid.uuid4().hex[:12]}")
        cursor.itersize = batch
    else:
        cursor = raw.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(batch):
            yield rows
    finally:
        cursor.close()
