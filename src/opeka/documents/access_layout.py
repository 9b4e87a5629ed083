"""The access package as a readable Russian PDF: operator, data, purposes, recipients, consents.

Sections follow what 152-FZ art. 14 p. 7 lists: the data held and their source, the purposes and
legal bases, the recipients, the terms of processing and storage, the consents given and
withdrawn, the open requests, and how to exercise the rights.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from opeka.documents.pdf import PdfDocument, ru_date, ru_day, ru_moment

if TYPE_CHECKING:
    from opeka.documents.access_package import AccessPackage

__all__ = ["render"]

EVENTS_RU = {"given": "дано", "withdrawn": "отозвано"}


def _header(doc: PdfDocument, pkg: AccessPackage) -> None:
    op = pkg.operator
    doc.heading(
        "Сведения об обработке ваших персональных данных",
        english="Information on the processing of your personal data (152-FZ art. 14 p. 7)",
        size=15,
    )
    doc.fields(
        [
            ("Оператор", f"{op['name']}\nАдрес: {op['address'] or 'не указан'}"),
            ("Контакт для обращений", op["contact_email"] or "—"),
            ("Информационная система", op["information_system"] or "—"),
            ("Сформировано", ru_moment(pkg.generated_at)),
            ("Политика (версия)", pkg.policy_version),
            ("Ваш идентификатор", str(pkg.subject_id)),
            ("Категория субъекта", pkg.category_title),
            ("Получены", f"{ru_day(pkg.collected_at)}; источник: {pkg.source or '—'}"),
        ]
    )


def _values(doc: PdfDocument, pkg: AccessPackage) -> None:
    doc.heading("1. Персональные данные, которые мы обрабатываем", english="1. Data held", size=12)
    if not pkg.values:
        doc.paragraph("Персональные данные не хранятся.")
        return
    doc.table(
        ("Сведения", "Значение", "Цели обработки"),
        [(v.title, v.value, ", ".join(v.purposes) or "—") for v in pkg.values],
        widths=(30, 45, 25),
    )


def _purposes(doc: PdfDocument, pkg: AccessPackage) -> None:
    doc.heading("2. Цели, правовые основания и сроки", english="2. Purposes, bases, terms", size=12)
    doc.table(
        ("Цель", "Правовое основание", "Применяется", "Срок обработки и хранения"),
        [
            (
                f"{p.id}. {p.title}",
                f"{p.basis} ({p.basis_article})",
                "да" if p.in_use else "нет: согласие не дано или отозвано",
                f"{p.retention}; уничтожение в течение {p.destroy_within_days} дн.",
            )
            for p in pkg.purposes
        ],
        widths=(30, 27, 17, 26),
    )


def _recipients(doc: PdfDocument, pkg: AccessPackage) -> None:
    doc.heading("3. Получатели", english="3. Recipients", size=12)
    if pkg.recipients:
        doc.table(
            ("Получатели", "Цель", "Страна", "Пункт политики"),
            [(r.title, r.purpose, ", ".join(r.countries), r.clause) for r in pkg.recipients],
            widths=(45, 15, 15, 25),
        )
    else:
        doc.paragraph("Ваши данные третьим лицам не передаются.")
    doc.paragraph(f"Трансграничная передача: {pkg.cross_border}.")
    doc.paragraph(
        f"Решения на основании исключительно автоматизированной обработки: "
        f"{pkg.automated_decisions}."
    )


def _consents(doc: PdfDocument, pkg: AccessPackage) -> None:
    doc.heading("4. Согласия", english="4. Consents", size=12)
    if not pkg.consents:
        doc.paragraph("Записей о согласиях нет.")
        return
    doc.table(
        ("Дата", "Согласие", "Цель", "Документ, версия", "Хэш текста", "Канал"),
        [
            (
                ru_moment(c.recorded_at),
                EVENTS_RU.get(c.event, c.event),
                f"{c.purpose}. {c.purpose_title}",
                f"{c.document_id or '—'}, {c.document_version or '—'}",
                (c.text_hash or "—")[:16],
                c.channel,
            )
            for c in pkg.consents
        ],
        widths=(15, 10, 30, 20, 15, 10),
        size=8,
    )


def _requests(doc: PdfDocument, pkg: AccessPackage) -> None:
    doc.heading("5. Ваши запросы в работе", english="5. Open requests", size=12)
    if not pkg.open_requests:
        doc.paragraph("Открытых запросов нет.")
        return
    doc.table(
        ("Номер", "Вид", "Получен", "Срок ответа", "Статус"),
        [
            (r.number, r.kind, ru_date(r.received), ru_date(r.due), r.status)
            for r in pkg.open_requests
        ],
        widths=(18, 30, 15, 15, 22),
    )


def render(pkg: AccessPackage, *, font_dir: Path) -> bytes:
    """The PDF bytes of ``pkg``."""
    doc = PdfDocument(
        title="Сведения об обработке персональных данных",
        footer=f"{pkg.operator['name']}: сведения по ст. 14 152-ФЗ",
        font_dir=font_dir,
    )
    _header(doc, pkg)
    _values(doc, pkg)
    _purposes(doc, pkg)
    _recipients(doc, pkg)
    _consents(doc, pkg)
    _requests(doc, pkg)
    doc.heading("6. Ваши права", english="6. Your rights", size=12)
    contact = pkg.operator["contact_email"]
    doc.paragraph(
        "Вы вправе уточнить свои данные, потребовать их блокирования или уничтожения, отозвать "
        "согласие и обжаловать действия оператора в Роскомнадзоре или в суде (152-ФЗ ст. 14, "
        f"17, 21). Обращения принимаются в личном кабинете и по адресу {contact}."
    )
    return doc.output()
