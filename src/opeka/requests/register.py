"""The register of requests (журнал учёта обращений) and its export to CSV and XLSX.

One row per request: number, receipt, kind, channel, the subject's pseudonymous id, deadline
and extension, verification, status, result or refusal, closing date, and whether the deadline
was kept. Headers are Russian first, English second. CSV is UTF-8 with a BOM and ``;`` between
fields, which Excel in a Russian locale opens as it is. A text cell that starts like a formula
(``=``, ``+``, ``-``, ``@``) is prefixed with ``'`` in both formats, so a staff note can never
run as a formula in a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from sqlalchemy import Connection

from opeka.requests import store
from opeka.requests.calendar import ProductionCalendar
from opeka.requests.clock import MOSCOW, moscow_date
from opeka.requests.deadlines import status
from opeka.requests.kinds import (
    CHANNEL_TITLES_RU,
    DEFAULT_CALENDAR,
    KINDS,
    METHOD_TITLES_RU,
    VerificationMethod,
)
from opeka.requests.queue import DEADLINE_TITLES_RU
from opeka.requests.states import OPEN, STATUS_TITLES_RU
from opeka.requests.store import RequestRow

__all__ = ["HEADERS", "RegisterRow", "register_rows", "write_csv", "write_xlsx"]

Cell = str | dt.date | dt.datetime | None


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    value: Callable[[RequestRow, dt.date, ProductionCalendar], Cell]
    width: int


def _moscow(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(MOSCOW).replace(tzinfo=None)


def _method(row: RequestRow) -> str | None:
    if row.verification_method is None:
        return None
    return METHOD_TITLES_RU[VerificationMethod(row.verification_method)]


def _deadline_kept(row: RequestRow, today: dt.date, calendar: ProductionCalendar) -> str:
    if row.status in OPEN:
        return DEADLINE_TITLES_RU[status(row.effective_due, today, calendar=calendar)]
    closed = moscow_date(row.closed_at) if row.closed_at else today
    return "в срок" if closed <= row.effective_due else "с нарушением срока"


COLUMNS: tuple[_Column, ...] = (
    _Column("Номер / Number", lambda r, _t, _c: r.number, 14),
    _Column("Получен (МСК) / Received", lambda r, _t, _c: _moscow(r.received_at), 18),
    _Column("Вид / Kind", lambda r, _t, _c: KINDS[r.kind].title_ru, 28),
    _Column("Канал / Channel", lambda r, _t, _c: CHANNEL_TITLES_RU[r.channel], 22),
    _Column("Субъект (псевдоним) / Subject", lambda r, _t, _c: _text(r.subject_id), 38),
    _Column("Цели / Purposes", lambda r, _t, _c: ", ".join(r.purposes) or None, 16),
    _Column("Срок / Due", lambda r, _t, _c: r.due_date, 12),
    _Column("Продлён до / Extended to", lambda r, _t, _c: r.extended_due_date, 12),
    _Column("Причина продления / Extension reason", lambda r, _t, _c: r.extension_reason, 30),
    _Column("Личность подтверждена / Verified", lambda r, _t, _c: _moscow(r.verified_at), 18),
    _Column("Способ подтверждения / Method", lambda r, _t, _c: _method(r), 26),
    _Column("Статус / Status", lambda r, _t, _c: STATUS_TITLES_RU[r.status], 20),
    _Column("Результат / Result", lambda r, _t, _c: r.result, 36),
    _Column("Причина отказа / Refusal reason", lambda r, _t, _c: r.refusal_reason, 36),
    _Column("Закрыт (МСК) / Closed", lambda r, _t, _c: _moscow(r.closed_at), 18),
    _Column("Соблюдение срока / Deadline", _deadline_kept, 18),
    _Column("Зарегистрировал / Registered by", lambda r, _t, _c: r.registered_by, 20),
)
HEADERS = tuple(column.header for column in COLUMNS)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One request as the register shows it, in the order of :data:`HEADERS`."""

    cells: tuple[Cell, ...]


def register_rows(
    conn: Connection,
    *,
    today: dt.date,
    open_only: bool = False,
    overdue_only: bool = False,
    calendar: ProductionCalendar = DEFAULT_CALENDAR,
) -> list[RegisterRow]:
    """The register's rows, by deadline in force then number."""
    found = []
    for row in store.rows(conn, open_only=open_only or overdue_only):
        if overdue_only and status(row.effective_due, today, calendar=calendar) != "overdue":
            continue
        found.append(RegisterRow(tuple(c.value(row, today, calendar) for c in COLUMNS)))
    return found


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.strftime("%d.%m.%Y %H:%M")
    if isinstance(cell, dt.date):
        return cell.strftime("%d.%m.%Y")
    return _safe(cell)


def write_csv(rows: Sequence[RegisterRow], path: Path) -> None:
    """Write the register as CSV (UTF-8 with BOM, ``;``-separated)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows([_csv_cell(c) for c in row.cells] for row in rows)


def write_xlsx(rows: Sequence[RegisterRow], path: Path) -> None:
    """Write the register as an XLSX workbook (dates as dates, header frozen)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Журнал обращений"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(c) if isinstance(c, str) else c for c in row.cells])
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A2"
    book.save(path)
