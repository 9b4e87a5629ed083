"""The sweep: only what is due, once; crash in the middle leaves nothing half-done."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import uuid

import pytest
from sqlalchemy import func, select
from tests.requests.support import (
    STAFF,
    SWEEPER,
    collect_client,
    collect_visitor,
    journal,
    load,
    msk,
    open_request,
    verify,
)

from opeka.app import Opeka
from opeka.db.keys import subject_key
from opeka.db.requests import scheduled_action
from opeka.processing import subjects
from opeka.processing.subjects import Status
from opeka.requests.executors import execute_withdrawal
from opeka.requests.states import RequestStatus
from opeka.requests.sweep import SweepItem, sweep
from opeka.settings import Settings
from opeka.uow import UnitOfWork

D = dt.date
JOIN_TIMEOUT = 60.0


def withdraw_all(opeka: Opeka, sid: uuid.UUID, received: dt.datetime) -> uuid.UUID:
    """A verified, executed withdrawal of every consent; destruction due at receipt + 30 days."""
    row = open_request(opeka, "withdrawal", received, subject_id=sid, purposes=["*"])
    verify(opeka, row.id)
    execute_withdrawal(opeka, request_id=row.id, actor=STAFF)
    return row.id


def status_of(opeka: Opeka, sid: uuid.UUID) -> Status:
    with opeka.data_engine.connect() as conn:
        return subjects.load(conn, sid).status


def has_key(opeka: Opeka, sid: uuid.UUID) -> bool:
    with opeka.keys_engine.connect() as conn:
        query = select(func.count()).where(subject_key.c.subject_id == sid)
        return bool(conn.execute(query).scalar_one())


def action_state(opeka: Opeka, request_id: uuid.UUID) -> tuple[str, int, str | None]:
    with opeka.data_engine.connect() as conn:
        row = conn.execute(
            select(
                scheduled_action.c.status,
                scheduled_action.c.attempts,
                scheduled_action.c.last_error,
            ).where(scheduled_action.c.request_id == request_id)
        ).one()
    return row.status, row.attempts, row.last_error


def destructions(opeka: Opeka, sid: uuid.UUID) -> int:
    return sum(1 for e in journal(opeka) if e.subject_id == sid and e.action == "уничтожение")


def test_sweep_destroys_only_what_is_due_closes_the_request_and_is_idempotent(opeka: Opeka) -> None:
    due = collect_client(opeka, 1)
    not_yet = collect_client(opeka, 2)
    due_request = withdraw_all(opeka, due, msk(2026, 1, 10))  # destroy by 09.02
    later_request = withdraw_all(opeka, not_yet, msk(2026, 1, 20))  # destroy by 19.02

    assert sweep(opeka, today=D(2026, 2, 8), actor=SWEEPER).destroyed == []
    report = sweep(opeka, today=D(2026, 2, 9), actor=SWEEPER)

    (item,) = report.destroyed
    assert (item.subject_id, item.destroyed, item.reason_code) == (due, True, "withdrawal")
    assert item.identifier is not None
    assert item.identifier.endswith("Пётр")  # the name for the act, returned only
    assert item.identifier not in repr(report)
    assert "user.contact.email" in item.data_categories
    assert report.closed_requests == [load(opeka, due_request).number]
    assert status_of(opeka, due) is Status.DESTROYED
    assert not has_key(opeka, due)
    assert status_of(opeka, not_yet) is Status.BLOCKED
    done = load(opeka, due_request)
    assert (done.status, done.result) == (RequestStatus.DONE, "данные субъекта уничтожены")
    assert load(opeka, later_request).status is RequestStatus.IN_PROGRESS
    assert action_state(opeka, later_request) == ("pending", 0, None)

    entries = len(journal(opeka))  # the same day again: nothing left to do
    again = sweep(opeka, today=D(2026, 2, 9), actor=SWEEPER)
    assert (again.destroyed, again.executed, again.failures, again.skipped) == ([], [], [], 0)
    assert len(journal(opeka)) == entries
    assert destructions(opeka, due) == 1


def test_sweep_executes_verified_withdrawals_and_leaves_unverified_ones_waiting(
    opeka: Opeka,
) -> None:
    sid = collect_visitor(opeka, 1, ("2.2.8",))
    waiting = collect_visitor(opeka, 2, ("2.2.8",))
    row = open_request(opeka, "withdrawal", msk(2026, 1, 10), subject_id=sid, purposes=["2.2.8"])
    unverified = open_request(
        opeka, "withdrawal", msk(2026, 1, 10), subject_id=waiting, purposes=["2.2.8"]
    )
    verify(opeka, row.id)  # not executed yet: the sweep picks it up
    report = sweep(opeka, today=D(2026, 2, 9), actor=SWEEPER)
    assert [(e.number, e.blocked, e.destruction_due) for e in report.executed] == [
        (row.number, True, D(2026, 2, 9))
    ]
    assert [i.subject_id for i in report.destroyed] == [sid]  # due the same day: destroyed
    assert load(opeka, row.id).status is RequestStatus.DONE
    assert load(opeka, unverified.id).status is RequestStatus.RECEIVED
    assert status_of(opeka, waiting) is Status.ACTIVE


def test_an_exception_after_destroy_rolls_back_both_and_the_next_sweep_finishes(
    opeka: Opeka,
) -> None:
    sid = collect_client(opeka, 1)
    other = collect_client(opeka, 2)
    request_id = withdraw_all(opeka, sid, msk(2026, 1, 10))
    withdraw_all(opeka, other, msk(2026, 1, 10))

    def crash(_uow: UnitOfWork, item: SweepItem) -> None:
        assert item.destroyed
        if item.subject_id == sid:
            raise RuntimeError("crash between destroy and marking the action done")

    failed = sweep(opeka, today=D(2026, 2, 9), actor=SWEEPER, on_destroyed=crash)
    assert [f.error for f in failed.failures] == ["RuntimeError"]
    assert [i.subject_id for i in failed.destroyed] == [other]  # the others still run
    assert status_of(opeka, sid) is Status.BLOCKED  # the destruction was rolled back
    assert has_key(opeka, sid)
    with opeka.processing(STAFF, "legal.subject_rights") as p:
        assert p.read(sid, ["email"]) == {"email": "client1@example.org"}
    assert action_state(opeka, request_id) == ("pending", 1, "RuntimeError")
    assert destructions(opeka, sid) == 0

    finished = sweep(opeka, today=D(2026, 2, 10), actor=SWEEPER)
    assert [i.subject_id for i in finished.destroyed] == [sid]
    assert status_of(opeka, sid) is Status.DESTROYED
    assert action_state(opeka, request_id) == ("done", 1, None)
    assert load(opeka, request_id).status is RequestStatus.DONE
    assert destructions(opeka, sid) == 1


def test_an_action_for_a_subject_already_destroyed_is_closed_without_destroying(
    opeka: Opeka,
) -> None:
    sid = collect_client(opeka, 1)
    request_id = withdraw_all(opeka, sid, msk(2026, 1, 10))
    with opeka.processing(STAFF, "legal.subject_rights") as p:
        p.destroy(sid, reason_code="demand")
    report = sweep(opeka, today=D(2026, 2, 9), actor=SWEEPER)
    (item,) = report.destroyed
    assert (item.destroyed, item.identifier) == (False, None)
    assert action_state(opeka, request_id)[0] == "done"
    assert load(opeka, request_id).status is RequestStatus.DONE
    assert destructions(opeka, sid) == 1


# --- kill -9 in the middle --------------------------------------------------------------------


def kill_self(_uow: UnitOfWork, _item: SweepItem) -> None:
    """The sweep's hook in the child: SIGKILL right after the destroy, before the commit."""
    os.kill(os.getpid(), signal.SIGKILL)


