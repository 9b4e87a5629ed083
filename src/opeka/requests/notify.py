"""E-mail notices to the requester: received, extended, done, refused (Russian, then English).

A notice goes to the e-mail address on file — read through the spine under
``legal.subject_rights``, so every read is journaled (извлечение, «уведомление по запросу …») —
and says only the request's number, kind, dates, status and the staff's reason or result: no
personal data beyond the address itself, never an attachment or the data asked for (those are
downloaded in the portal). Texts are in ``opeka/mail/templates/request_<event>.txt``.

Send after the request's unit of work has committed, so that a failure to send never rolls the
request back::

    with notify.Outbox(opeka, mailer) as outbox, opeka.unit_of_work() as uow:
        row = service.refuse(uow, request_id=..., reason=..., actor=...)
        outbox.add(request_id=row.id, event="refused")
    # the unit of work committed first; the outbox then sends (and drops all on an error)

or call :func:`notify` after the commit. A failed send is logged with the request number, the
event and the error type, never the address, and :func:`notify` returns False. A subject
destroyed in the same transaction has no address left: :func:`compose` the notice before
destroying, in that unit of work, and :func:`deliver` it after the commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from types import TracebackType

from opeka.app import Opeka
from opeka.mail import templates as mail_templates
from opeka.mail.mailers import Mailer
from opeka.mail.message import OutgoingMail
from opeka.ops import logs
from opeka.processing import subjects
from opeka.processing.actor import Actor
from opeka.processing.service import Processing
from opeka.processing.subjects import Status
from opeka.requests import store
from opeka.requests.clock import day_of_receipt, moscow_date
from opeka.requests.extension import notice_text
from opeka.requests.journaling import DUTY
from opeka.requests.kinds import KINDS, extension_term
from opeka.requests.store import RequestRow
from opeka.uow import UnitOfWork

__all__ = ["NOTIFY_ACTOR", "Notice", "NotifyEvent", "Outbox", "compose", "deliver", "notify"]

log = logs.get("notify")
NOTIFY_ACTOR = Actor.system("requests-notify")


class NotifyEvent(StrEnum):
    """What happened to the request."""

    RECEIVED = "received"
    EXTENDED = "extended"
    DONE = "done"
    REFUSED = "refused"


EVENT_TITLES_RU = {
    NotifyEvent.RECEIVED: "получен",
    NotifyEvent.EXTENDED: "продлён срок",
    NotifyEvent.DONE: "исполнен",
    NotifyEvent.REFUSED: "отказ",
}


@dataclass(frozen=True, slots=True, repr=False)
class Notice:
    """A composed notice, ready to send (``mail`` holds the address)."""

    request_id: uuid.UUID
    number: str
    event: NotifyEvent
    mail: OutgoingMail

    def __repr__(self) -> str:
        return f"Notice({self.number}, {self.event})"


def _plain(text: str) -> str:
    """One line of printable text without markup brackets (what mail templates accept)."""
    line = "".join(ch for ch in " ".join(text.split()) if ch.isprintable())
    return line.replace("<", "‹").replace(">", "›")


def _address(uow: UnitOfWork, request: RequestRow, event: NotifyEvent, actor: Actor) -> str | None:
    if request.subject_id is None:
        log.info("request %s: no subject matched, no address on file for %s", request.number, event)
        return None
    row = subjects.load(uow.data, request.subject_id)
    if row.status is Status.DESTROYED:
        log.info("request %s: subject's data destroyed, no address for %s", request.number, event)
        return None
    rules = uow.services.rules
    declared = rules.category_fields.get(row.category, frozenset())
    codes = [c for c, kind in rules.indexed.items() if kind == "email" and c in declared]
    reason = f"уведомление по запросу {request.number} ({EVENT_TITLES_RU[event]})"
    values = Processing(uow, actor, DUTY).read(request.subject_id, codes, reason=reason)
    return next((values[c] for c in codes if values.get(c)), None)


def _values(uow: UnitOfWork, request: RequestRow, event: NotifyEvent) -> dict[str, object]:
    policy = uow.services.rules.policy
    spec = KINDS[request.kind]
    values: dict[str, object] = {
        "number": request.number,
        "kind_ru": spec.title_ru,
        "kind_en": spec.title_en,
        "received": f"{day_of_receipt(request.received_at):%d.%m.%Y}",
        "due": f"{request.due_date:%d.%m.%Y}",
        "closed": f"{moscow_date(request.closed_at):%d.%m.%Y}" if request.closed_at else "",
        "site": policy.operator.sites[0],
        "operator": policy.operator.name,
    }
    if event is NotifyEvent.EXTENDED:
        extension = extension_term(request.kind, policy.deadlines)
        if extension is None or request.extended_due_date is None:
            raise ValueError(f"request {request.number} was not extended")
        text = notice_text(
            request,
            extension=extension,
            new_due=request.extended_due_date,
            reason=request.extension_reason or "",
        )
        values["notice"] = [_plain(p) for p in text.split("\n\n")]
        values["new_due"] = f"{request.extended_due_date:%d.%m.%Y}"
    elif event is NotifyEvent.DONE:
        values["result"] = _plain(request.result or "запрос исполнен")
    elif event is NotifyEvent.REFUSED:
        values["reason"] = _plain(request.refusal_reason or "")
    return values


def compose(
    uow: UnitOfWork,
    *,
    request_id: uuid.UUID | str,
    event: NotifyEvent | str,
    actor: Actor = NOTIFY_ACTOR,
) -> Notice | None:
    """The notice of ``event`` to the address on file (read and journaled in ``uow``).

    None when there is no address: the request has no subject, the subject's data were
    destroyed, or no e-mail is held.
    """
    event = NotifyEvent(event)
    request = store.require(uow.data, request_id)
    address = _address(uow, request, event, actor)
    if address is None:
        return None
    subject, text = mail_templates.render(f"request_{event.value}", **_values(uow, request, event))
    return Notice(request.id, request.number, event, OutgoingMail(address, subject, text))


def deliver(notice: Notice, mailer: Mailer) -> bool:
    """Send a composed notice; False (logged without the address) when sending fails."""
    try:
        mailer.send(notice.mail)
    except Exception as exc:  # a notice must never break the request it reports on
        log.warning(
            "notice of request %s (%s) not sent: %s",
            notice.number,
            notice.event,
            type(exc).__name__,
        )
        return False
    return True


def notify(
    opeka: Opeka,
    *,
    request_id: uuid.UUID | str,
    event: NotifyEvent | str,
    mailer: Mailer,
    actor: Actor = NOTIFY_ACTOR,
) -> bool:
    """Compose (own unit of work: the address read is journaled) and send; True if sent."""
    try:
        with opeka.unit_of_work() as uow:
            notice = compose(uow, request_id=request_id, event=event, actor=actor)
    except Exception as exc:  # logged, never raised: the request itself is already committed
        log.warning(
            "notice of request %s (%s) not composed: %s", request_id, event, type(exc).__name__
        )
        return False
    return notice is not None and deliver(notice, mailer)


@dataclass(slots=True)
class Outbox:
    """Notices queued during a unit of work, sent when the ``with`` block ends without error."""

    opeka: Opeka
    mailer: Mailer
    actor: Actor = NOTIFY_ACTOR
    queued: list[tuple[uuid.UUID | str, NotifyEvent]] = field(default_factory=list)

    def add(self, *, request_id: uuid.UUID | str, event: NotifyEvent | str) -> None:
        """Queue a notice (sent by :meth:`send` or on leaving the ``with`` block)."""
        self.queued.append((request_id, NotifyEvent(event)))

    def send(self) -> int:
        """Send every queued notice (each in its own unit of work); how many were sent."""
        queued, self.queued = self.queued, []
        return sum(
            notify(self.opeka, request_id=rid, event=ev, mailer=self.mailer, actor=self.actor)
            for rid, ev in queued
        )

    def __enter__(self) -> Outbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.send()
        else:
            self.queued.clear()
