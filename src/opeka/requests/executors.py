"""Executing verified requests Opeka handles by itself: withdrawal, blocking, destruction.

Each execution is one unit of work under the statutory purpose ``legal.subject_rights``: the
request goes ``verified → in_progress``, the consents are withdrawn or the subject is blocked
through the spine, destruction is scheduled, and everything commits together or not at all.

* **Withdrawal** (152-FZ art. 9 p. 2, 21 p. 5; policy 5.3) stops the withdrawn purposes at
  once. When every consent is withdrawn (``*``), or a visitor has no consent left, the subject
  is blocked and destruction is scheduled at receipt + the operator's withdrawal term (30
  calendar days at most); the request closes when the sweep has destroyed the data. Visitors
  are singled out because they have no contract with the operator: their other purposes use
  depersonalised data (2.2.4) or last only while they use the site (2.2.6).
* **Blocking** (art. 21 p. 1) blocks the subject immediately and closes the request.
* **Destruction demand** (art. 20 p. 3) blocks at once and schedules destruction on the
  request's due date, which leaves staff the term to refuse it on a legal ground (a refusal
  cancels the pending destruction).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, Protocol

from sqlalchemy import Connection, select

from opeka.app import Opeka
from opeka.consent import withdrawal as consent_withdrawal
from opeka.consent.withdrawal import WithdrawalOutcome
from opeka.db.engine import read_only
from opeka.db.requests import subject_request
from opeka.processing import subjects
from opeka.processing.actor import Actor
from opeka.processing.service import Processing
from opeka.processing.subjects import Status
from opeka.requests import service, store
from opeka.requests.calendar import ProductionCalendar
from opeka.requests.clock import day_of_receipt
from opeka.requests.deadlines import due_date, term_for
from opeka.requests.errors import NotAutomatic, RequestNotFound, SubjectRequired
from opeka.requests.journaling import DUTY, journal_step
from opeka.requests.kinds import DEFAULT_CALENDAR, KINDS, RequestKind
from opeka.requests.purposes import consent_purposes
from opeka.requests.states import RequestStatus
from opeka.requests.store import RequestRow

if TYPE_CHECKING:
    from opeka.uow import UnitOfWork

__all__ = [
    "Execution",
    "Withdraw",
    "consent_withdraw",
    "execute",
    "execute_withdrawal",
    "verified_automatic",
]


class Withdraw(Protocol):
    """Withdraw a subject's consents (some purposes, or all) with their records and journal."""

    def __call__(
        self,
        uow: UnitOfWork,
        *,
        actor: Actor,
        subject_id: uuid.UUID,
        purposes: Collection[str] | Literal["all"],
        channel: str,
    ) -> WithdrawalOutcome:
        """Withdraw and say whether any legal basis is left (:mod:`opeka.consent.basis`)."""
        ...


_CONSENT_CHANNELS = {"portal": "portal", "api": "api", "email": "email", "console": "paper"}


def consent_withdraw(
    uow: UnitOfWork,
    *,
    actor: Actor,
    subject_id: uuid.UUID,
    purposes: Collection[str] | Literal["all"],
    channel: str,
) -> WithdrawalOutcome:
    """The consent module's withdrawal (records, grants, journal), for a request's channel."""
    return consent_withdrawal.withdraw(
        uow,
        actor=actor,
        purposes=purposes,
        channel=_CONSENT_CHANNELS.get(channel, "paper"),
        subject_id=subject_id,
    )


@dataclass(frozen=True, slots=True)
class Execution:
    """What executing a request did."""

    request_id: uuid.UUID
    number: str
    kind: RequestKind
    withdrawn: tuple[str, ...] = ()
    blocked: bool = False
    destruction_due: dt.date | None = None
    closed: bool = False


def execute(
    opeka: Opeka,
    *,
    request_id: uuid.UUID | str,
    actor: Actor,
    withdraw: Withdraw = consent_withdraw,
    calendar: ProductionCalendar = DEFAULT_CALENDAR,
    skip_locked: bool = False,
) -> Execution | None:
    """Execute a verified request of an automatic kind, in one unit of work.

    With ``skip_locked`` (the sweep), a request another process holds or has already taken is
    skipped and None returned; otherwise an unverified request raises
    :class:`~opeka.requests.errors.NotVerified` and a manual kind :class:`NotAutomatic`.
    """
    with opeka.processing(actor, DUTY) as p:
        request = store.get(p.uow.data, request_id, lock=True, skip_locked=skip_locked)
        if request is None and not skip_locked:
            raise RequestNotFound(
                f"no request {request_id}", message_ru=f"запрос {request_id} не найден"
            )
        if request is None or (skip_locked and request.status is not RequestStatus.VERIFIED):
            return None
        if not KINDS[request.kind].automatic:
            raise NotAutomatic(
                f"requests of kind {request.kind} are executed by staff",
                message_ru=f"запрос вида «{KINDS[request.kind].title_ru}» исполняет сотрудник",
            )
        request = service.transition(
            p.uow, request, RequestStatus.IN_PROGRESS, actor=actor, assigned_to=str(actor)
        )
        run = _RUNNERS[request.kind]
        return run(p, request, actor, withdraw, calendar)


