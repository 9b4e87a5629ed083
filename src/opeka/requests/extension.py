"""Extending a request's term once, with a reasoned notice (152-FZ art. 14 p. 3, art. 20 p. 1).

The law allows 5 more working days for an answer (information, access, questions) and for a
demand to stop processing (art. 21 p. 5.1), once, and only with a reasoned notice sent to the
subject before the term runs out. :func:`extend` records the new deadline and the reason and
returns the notice in Russian; the mail layer sends it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from opeka.db.base import utcnow
from opeka.processing.actor import Actor
from opeka.requests import store
from opeka.requests.calendar import ProductionCalendar
from opeka.requests.clock import day_of_receipt
from opeka.requests.deadlines import Term, extended_due
from opeka.requests.errors import (
    AlreadyExtended,
    ExtensionTooLate,
    NotExtendable,
    TransitionRefused,
)
from opeka.requests.journaling import journal_step
from opeka.requests.kinds import DEFAULT_CALENDAR, KINDS, extension_term
from opeka.requests.notes import check_note
from opeka.requests.states import OPEN
from opeka.uow import UnitOfWork

__all__ = ["ExtensionNotice", "extend"]

REASON_LENGTH = 500


@dataclass(frozen=True, slots=True)
class ExtensionNotice:
    """The extension as recorded, and the reasoned notice to send to the subject."""

    request_id: uuid.UUID
    number: str
    due: dt.date
    extended_due: dt.date
    reason: str
    text_ru: str


def extend(
    uow: UnitOfWork,
    *,
    request_id: uuid.UUID | str,
    reason: str,
    actor: Actor,
    today: dt.date,
    calendar: ProductionCalendar = DEFAULT_CALENDAR,
) -> ExtensionNotice:
    """Extend an open request's term once; returns the notice (Russian) for the mail layer.

    Refused with :class:`NotExtendable` for kinds the law gives no extension,
    :class:`AlreadyExtended` the second time, :class:`ExtensionTooLate` after the deadline.
    """
    text = check_note(
        reason, what="extension reason", what_ru="причина продления", max_length=REASON_LENGTH
    )
    request = store.require(uow.data, request_id, lock=True)
    if request.status not in OPEN:
        raise TransitionRefused(
            f"a request in status {request.status} is closed; its term cannot be extended",
            message_ru="запрос закрыт; его срок не продлевается",
            current=request.status,
            target=request.status,
        )
    extension = extension_term(request.kind, uow.services.rules.policy.deadlines)
    if extension is None:
        raise NotExtendable(
            f"the law gives a request of kind {request.kind} no extension",
            message_ru=f"срок запроса вида «{KINDS[request.kind].title_ru}» не продлевается",
        )
    if request.extended_due_date is not None:
        raise AlreadyExtended(
            "the term of this request was already extended once",
            message_ru="срок этого запроса уже продлевался; продлить можно только один раз",
        )
    if today > request.due_date:
        raise ExtensionTooLate(
            "the term already ran out; the reasoned notice had to be sent before it ended",
            message_ru="срок уже истёк: уведомление о продлении направляется до его окончания",
        )
    new_due = extended_due(due=request.due_date, extension=extension, calendar=calendar)
    store.update_request(
        uow.data,
        request.id,
        extended_due_date=new_due,
        extension_reason=text,
        extended_at=utcnow(),
    )
    store.add_event(
        uow.data,
        request.id,
        actor=str(actor),
        event="extended",
        note=f"срок продлён до {new_due.isoformat()}",
    )
    journal_step(
        uow,
        actor=actor,
        number=request.number,
        subject_id=request.subject_id,
        text=f"срок продлён до {new_due.isoformat()}, направлено мотивированное уведомление",
    )
    operator = uow.services.rules.policy.operator.name
    notice = notice_text(request, extension=extension, new_due=new_due, reason=text)
    return ExtensionNotice(
        request_id=request.id,
        number=request.number,
        due=request.due_date,
        extended_due=new_due,
        reason=text,
        text_ru=f"{notice}\n\n{operator}",
    )


def notice_text(
    request: store.RequestRow, *, extension: Term, new_due: dt.date, reason: str
) -> str:
    """The reasoned notice of an extension, in Russian."""
    received = day_of_receipt(request.received_at).strftime("%d.%m.%Y")
    article = "ч. 5.1 ст. 21" if request.kind.value == "stop_processing" else "ч. 3 ст. 14"
    return (
        f"Мотивированное уведомление о продлении срока рассмотрения запроса "
        f"№ {request.number}\n\n"
        f"Ваш запрос, полученный {received}, рассматривается. В соответствии с {article} "
        f"Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных» срок его "
        f"рассмотрения продлён на {extension.text_ru()} — до "
        f"{new_due.strftime('%d.%m.%Y')} включительно (первоначальный срок — "
        f"{request.due_date.strftime('%d.%m.%Y')}).\n\n"
        f"Причина продления: {reason}"
    )