def sweep_and_die(settings: Settings) -> None:
    """Body of the child process."""
    opeka = Opeka(settings)
    sweep(opeka, today=D(2026, 2, 9), actor=SWEEPER, on_destroyed=kill_self)


def test_kill_9_between_destroy_and_commit_leaves_nothing_half_done(opeka: Opeka) -> None:
    sid = collect_client(opeka, 1)
    request_id = withdraw_all(opeka, sid, msk(2026, 1, 10))
    child = multiprocessing.get_context("spawn").Process(
        target=sweep_and_die, args=(opeka.settings,)
    )
    child.start()
    child.join(JOIN_TIMEOUT)
    assert child.exitcode == -signal.SIGKILL

    assert status_of(opeka, sid) is Status.BLOCKED
    assert has_key(opeka, sid)
    assert action_state(opeka, request_id) == ("pending", 0, None)
    assert load(opeka, request_id).status is RequestStatus.IN_PROGRESS
    assert destructions(opeka, sid) == 0

    report = sweep(opeka, today=D(2026, 2, 9), actor=SWEEPER)
    assert [i.subject_id for i in report.destroyed] == [sid]
    assert status_of(opeka, sid) is Status.DESTROYED
    assert not has_key(opeka, sid)
    assert load(opeka, request_id).status is RequestStatus.DONE
    assert destructions(opeka, sid) == 1


@pytest.mark.parametrize("hour", [0, 23])
def test_day_boundaries_do_not_move_the_destruction_date(shared: Opeka, hour: int) -> None:
    sid = collect_client(shared, 10 + hour)
    request_id = withdraw_all(shared, sid, msk(2026, 1, 10, hour, 30))
    with shared.data_engine.connect() as conn:
        due = conn.execute(
            select(scheduled_action.c.due_date).where(scheduled_action.c.request_id == request_id)
        ).scalar_one()
    assert due == D(2026, 2, 9)
