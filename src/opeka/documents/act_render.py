"""Renders of an act of destruction and its log extract: JSON and a Russian PDF.

The act shows every field of Order 179 p. 3 а–к (е, the paper media, does not apply to
automated processing and says so), the table of subjects, and lines for the signatures of the
person responsible; the extract every field of p. 5. :func:`document_pdf` puts both in one file,
the act first. Nothing here reads the database: build the :class:`~opeka.documents.act_model.Act`
with :func:`opeka.documents.acts.issue` and the extract with
:func:`opeka.documents.extract.build_extract`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from opeka.documents.act_model import FORMAT, METHOD_EN, ORDER, Act
from opeka.documents.extract import Extract
from opeka.documents.pdf import DEFAULT_FONT_DIR, PdfDocument, ru_date, ru_moment
from opeka.processing.reasons import DESTRUCTION_REASONS
from opeka.requests.clock import moscow_date

__all__ = ["act_json", "act_pdf", "document_json", "document_pdf", "extract_json", "extract_pdf"]

MEDIA = "не применяется: обработка автоматизированная, бумажные носители не уничтожались"
EXTRACT_FORMAT = "opeka-destruction-log-extract/1"


def act_dict(act: Act) -> dict[str, Any]:
    """The act as JSON-ready data, keyed by what Order 179 p. 3 names."""
    h = act.header
    return {
        "format": FORMAT,
        "document": "Акт об уничтожении персональных данных",
        "legal_basis": ORDER,
        "number": h.number,
        "date": h.act_date.isoformat(),
        "operator": {"name": h.operator_name, "address": h.operator_address},
        "processor": h.processor,
        "subjects": [s.to_dict() for s in act.subjects],
        "responsible": {"actor": h.responsible, "full_name": None, "position": None},
        "data_categories": list(act.categories_ru),
        "media": MEDIA,
        "information_system": h.information_system,
        "method": h.method,
        "reasons": [
            {"code": code, "text": DESTRUCTION_REASONS.get(code, "")} for code in act.reason_codes
        ],
        "destruction_dates": sorted(
            {moscow_date(s.destroyed_at).isoformat() for s in act.subjects}
        ),
        "created_at": h.created_at.isoformat(),
        "retain_until": h.retain_until.isoformat(),
    }


def extract_dict(extract: Extract) -> dict[str, Any]:
    """The extract as JSON-ready data (the fields of Order 179 p. 5)."""
    return {
        "format": EXTRACT_FORMAT,
        "document": "Выгрузка из журнала регистрации событий в ИСПДн",
        "legal_basis": ORDER,
        "act_number": extract.act_number,
        "information_system": extract.information_system,
        "generated_at": extract.generated_at.isoformat(),
        "entries": [
            {
                "seq": row.seq,
                "date": row.time.isoformat(),
                "subject_identifier": row.identifier,
                "subject_id": str(row.subject_id),
                "data_categories": list(row.categories_ru),
                "information_system": row.information_system,
                "reason": row.reason,
                "actor": row.actor,
            }
            for row in extract.rows
        ],
    }


def _dump(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def act_json(act: Act) -> bytes:
    """The act as UTF-8 JSON."""
    return _dump(act_dict(act))


def extract_json(extract: Extract) -> bytes:
    """The extract as UTF-8 JSON."""
    return _dump(extract_dict(extract))


def document_json(act: Act, extract: Extract) -> bytes:
    """The act and its extract in one JSON object."""
    return _dump({"act": act_dict(act), "extract": extract_dict(extract)})


def _act_section(doc: PdfDocument, act: Act) -> None:
    h = act.header
    doc.heading(
        f"АКТ № {h.number}\nоб уничтожении персональных данных",
        english=f"Act No. {h.number} of destruction of personal data ({ORDER})",
        size=14,
    )
    doc.paragraph(f"Дата составления: {ru_date(h.act_date)}")
    reasons = "; ".join(f"{DESTRUCTION_REASONS.get(c, c)}" for c in act.reason_codes)
    dates = [ru_date(d) for d in sorted({moscow_date(s.destroyed_at) for s in act.subjects})]
    doc.fields(
        [
            ("а) Оператор", f"{h.operator_name}\nАдрес: {h.operator_address or 'не указан'}"),
            ("б) Лицо, обрабатывающее ПДн по поручению оператора", h.processor),
            ("в) Субъекты персональных данных", f"{len(act.subjects)}: см. таблицу ниже"),
            ("г) Лицо, уничтожившее ПДн", f"{h.responsible}; Ф.И.О., должность и подпись — ниже"),
            ("д) Категории уничтоженных ПДн", "; ".join(act.categories_ru) or "—"),
            ("е) Материальные носители", MEDIA),
            ("ж) Информационная система", h.information_system),
            ("з) Способ уничтожения", f"{h.method}\n({METHOD_EN})"),
            ("и) Причина уничтожения", reasons or "—"),
            ("к) Дата уничтожения", ", ".join(dates)),
        ]
    )
    doc.heading("Субъекты, чьи персональные данные уничтожены", english="Subjects", size=11)
    doc.table(
        ("№", "Ф.И.О. или иной идентификатор", "Категории ПДн", "Причина", "Дата"),
        [
            (
                str(i),
                s.identifier if s.named else f"псевдонимный идентификатор {s.identifier}",
                "; ".join(s.categories_ru) or "—",
                s.reason,
                ru_moment(s.destroyed_at),
            )
            for i, s in enumerate(act.subjects, start=1)
        ],
        widths=(6, 26, 30, 26, 14),
        size=8,
    )
    doc.paragraph(
        f"Акт хранится до {ru_date(h.retain_until)} (3 года, Приказ РКН № 179 п. 8). "
        "Выгрузка из журнала регистрации событий прилагается."
    )
    doc.signatures(["Лицо, ответственное за уничтожение персональных данных:"])


def _extract_section(doc: PdfDocument, extract: Extract) -> None:
    doc.heading(
        "ВЫГРУЗКА из журнала регистрации событий в информационной системе персональных данных",
        english=f"Extract from the event log for act No. {extract.act_number} ({ORDER}, p. 5)",
        size=12,
    )
    doc.fields(
        [
            ("К акту", f"№ {extract.act_number}"),
            ("Информационная система", extract.information_system),
            ("Выгрузка сформирована", ru_moment(extract.generated_at)),
        ]
    )
    doc.table(
        ("№ записи", "Ф.И.О. или иной идентификатор", "Категории ПДн", "Причина", "Дата"),
        [
            (
                str(row.seq) if row.seq is not None else "нет записи",
                row.identifier,
                "; ".join(row.categories_ru) or "—",
                row.reason,
                ru_moment(row.time),
            )
            for row in extract.rows
        ],
        widths=(9, 24, 30, 25, 14),
        size=8,
    )
    doc.note(f"Информационная система для всех записей: {extract.information_system}.")


def act_pdf(act: Act, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    """The act as a PDF."""
    doc = PdfDocument(title=f"Акт № {act.number}", footer=f"Акт № {act.number}", font_dir=font_dir)
    _act_section(doc, act)
    return doc.output()


def extract_pdf(extract: Extract, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    """The log extract as a PDF."""
    title = f"Выгрузка к акту № {extract.act_number}"
    doc = PdfDocument(title=title, footer=title, font_dir=font_dir)
    _extract_section(doc, extract)
    return doc.output()


def document_pdf(act: Act, extract: Extract, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    """The act, then its extract on a new page, in one PDF."""
    doc = PdfDocument(title=f"Акт № {act.number}", footer=f"Акт № {act.number}", font_dir=font_dir)
    _act_section(doc, act)
    doc.new_page()
    _extract_section(doc, extract)
    return doc.output()
