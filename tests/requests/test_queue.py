"""The console's queue: open requests by deadline in force, overdue and due soon marked."""

from __future__ import annotations

import datetime as dt

from tests.requests.support import STAFF, msk, open_request, verify

from opeka.app import Opeka
from opeka.requests import service
from opeka.requests.extension import extend
from opeka.requests.queue import queue

D = dt.date
TODAY = D(2026, 2, 16)  # Monday


def test_the_queue_sorts_by_deadline_and_marks_each(opeka: Opeka) -> None:
    late = open_request(opeka, "rectification", msk(2026, 2, 2))  # due 11.02: overdue
    soon = open_request(opeka, "access", msk(2026, 2, 4))  # due 18.02: within 2 working days
    later = open_request(opeka, "access", msk(2026, 2, 12))  # due 27.02: on time
    today = open_request(opeka, "blocking", msk(2026, 2, 16))  # due today: due soon
    closed = open_request(opeka, "question", msk(2026, 1, 12))
    with opeka.unit_of_work() as uow:
        service.refuse(uow, request_id=closed.id, reason="не относится к ПДн", actor=STAFF)
    verify(opeka, soon.id)

    with opeka.data_engine.connect() as conn:
        rows = queue(conn, today=TODAY)
    assert [(r.number, r.due, r.deadline) for r in rows] == [
        (late.number, D(2026, 2, 11), "overdue"),
        (today.number, D(2026, 2, 16), "due_soon"),
        (soon.number, D(2026, 2, 18), "due_soon"),
        (later.number, D(2026, 2, 27), "on_time"),
    ]
    assert [r.verified for r in rows] == [False, False, True, False]
    assert rows[0].received_on == D(2026, 2, 2)
    with opeka.data_engine.connect() as conn:  # unverified requests go overdue like any other
        (only,) = queue(conn, today=TODAY, overdue_only=True)
    assert (only.number, only.verified, only.deadline) == (late.number, False, "overdue")


def test_an_extended_request_is_placed_by_its_new_deadline(opeka: Opeka) -> None:
    extended = open_request(opeka, "access", msk(2026, 2, 2))  # 16.02 → 24.02
    other = open_request(opeka, "access", msk(2026, 2, 5))  # 19.02
    with opeka.unit_of_work() as uow:
        extend(
            uow, request_id=extended.id, reason="нужна выборка из архива", actor=STAFF, today=TODAY
        )
    with opeka.data_engine.connect() as conn:
        rows = queue(conn, today=TODAY)
    assert [(r.number, r.due, r.extended) for r in rows] == [
        (other.number, D(2026, 2, 19), False),
        (extended.number, D(2026, 2, 24), True),
    ]
    with opeka.data_engine.connect() as conn:
        assert queue(conn, today=TODAY, overdue_only=True) == []
