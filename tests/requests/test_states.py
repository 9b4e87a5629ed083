"""The request state machine: every allowed and refused transition, then through the service."""

from __future__ import annotations

import itertools

import pytest
from tests.requests.support import STAFF, journal, load, msk, open_request, reasons, verify

from opeka.app import Opeka
from opeka.db.requests import request_event
from opeka.requests import service, store
from opeka.requests.errors import NotVerified, TransitionRefused
from opeka.requests.states import ALLOWED, OPEN, RequestStatus, check_transition

S = RequestStatus
EXPECTED_ALLOWED = {
    (S.RECEIVED, S.VERIFIED),
    (S.RECEIVED, S.REFUSED),
    (S.VERIFIED, S.IN_PROGRESS),
    (S.VERIFIED, S.REFUSED),
    (S.IN_PROGRESS, S.DONE),
    (S.IN_PROGRESS, S.REFUSED),
}
ALL_PAIRS = list(itertools.product(RequestStatus, RequestStatus))


def test_the_table_allows_exactly_the_documented_steps() -> None:
    assert {(a, b) for a, targets in ALLOWED.items() for b in targets} == EXPECTED_ALLOWED
    assert frozenset(s for s in RequestStatus if ALLOWED[s]) == OPEN


@pytest.mark.parametrize(("current", "target"), sorted(EXPECTED_ALLOWED))
def test_allowed_transition_passes(current: RequestStatus, target: RequestStatus) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"), [pair for pair in ALL_PAIRS if pair not in EXPECTED_ALLOWED]
)
def test_refused_transition_raises(current: RequestStatus, target: RequestStatus) -> None:
    with pytest.raises(TransitionRefused) as caught:
        check_transition(current, target)
    assert (caught.value.current, caught.value.target) == (current, target)
    assert caught.value.message_ru.startswith("запрос со статусом")


@pytest.mark.parametrize("target", [S.IN_PROGRESS, S.DONE])
def test_executing_an_unverified_request_is_refused_as_not_verified(
    target: RequestStatus,
) -> None:
    with pytest.raises(NotVerified, match="not verified"):
        check_transition(S.RECEIVED, target)


# --- through the service -------------------------------------------------------------------------


def test_a_request_goes_through_every_step_with_events_and_journal(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    assert row.status is S.RECEIVED
    verify(shared, row.id)
    with shared.unit_of_work() as uow:
        service.start(uow, request_id=row.number, actor=STAFF)
    with shared.unit_of_work() as uow:
        done = service.complete(uow, request_id=row.id, result="сведения направлены", actor=STAFF)
    assert done.status is S.DONE
    assert done.assigned_to == "staff:ivanova"
    assert done.closed_at is not None
    assert done.verification_evidence == "паспорт РФ, проверен лично"
    with shared.data_engine.connect() as conn:
        steps = [(e.from_status, e.to_status) for e in store.events(conn, row.id)]
    assert steps == [
        (None, "received"),
        ("received", "verified"),
        ("verified", "in_progress"),
        ("in_progress", "done"),
    ]
    assert reasons(shared, row.number)[1:] == [
        f"запрос {row.number}: received → verified",
        f"запрос {row.number}: verified → in_progress",
        f"запрос {row.number}: in_progress → done",
    ]
    steps_journaled = [e for e in journal(shared) if e.reason.startswith(f"запрос {row.number}")]
    assert {(e.action, e.purpose, e.basis) for e in steps_journaled} == {
        ("использование", "legal.subject_rights", "152-ФЗ ст. 6 ч. 1 п. 2")
    }


def test_starting_an_unverified_request_is_refused(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    with pytest.raises(NotVerified), shared.unit_of_work() as uow:
        service.start(uow, request_id=row.id, actor=STAFF)
    assert load(shared, row.id).status is S.RECEIVED


def test_completing_an_unverified_request_is_refused(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    with pytest.raises(NotVerified), shared.unit_of_work() as uow:
        service.complete(uow, request_id=row.id, result="ответ дан", actor=STAFF)


def test_completing_before_start_is_refused(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    verify(shared, row.id)
    with pytest.raises(TransitionRefused), shared.unit_of_work() as uow:
        service.complete(uow, request_id=row.id, result="ответ дан", actor=STAFF)


def test_verifying_twice_is_refused(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    verify(shared, row.id)
    with pytest.raises(TransitionRefused):
        verify(shared, row.id)


def test_a_refused_request_is_final(shared: Opeka) -> None:
    row = open_request(shared, "question", msk(2026, 2, 2))
    with shared.unit_of_work() as uow:
        refused = service.refuse(
            uow,
            request_id=row.id,
            reason="личность заявителя не подтверждена (152-ФЗ ст. 14 ч. 3)",
            actor=STAFF,
        )
    assert refused.status is S.REFUSED
    assert refused.refusal_reason == "личность заявителя не подтверждена (152-ФЗ ст. 14 ч. 3)"
    with pytest.raises(TransitionRefused):
        verify(shared, row.id)
    with pytest.raises(TransitionRefused), shared.unit_of_work() as uow:
        service.refuse(uow, request_id=row.id, reason="повторно", actor=STAFF)


def test_a_done_request_cannot_be_refused(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    verify(shared, row.id)
    with shared.unit_of_work() as uow:
        service.start(uow, request_id=row.id, actor=STAFF)
        service.complete(uow, request_id=row.id, result="ответ дан", actor=STAFF)
    with pytest.raises(TransitionRefused), shared.unit_of_work() as uow:
        service.refuse(uow, request_id=row.id, reason="ошибка", actor=STAFF)


def test_a_refused_step_changes_nothing(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    with shared.data_engine.connect() as conn:
        before = conn.execute(request_event.select()).all()
    entries = len(journal(shared))
    with pytest.raises(NotVerified), shared.unit_of_work() as uow:
        service.start(uow, request_id=row.id, actor=STAFF)
    with shared.data_engine.connect() as conn:
        assert conn.execute(request_event.select()).all() == before
    assert len(journal(shared)) == entries
