"""Bulk inserts for the hot paths (imports): thousands of rows without per-row ORM overhead.

SQLAlchemy's ``executemany`` processes every parameter of every row in Python; at 10⁶ subjects
that alone costs more than the encryption. Here each column's bind processor is applied column
by column (once per distinct object: timestamps repeat), rows stay tuples, and the driver gets
them directly: ``executemany`` on SQLite, ``COPY … FROM STDIN`` on PostgreSQL (psycopg adapts
UUIDs, timestamps and bytes itself). Both run on the caller's connection, inside its
transaction. Small batches use the ordinary path.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Insert, Table, insert

SMALL = 64


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table``."""
    if rows:
        columns = list(rows[0])
        insert_tuples(conn, table, columns, [tuple(row[c] for c in columns) for row in rows])


def insert_tuples(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table``."""
    if not rows:
        return
    if len(rows) < SMALL:
        conn.execute(_insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    if conn.dialect.name == "postgresql":
        _copy(conn, table, columns, rows)
        return
    values = [
        _processed(table, name, column, conn.dialect)
        for name, column in zip(columns, zip(*rows, strict=True), strict=True)
    ]
    # Identifiers come from the table metadata, never from input; values are bound.
    sql = (
        f'INSERT INTO "{table.name}" ({", ".join(columns)}) '  # noqa: S608
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    conn.exec_driver_sql(sql, list(zip(*values, strict=True)))


@functools.cache
def _insert(table: Table) -> Insert:
    return insert(table)


def _processed(table: Table, name: str, column: Sequence[Any], dialect: Any) -> Sequence[Any]:
    """Apply the column's bind processor once per distinct object (timestamps repeat)."""
    proc = table.c[name].type._cached_bind_processor(dialect)
    if proc is None:
        return column
    out: list[Any] = []
    last_in: Any = object()
    last_out: Any = None
    for value in column:
        if value is not last_in:
            last_in, last_out = value, proc(value)
        out.append(last_out)
    return out


def qualified_name(conn: Connection, table: Table) -> str:
    """The table's quoted name, in the schema the connection maps it to (PostgreSQL)."""
    translate = conn.get_execution_options().get("schema_translate_map") or {}
    schema = translate.get(table.schema, table.schema)
    return f'"{schema}"."{table.name}"' if schema else f'"{table.name}"'


def _copy(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    sql = f"COPY {qualified_name(conn, table)} ({', '.join(columns)}) FROM STDIN"
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
