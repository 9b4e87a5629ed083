"""The sweep: execute what is due — verified automatic requests, then due destructions.

``opeka requests sweep`` runs it once; the periodic tick of ``opeka serve`` is to call
:func:`sweep_now`.

Each request and each scheduled action is handled in a unit of work of its own. An action is
claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite serialises writers), the
subject is destroyed through the spine, and the action is marked done — and its request closed
when nothing else is pending — in that same transaction. A crash anywhere before the commit
(an exception, ``kill -9``) rolls everything back together, so the next sweep finds the action
still pending and finishes it; two sweepers never destroy the same subject twice.

The subject's name captured for the act of destruction (Order 179 p. 3 "в") is returned in
:class:`SweepItem` only, never stored here: :data:`OnDestroyed` is the seam through which the
act module writes its (encrypted) act inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from opeka.app import Opeka
from opeka.db.engine import read_only
from opeka.documents import acts
from opeka.ops import logs
from opeka.processing import subjects
from opeka.processing.actor import Actor
from opeka.processing.lifecycle import DestructionResult
from opeka.processing.subjects import Status
from opeka.requests import actions, service, store
from opeka.requests.calendar import ProductionCalendar
from opeka.requests.clock import moscow_today
from opeka.requests.executors import (
    Execution,
    Withdraw,
    consent_withdraw,
    execute,
    verified_automatic,
)
from opeka.requests.journaling import DUTY, journal_step
from opeka.requests.kinds import DEFAULT_CALENDAR
from opeka.requests.states import RequestStatus
from opeka.uow import UnitOfWork

__all__ = ["OnDestroyed", "SweepFailure", "SweepItem", "SweepReport", "sweep", "sweep_now"]

log = logs.get("requests")


@dataclass(frozen=True, slots=True)
class SweepItem:
    """One scheduled destruction carried out (``identifier`` is personal data: never log it)."""

    action_id: uuid.UUID
    subject_id: uuid.UUID
    request_id: uuid.UUID | None
    request_number: str | None
    reason_code: str
    destroyed: bool  # False when the subject's data had already been destroyed
    category: str
    fields: tuple[str, ...]
    data_categories: tuple[str, ...]
    reason: str
    destroyed_at: dt.datetime | None
    identifier: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class SweepFailure:
    """A request or action that failed this time (retried at the next sweep)."""

    request_id: uuid.UUID | None
    action_id: uuid.UUID | None
    error: str  # the exception's type name, never its message


@dataclass(slots=True)
class SweepReport:
    """What one sweep did."""

    executed: list[Execution] = field(default_factory=list)
    destroyed: list[SweepItem] = field(default_factory=list)
    closed_requests: list[str] = field(default_factory=list)
    failures: list[SweepFailure] = field(default_factory=list)
    skipped: int = 0

    def summary_ru(self) -> str:
        """One line in Russian, then one in English (counts only, no personal data)."""
        n_destroyed = sum(item.destroyed for item in self.destroyed)
        return (
            f"исполнено запросов: {len(self.executed)}; уничтожено субъектов: {n_destroyed}; "
            f"закрыто запросов: {len(self.closed_requests)}; пропущено: {self.skipped}; "
            f"ошибок: {len(self.failures)}\n"
            f"executed requests: {len(self.executed)}; subjects destroyed: {n_destroyed}; "
            f"requests closed: {len(self.closed_requests)}; skipped: {self.skipped}; "
            f"failures: {len(self.failures)}"
        )


OnDestroyed = Callable[[UnitOfWork, SweepItem], None]
"""Called inside the destroying transaction, before the action is marked done."""


def sweep(
    opeka: Opeka,
    *,
    today: dt.date,
    actor: Actor,
    on_destroyed: OnDestroyed | None = None,
    withdraw: Withdraw = consent_withdraw,
    calendar: ProductionCalendar = DEFAULT_CALENDAR,
) -> SweepReport:
    """Execute verified automatic requests, then every scheduled action due by ``today``."""
    report = SweepReport()
    with read_only(opeka.data_engine) as conn:
        waiting = verified_automatic(conn)
    for request_id in waiting:
        try:
            done = execute(
                opeka,
                request_id=request_id,
                actor=actor,
                withdraw=withdraw,
                calendar=calendar,
                skip_locked=True,
            )
        except Exception as exc:  # one failing request must not stop the others
            log.warning("request %s failed: %s", request_id, type(exc).__name__)
            report.failures.append(SweepFailure(request_id, None, type(exc).__name__))
            continue
        if done is None:
            report.skipped += 1
        else:
            report.executed.append(done)
            if done.closed:
                report.closed_requests.append(done.number)
    with read_only(opeka.data_engine) as conn:
        due = actions.due_ids(conn, today)
    for action_id in due:
        _sweep_action(opeka, action_id, today=today, actor=actor, hook=on_destroyed, into=report)
    return report


def sweep_now(opeka: Opeka) -> SweepReport:
    """One sweep for today (Moscow), as the scheduler of ``opeka serve`` runs it.

    Every destruction it carries out is written into an act of destruction (Order 179) in the
    same unit of work.
    """
    actor = Actor.system("requests-sweep")
    return sweep(opeka, today=moscow_today(), actor=actor, on_destroyed=acts.for_sweep(actor))


def _sweep_action(
    opeka: Opeka,
    action_id: uuid.UUID,
    *,
    today: dt.date,
    actor: Actor,
    hook: OnDestroyed | None,
    into: SweepReport,
) -> None:
    try:
        outcome = _perform(opeka, action_id, today=today, actor=actor, hook=hook)
    except Exception as exc:  # rolled back; counted, and retried at the next sweep
        log.warning("scheduled action %s failed: %s", action_id, type(exc).__name__)
        with opeka.data_engine.begin() as conn:
            actions.record_failure(conn, action_id, type(exc).__name__)
        into.failures.append(SweepFailure(None, action_id, type(exc).__name__))
        return
    if outcome is None:
        into.skipped += 1
        return
    item, closed = outcome
    into.destroyed.append(item)
    if closed and item.request_number:
        into.closed_requests.append(item.request_number)


def _perform(
    opeka: Opeka, action_id: uuid.UUID, *, today: dt.date, actor: Actor, hook: OnDestroyed | None
) -> tuple[SweepItem, bool] | None:
    """Claim, destroy, mark done and close the request — one transaction."""
    with opeka.processing(actor, DUTY) as p:
        conn = p.uow.data
        action = actions.claim(conn, action_id, today)
        if action is None:
            return None
        request = store.get(conn, action.request_id) if action.request_id else None
        number = request.number if request else None
        if subjects.load(conn, action.subject_id).status is Status.DESTROYED:
            journal_step(
                p.uow,
                actor=actor,
                number=number,
                subject_id=action.subject_id,
                text="уничтожение не требуется: данные уже уничтожены",
            )
            item = _item(action, number, None)
        else:
            result = p.destroy(
                action.subject_id,
                reason_code=action.reason_code,
                note=f"запрос {number}" if number else "",
                capture_identifier=True,
            )
            item = _item(action, number, result)
            if hook is not None:
                hook(p.uow, item)
        actions.mark_done(conn, action.id)
        closed = request is not None and _close_if_finished(p.uow, request.id, actor)
        return item, closed


def _item(
    action: actions.ActionRow, number: str | None, result: DestructionResult | None
) -> SweepItem:
    return SweepItem(
        action_id=action.id,
        subject_id=action.subject_id,
        request_id=action.request_id,
        request_number=number,
        reason_code=action.reason_code,
        destroyed=result is not None,
        category=result.category if result else "",
        fields=result.fields if result else (),
        data_categories=result.data_categories if result else (),
        reason=result.reason if result else "",
        destroyed_at=result.destroyed_at if result else None,
        identifier=result.identifier if result else None,
    )


def _close_if_finished(uow: UnitOfWork, request_id: uuid.UUID, actor: Actor) -> bool:
    """Close a request in progress once none of its actions is pending; True if closed."""
    request = store.require(uow.data, request_id, lock=True)
    if request.status is not RequestStatus.IN_PROGRESS:
        return False
    if actions.pending_for_request(uow.data, request_id):
        return False
    service.complete(uow, request_id=request_id, result="данные субъекта уничтожены", actor=actor)
    return True