def execute_withdrawal(
    opeka: Opeka,
    *,
    request_id: uuid.UUID | str,
    actor: Actor,
    withdraw: Withdraw = consent_withdraw,
    calendar: ProductionCalendar = DEFAULT_CALENDAR,
) -> Execution:
    """Execute a verified withdrawal of consent (see the module docstring)."""
    with read_only(opeka.data_engine) as conn:
        request = store.require(conn, request_id)
    if request.kind is not RequestKind.WITHDRAWAL:
        raise NotAutomatic(
            f"request {request.number} is not a withdrawal of consent",
            message_ru=f"запрос {request.number} не является отзывом согласия",
        )
    done = execute(opeka, request_id=request.id, actor=actor, withdraw=withdraw, calendar=calendar)
    if done is None:  # only the sweep's skip_locked returns None; kept for the type checker
        raise RequestNotFound(
            f"no request {request_id}", message_ru=f"запрос {request_id} не найден"
        )
    return done


def verified_automatic(conn: Connection) -> list[uuid.UUID]:
    """Verified requests of automatic kinds waiting to be executed, oldest due first."""
    kinds = sorted(kind.value for kind, spec in KINDS.items() if spec.automatic)
    query = (
        select(subject_request.c.id)
        .where(
            subject_request.c.status == RequestStatus.VERIFIED.value,
            subject_request.c.kind.in_(kinds),
        )
        .order_by(subject_request.c.due_date, subject_request.c.number)
    )
    return list(conn.execute(query).scalars())


def _subject(request: RequestRow) -> uuid.UUID:
    if request.subject_id is None:
        raise SubjectRequired(
            f"request {request.number} is not matched to a subject",
            message_ru=f"в запросе {request.number} не указан субъект",
        )
    return request.subject_id


def _withdrawal(
    p: Processing,
    request: RequestRow,
    actor: Actor,
    withdraw: Withdraw,
    calendar: ProductionCalendar,
) -> Execution:
    uow, rules = p.uow, p.uow.services.rules
    sid = _subject(request)
    purposes = consent_purposes(rules) if request.all_purposes else request.purposes
    row = subjects.load(uow.data, sid)
    remaining = True
    if row.status is not Status.DESTROYED:
        outcome = withdraw(
            uow,
            actor=actor,
            subject_id=sid,
            purposes=consent_withdrawal.ALL if request.all_purposes else purposes,
            channel=request.channel.value,
        )
        remaining = outcome.remaining_basis
        journal_step(
            uow,
            actor=actor,
            number=request.number,
            subject_id=sid,
            text="отзыв согласия на цели " + (", ".join(outcome.purposes_withdrawn) or "—"),
        )
    done = Execution(request.id, request.number, request.kind, withdrawn=tuple(purposes))
    if row.status is Status.DESTROYED or remaining:
        result = "согласие отозвано: цели " + ", ".join(purposes)
        if row.status is Status.DESTROYED:
            result += "; данные субъекта уже уничтожены"
        service.complete(uow, request_id=request.id, result=result, actor=actor)
        return replace(done, closed=True)
    term = term_for("withdrawal_destruction", rules.policy.deadlines)
    due = due_date(received=day_of_receipt(request.received_at), term=term, calendar=calendar)
    _block_and_schedule(p, request, sid, "withdrawal", due, actor)
    return replace(done, blocked=True, destruction_due=due)


def _blocking(
    p: Processing, request: RequestRow, actor: Actor, _w: Withdraw, _c: ProductionCalendar
) -> Execution:
    sid = _subject(request)
    if _already_destroyed(p, request, sid, actor):
        return Execution(request.id, request.number, request.kind, closed=True)
    p.block(sid, reason=f"запрос {request.number}: требование блокирования")
    service.complete(
        p.uow,
        request_id=request.id,
        result="данные субъекта заблокированы на период проверки",
        actor=actor,
    )
    return Execution(request.id, request.number, request.kind, blocked=True, closed=True)


def _destruction(
    p: Processing, request: RequestRow, actor: Actor, _w: Withdraw, _c: ProductionCalendar
) -> Execution:
    sid = _subject(request)
    if _already_destroyed(p, request, sid, actor):
        return Execution(request.id, request.number, request.kind, closed=True)
    due = request.effective_due
    _block_and_schedule(p, request, sid, "demand", due, actor)
    return Execution(request.id, request.number, request.kind, blocked=True, destruction_due=due)


def _already_destroyed(p: Processing, request: RequestRow, sid: uuid.UUID, actor: Actor) -> bool:
    """Close the request when the subject's data no longer exist; True if so."""
    if subjects.load(p.uow.data, sid).status is not Status.DESTROYED:
        return False
    service.complete(
        p.uow, request_id=request.id, result="данные субъекта уже уничтожены", actor=actor
    )
    return True


def _block_and_schedule(
    p: Processing, request: RequestRow, sid: uuid.UUID, code: str, due: dt.date, actor: Actor
) -> None:
    p.block(sid, reason=f"запрос {request.number}: блокирование до уничтожения")
    service.schedule_destruction(
        p.uow, subject_id=sid, request_id=request.id, reason_code=code, due=due, actor=actor
    )


_Runner = Callable[[Processing, RequestRow, Actor, Withdraw, ProductionCalendar], Execution]
_RUNNERS: dict[RequestKind, _Runner] = {
    RequestKind.WITHDRAWAL: _withdrawal,
    RequestKind.BLOCKING: _blocking,
    RequestKind.DESTRUCTION: _destruction,
}
