"""The register of requests exported to CSV and XLSX, read back."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
from tests.requests.support import STAFF, collect_client, msk, open_request, verify

from opeka.app import Opeka
from opeka.requests import service
from opeka.requests.register import HEADERS, register_rows, write_csv, write_xlsx

TODAY = dt.date(2026, 2, 16)


def fill(opeka: Opeka) -> tuple[str, str, str]:
    """A done request, a refused one and an overdue open one; returns their numbers."""
    sid = collect_client(opeka, 1)
    done = open_request(opeka, "access", msk(2026, 2, 2, 9, 15), subject_id=sid, channel="email")
    verify(opeka, done.id)
    with opeka.unit_of_work() as uow:
        service.start(uow, request_id=done.id, actor=STAFF)
        service.complete(uow, request_id=done.id, result='=HYPERLINK("x")', actor=STAFF)
    refused = open_request(opeka, "question", msk(2026, 2, 3))
    with opeka.unit_of_work() as uow:
        service.refuse(uow, request_id=refused.id, reason="личность не подтверждена", actor=STAFF)
    overdue = open_request(opeka, "rectification", msk(2026, 2, 2), channel="phone")
    return done.number, refused.number, overdue.number


def closed_in_time(opeka: Opeka) -> str:
    """A request received an hour ago and answered at once; returns its number."""
    with opeka.unit_of_work() as uow:
        row = service.open_request(
            uow,
            kind="access",
            channel="portal",
            received_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
            subject_id=None,
            actor=STAFF,
        )
    verify(opeka, row.id)
    with opeka.unit_of_work() as uow:
        service.start(uow, request_id=row.id, actor=STAFF)
        service.complete(uow, request_id=row.id, result="сведения направлены", actor=STAFF)
    return row.number


def read_csv(path: Path) -> list[list[str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def test_csv_holds_every_request_with_russian_values(opeka: Opeka, tmp_path: Path) -> None:
    done, refused, overdue = fill(opeka)
    with opeka.data_engine.connect() as conn:
        write_csv(register_rows(conn, today=TODAY), tmp_path / "register.csv")
    header, *rows = read_csv(tmp_path / "register.csv")
    assert tuple(header) == HEADERS
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_number) == {done, refused, overdue}
    first = by_number[done]
    assert first["Получен (МСК) / Received"] == "02.02.2026 09:15"
    assert first["Вид / Kind"] == "предоставление сведений"
    assert first["Канал / Channel"] == "электронная почта"
    assert first["Срок / Due"] == "16.02.2026"
    assert first["Статус / Status"] == "исполнен"
    assert first["Способ подтверждения / Method"] == "проверка документа сотрудником"
    assert first["Результат / Result"] == '\'=HYPERLINK("x")'  # never a live formula
    assert first["Соблюдение срока / Deadline"] == "с нарушением срока"  # closed after 16.02
    assert first["Субъект (псевдоним) / Subject"]
    assert by_number[refused]["Причина отказа / Refusal reason"] == "личность не подтверждена"
    assert by_number[overdue]["Соблюдение срока / Deadline"] == "просрочен"
    assert by_number[overdue]["Личность подтверждена / Verified"] == ""
    with opeka.data_engine.connect() as conn:
        assert [r.cells[0] for r in register_rows(conn, today=TODAY, open_only=True)] == [overdue]
        assert [r.cells[0] for r in register_rows(conn, today=TODAY, overdue_only=True)] == [
            overdue
        ]


def test_xlsx_has_typed_dates_and_a_bold_frozen_header(opeka: Opeka, tmp_path: Path) -> None:
    done, _refused, overdue = fill(opeka)
    in_time = closed_in_time(opeka)
    with opeka.data_engine.connect() as conn:
        write_xlsx(register_rows(conn, today=TODAY), tmp_path / "register.xlsx")
    book = openpyxl.load_workbook(tmp_path / "register.xlsx")
    sheet = book.active
    assert sheet.title == "Журнал обращений"
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    by_number = {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    first = by_number[done]
    assert first["Получен (МСК) / Received"] == dt.datetime(2026, 2, 2, 9, 15)
    assert first["Срок / Due"] == dt.datetime(2026, 2, 16)  # openpyxl reads dates as datetimes
    assert first["Результат / Result"] == '\'=HYPERLINK("x")'
    assert sheet.cell(row=2, column=HEADERS.index("Срок / Due") + 1).number_format == "DD.MM.YYYY"
    assert by_number[overdue]["Соблюдение срока / Deadline"] == "просрочен"
    assert by_number[in_time]["Соблюдение срока / Deadline"] == "в срок"
