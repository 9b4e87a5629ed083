"""The request service: open, match, verify, start, complete, refuse; schedule destruction.

Every function takes the unit of work first and keyword arguments after; it changes rows,
appends the request's event, queues the journal record, and never commits (the caller's unit
of work does, so a step and its journal entry exist together or not at all). Scheduling a
destruction is in :mod:`opeka.requests.scheduling` (re-exported here), extension in
:mod:`opeka.requests.extension`, execution in :mod:`opeka.requests.executors`, the queue in
:mod:`opeka.requests.queue`, the sweep in :mod:`opeka.requests.sweep`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TypeVar

from opeka.db.base import utcnow
from opeka.processing import subjects
from opeka.processing.actor import Actor
from opeka.requests import actions, store
from opeka.requests.calendar import ProductionCalendar
from opeka.requests.clock import day_of_receipt, moscow_today
from opeka.requests.deadlines import due_date
from opeka.requests.errors import InvalidRequest, ReceivedInFuture, TransitionRefused
from opeka.requests.journaling import journal_step
from opeka.requests.kinds import (
    DEFAULT_CALENDAR,
    Channel,
    RequestKind,
    VerificationMethod,
    kind_term,
)
from opeka.requests.notes import check_note
from opeka.requests.purposes import check_purposes
from opeka.requests.scheduling import schedule_destruction
from opeka.requests.states import RequestStatus, check_transition
from opeka.requests.store import RequestRow
from opeka.uow import UnitOfWork

__all__ = [
    "complete",
    "match",
    "open_request",
    "refuse",
    "schedule_destruction",
    "start",
    "transition",
    "verify",
]

CLOCK_SKEW = dt.timedelta(minutes=5)
EVIDENCE_LENGTH = 200
TEXT_LENGTH = 500
E = TypeVar("E", RequestKind, Channel, VerificationMethod)
DEFAULT_EVIDENCE = {
    VerificationMethod.PORTAL_SESSION: "вход в личный кабинет",
    VerificationMethod.EMAIL_CODE: "код, отправленный на адрес из учётных данных, подтверждён",
}


def _parse(enum: type[E], raw: str, what: str) -> E:
    try:
        return enum(raw)
    except ValueError:
        known = ", ".join(e.value for e in enum)
        raise InvalidRequest(
            f"unknown {what} {raw!r}; use one of: {known}",
            message_ru=f"неизвестное значение ({what}); допустимо: {known}",
        ) from None


def open_request(
    uow: UnitOfWork,
    *,
    kind: RequestKind | str,
    channel: Channel | str,
    received_at: dt.datetime,
    subject_id: uuid.UUID | None,
    purposes: Sequence[str] = (),
    actor: Actor,
    now: dt.datetime | None = None,
    calendar: ProductionCalendar = DEFAULT_CALENDAR,
) -> RequestRow:
    """Register a request received at ``received_at``; its term runs from that day (day 0).

    ``purposes`` are the withdrawn purposes of a withdrawal (``["*"]`` for every consent) or
    the purposes a demand to stop processing names. The due date is the operator's term for
    the kind (never longer than the law's) on the production calendar.
    """
    kind = _parse(RequestKind, kind, "kind")
    channel = _parse(Channel, channel, "channel")
    now = now or utcnow()
    if received_at > now + CLOCK_SKEW:
        raise ReceivedInFuture(
            "the request cannot be received in the future",
            message_ru="дата получения запроса не может быть в будущем",
        )
    clean = check_purposes(uow.services.rules, kind, purposes)
    conn = uow.data
    if subject_id is not None:
        subjects.load(conn, subject_id)  # SubjectNotFound if unknown
    term = kind_term(kind, uow.services.rules.policy.deadlines)
    due = due_date(received=day_of_receipt(received_at), term=term, calendar=calendar)
    request_id = uuid.uuid4()
    number = store.next_number(conn, moscow_today(now).year)
    store.insert_request(
        conn,
        {
            "id": request_id,
            "number": number,
            "kind": kind.value,
            "channel": channel.value,
            "subject_id": subject_id,
            "purposes": store.encode_purposes(clean),
            "received_at": received_at,
            "due_date": due,
            "status": RequestStatus.RECEIVED.value,
            "registered_by": str(actor),
        },
    )
    store.add_event(
        conn, request_id, actor=str(actor), event="received", to_status=RequestStatus.RECEIVED
    )
    journal_step(
        uow,
        actor=actor,
        number=number,
        subject_id=subject_id,
        text=f"зарегистрирован ({kind.value}, {channel.value}), срок {due.isoformat()}",
    )
    return store.require(conn, request_id)


def transition(
    uow: UnitOfWork,
    request: RequestRow,
    target: RequestStatus,
    *,
    actor: Actor,
    note: str | None = None,
    **values: object,
) -> RequestRow:
    """Move ``request`` to ``target`` (checked), with its event and journal record."""
    check_transition(request.status, target)
    conn = uow.data
    store.update_request(conn, request.id, status=target.value, **values)
    store.add_event(
        conn,
        request.id,
        actor=str(actor),
        event="transition",
        from_status=request.status.value,
        to_status=target.value,
        note=note,
    )
    journal_step(
        uow,
        actor=actor,
        number=request.number,
        subject_id=request.subject_id,
        text=f"{request.status.value} → {target.value}",
    )
    return store.require(conn, request.id)


def match(
    uow: UnitOfWork, *, request_id: uuid.UUID | str, subject_id: uuid.UUID, actor: Actor
) -> RequestRow:
    """Link a request to the subject it concerns (before it is executed)."""
    request = store.require(uow.data, request_id, lock=True)
    if request.subject_id == subject_id:
        return request
    if request.status not in (RequestStatus.RECEIVED, RequestStatus.VERIFIED):
        raise TransitionRefused(
            f"a request in status {request.status} cannot be matched to another subject",
            message_ru="субъекта можно указать только до начала исполнения запроса",
            current=request.status,
            target=request.status,
        )
    subjects.load(uow.data, subject_id)
    store.update_request(uow.data, request.id, subject_id=subject_id)
    store.add_event(uow.data, request.id, actor=str(actor), event="matched")
    journal_step(
        uow, actor=actor, number=request.number, subject_id=subject_id, text="указан субъект"
    )
    return store.require(uow.data, request.id)


def verify(
    uow: UnitOfWork,
    *,
    request_id: uuid.UUID | str,
    method: VerificationMethod | str,
    evidence: str | None,
    actor: Actor,
) -> RequestRow:
    """Record that the requester's identity was verified, and how.

    A staff confirmation (``staff_document``) must name the document type and that it was
    checked, without its number (:func:`opeka.requests.notes.check_note` refuses numbers).
    """
    method = _parse(VerificationMethod, method, "verification method")
    if method is VerificationMethod.STAFF_DOCUMENT or evidence:
        text = check_note(
            evidence or "",
            what="verification evidence",
            what_ru="подтверждение личности",
            max_length=EVIDENCE_LENGTH,
        )
    else:
        text = DEFAULT_EVIDENCE[method]
    request = store.require(uow.data, request_id, lock=True)
    return transition(
        uow,
        request,
        RequestStatus.VERIFIED,
        actor=actor,
        note=method.value,
        verified_at=utcnow(),
        verification_method=method.value,
        verification_evidence=text,
    )


def start(uow: UnitOfWork, *, request_id: uuid.UUID | str, actor: Actor) -> RequestRow:
    """Take a verified request into work (the actor becomes its assignee)."""
    request = store.require(uow.data, request_id, lock=True)
    return transition(uow, request, RequestStatus.IN_PROGRESS, actor=actor, assigned_to=str(actor))


def complete(
    uow: UnitOfWork, *, request_id: uuid.UUID | str, result: str, actor: Actor
) -> RequestRow:
    """Close a request in progress as done, with a short result (no personal data)."""
    text = check_note(result, what="result", what_ru="результат", max_length=TEXT_LENGTH)
    request = store.require(uow.data, request_id, lock=True)
    return transition(
        uow, request, RequestStatus.DONE, actor=actor, result=text, closed_at=utcnow()
    )


def refuse(
    uow: UnitOfWork, *, request_id: uuid.UUID | str, reason: str, actor: Actor
) -> RequestRow:
    """Refuse an open request with a reasoned text citing the legal ground (152-FZ art. 20 p. 2).

    Pending actions of the request (a scheduled destruction) are cancelled with it; a block
    already in place stays until staff lift it through the spine.
    """
    text = check_note(
        reason, what="refusal reason", what_ru="причина отказа", max_length=TEXT_LENGTH
    )
    request = store.require(uow.data, request_id, lock=True)
    refused = transition(
        uow,
        request,
        RequestStatus.REFUSED,
        actor=actor,
        note="отказ",
        refusal_reason=text,
        closed_at=utcnow(),
    )
    cancelled = actions.cancel_for_request(uow.data, request.id)
    if cancelled:
        store.add_event(uow.data, request.id, actor=str(actor), event="actions_cancelled")
        journal_step(
            uow,
            actor=actor,
            number=request.number,
            subject_id=request.subject_id,
            text=f"отменены запланированные действия ({cancelled})",
        )
    return refused
