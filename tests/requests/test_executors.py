"""Executing withdrawals, blockings and destruction demands through the spine."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from typing import Literal

import pytest
from sqlalchemy import select
from tests.requests.support import (
    STAFF,
    collect_client,
    collect_visitor,
    load,
    msk,
    open_request,
    verify,
)

from opeka.app import Opeka
from opeka.consent import grants
from opeka.consent.withdrawal import WithdrawalOutcome
from opeka.db.requests import scheduled_action
from opeka.policy.errors import NoLegalBasis, SubjectBlocked
from opeka.policy.schema import Deadline
from opeka.processing import ConsentEvidence, subjects
from opeka.processing.subjects import Status
from opeka.requests import service
from opeka.requests.errors import NotAutomatic, NotVerified, SubjectRequired
from opeka.requests.executors import execute, execute_withdrawal
from opeka.requests.states import RequestStatus

D = dt.date
CONSENT = ConsentEvidence("portal", "согласие в личном кабинете, версия 2")


def client_with_consents(opeka: Opeka, i: int, purposes: list[str]) -> uuid.UUID:
    sid = collect_client(opeka, i)
    with opeka.unit_of_work() as uow:
        grants.record(uow.data, subject_id=sid, purposes=purposes, evidence=CONSENT)
    return sid


def active(opeka: Opeka, sid: uuid.UUID, purpose: str) -> bool:
    with opeka.data_engine.connect() as conn:
        return grants.has_active(conn, subject_id=sid, purpose=purpose)


def status_of(opeka: Opeka, sid: uuid.UUID) -> Status:
    with opeka.data_engine.connect() as conn:
        return subjects.load(conn, sid).status


def actions_of(opeka: Opeka, request_id: uuid.UUID) -> list[tuple[str, dt.date, str, str]]:
    with opeka.data_engine.connect() as conn:
        rows = conn.execute(
            select(
                scheduled_action.c.action,
                scheduled_action.c.due_date,
                scheduled_action.c.reason_code,
                scheduled_action.c.status,
            ).where(scheduled_action.c.request_id == request_id)
        ).all()
    return [tuple(r) for r in rows]


def withdraw(opeka: Opeka, sid: uuid.UUID, purposes: list[str], received: dt.datetime) -> uuid.UUID:
    row = open_request(opeka, "withdrawal", received, subject_id=sid, purposes=purposes)
    verify(opeka, row.id)
    execute_withdrawal(opeka, request_id=row.id, actor=STAFF)
    return row.id


def test_withdrawing_one_purpose_stops_it_at_once_and_keeps_the_rest(shared: Opeka) -> None:
    sid = client_with_consents(shared, 1, ["2.2.3", "2.2.5"])
    request_id = withdraw(shared, sid, ["2.2.3"], msk(2026, 3, 2))
    assert not active(shared, sid, "2.2.3")
    assert active(shared, sid, "2.2.5")
    with pytest.raises(NoLegalBasis), shared.processing(STAFF, "2.2.3") as p:
        p.read(sid, ["email"])
    with shared.processing(STAFF, "2.2.7") as p:  # the contract still stands
        assert p.read(sid, ["email"])
    done = load(shared, request_id)
    assert done.status is RequestStatus.DONE
    assert done.result == "согласие отозвано: цели 2.2.3"
    assert status_of(shared, sid) is Status.ACTIVE
    assert actions_of(shared, request_id) == []


def test_withdrawing_every_consent_blocks_and_schedules_destruction(shared: Opeka) -> None:
    sid = client_with_consents(shared, 2, ["2.2.3", "2.2.5"])
    request_id = withdraw(shared, sid, ["*"], msk(2026, 1, 10))
    assert not active(shared, sid, "2.2.3")
    assert not active(shared, sid, "2.2.5")
    assert status_of(shared, sid) is Status.BLOCKED
    with pytest.raises(SubjectBlocked), shared.processing(STAFF, "2.2.7") as p:
        p.read(sid, ["email"])
    assert actions_of(shared, request_id) == [
        ("destroy", D(2026, 2, 9), "withdrawal", "pending")  # received + 30 calendar days
    ]
    assert load(shared, request_id).status is RequestStatus.IN_PROGRESS


def test_a_visitor_with_no_consent_left_is_blocked(shared: Opeka) -> None:
    sid = collect_visitor(shared, 3, ("2.2.8", "2.2.9"))
    first = withdraw(shared, sid, ["2.2.8"], msk(2026, 2, 2))
    assert status_of(shared, sid) is Status.ACTIVE  # 2.2.9 still stands
    assert load(shared, first).status is RequestStatus.DONE
    second = withdraw(shared, sid, ["2.2.9"], msk(2026, 2, 5))
    assert status_of(shared, sid) is Status.BLOCKED
    assert actions_of(shared, second) == [("destroy", D(2026, 3, 7), "withdrawal", "pending")]


def test_the_operator_s_shorter_withdrawal_term_is_used(shared: Opeka) -> None:
    deadlines = {
        **shared.policy.deadlines,
        "withdrawal_destruction": Deadline(days=10, unit="calendar", clause="5.3"),
    }
    shorter = Opeka(
        shared.settings, policy=shared.policy.model_copy(update={"deadlines": deadlines})
    )
    try:
        sid = collect_visitor(shorter, 4, ("2.2.8",))
        request_id = withdraw(shorter, sid, ["2.2.8"], msk(2026, 2, 2))
    finally:
        shorter.close()
    assert actions_of(shared, request_id) == [("destroy", D(2026, 2, 12), "withdrawal", "pending")]


def test_withdrawal_goes_through_the_given_withdraw_function(shared: Opeka) -> None:
    sid = client_with_consents(shared, 5, ["2.2.3"])
    calls: list[tuple[uuid.UUID, object]] = []

    def record(
        uow: object,
        *,
        actor: object,
        subject_id: uuid.UUID,
        purposes: Collection[str] | Literal["all"],
        channel: str,
    ) -> WithdrawalOutcome:
        calls.append((subject_id, purposes if isinstance(purposes, str) else list(purposes)))
        return WithdrawalOutcome(purposes_withdrawn=(), remaining_basis=True, records=())

    row = open_request(shared, "withdrawal", msk(2026, 3, 2), subject_id=sid, purposes=["2.2.3"])
    verify(shared, row.id)
    execute_withdrawal(shared, request_id=row.id, actor=STAFF, withdraw=record)
    assert calls == [(sid, ["2.2.3"])]
    assert active(shared, sid, "2.2.3")  # the fake withdrew nothing


def test_an_unverified_withdrawal_is_not_executed(shared: Opeka) -> None:
    sid = client_with_consents(shared, 6, ["2.2.3"])
    row = open_request(shared, "withdrawal", msk(2026, 3, 2), subject_id=sid, purposes=["2.2.3"])
    with pytest.raises(NotVerified):
        execute_withdrawal(shared, request_id=row.id, actor=STAFF)
    assert active(shared, sid, "2.2.3")
    assert load(shared, row.id).status is RequestStatus.RECEIVED


def test_a_withdrawal_without_a_subject_is_not_executed(shared: Opeka) -> None:
    row = open_request(shared, "withdrawal", msk(2026, 3, 2), purposes=["*"])
    verify(shared, row.id)
    with pytest.raises(SubjectRequired):
        execute_withdrawal(shared, request_id=row.id, actor=STAFF)
    assert load(shared, row.id).status is RequestStatus.VERIFIED  # rolled back


def test_a_manual_kind_is_not_executed_automatically(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 3, 2))
    verify(shared, row.id)
    with pytest.raises(NotAutomatic):
        execute(shared, request_id=row.id, actor=STAFF)
    with pytest.raises(NotAutomatic):
        execute_withdrawal(shared, request_id=row.id, actor=STAFF)


def test_a_blocking_request_blocks_at_once_and_closes(shared: Opeka) -> None:
    sid = collect_client(shared, 7)
    row = open_request(shared, "blocking", msk(2026, 3, 2), subject_id=sid)
    verify(shared, row.id)
    done = execute(shared, request_id=row.id, actor=STAFF)
    assert done is not None
    assert (done.blocked, done.closed) == (True, True)
    assert status_of(shared, sid) is Status.BLOCKED
    assert load(shared, row.id).status is RequestStatus.DONE


def test_a_destruction_demand_blocks_and_schedules_at_its_due_date(shared: Opeka) -> None:
    sid = collect_client(shared, 8)
    row = open_request(shared, "destruction", msk(2026, 2, 20), subject_id=sid)
    verify(shared, row.id)
    done = execute(shared, request_id=row.id, actor=STAFF)
    assert done is not None
    assert done.destruction_due == D(2026, 3, 4)
    assert status_of(shared, sid) is Status.BLOCKED
    assert actions_of(shared, row.id) == [("destroy", D(2026, 3, 4), "demand", "pending")]


def test_refusing_a_request_cancels_its_pending_destruction(shared: Opeka) -> None:
    sid = collect_client(shared, 9)
    row = open_request(shared, "destruction", msk(2026, 2, 20), subject_id=sid)
    verify(shared, row.id)
    execute(shared, request_id=row.id, actor=STAFF)
    with shared.unit_of_work() as uow:
        service.refuse(
            uow,
            request_id=row.id,
            reason="данные обрабатываются по договору (152-ФЗ ст. 6 ч. 1 п. 5)",
            actor=STAFF,
        )
    assert actions_of(shared, row.id) == [("destroy", D(2026, 3, 4), "demand", "cancelled")]
    assert status_of(shared, sid) is Status.BLOCKED  # staff lift the block through the spine
