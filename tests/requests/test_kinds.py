"""Each kind's term: the statutory key, pinned due dates on the production calendar, policy caps."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from tests.requests.support import msk, open_request

from opeka.app import Opeka
from opeka.db.requests import subject_request
from opeka.policy.law import STATUTORY_TERMS
from opeka.policy.schema import Deadline
from opeka.requests.deadlines import Term
from opeka.requests.kinds import KINDS, RequestKind, extension_term, kind_term

D = dt.date


def test_every_kind_maps_to_a_statutory_term() -> None:
    assert set(KINDS) == set(RequestKind)
    for spec in KINDS.values():
        assert spec.term_key in STATUTORY_TERMS
        assert spec.extension_key is None or spec.extension_key in STATUTORY_TERMS


def test_without_policy_terms_each_kind_gets_the_law_s_term() -> None:
    terms = {kind: kind_term(kind, {}) for kind in RequestKind}
    assert terms == {
        RequestKind.ACCESS: Term.working(10),
        RequestKind.QUESTION: Term.working(10),
        RequestKind.RECTIFICATION: Term.working(7),
        RequestKind.BLOCKING: Term.working(0),
        RequestKind.WITHDRAWAL: Term.calendar(30),
        RequestKind.DESTRUCTION: Term.working(7),
        RequestKind.STOP_PROCESSING: Term.working(10),
        RequestKind.UNLAWFUL_PROCESSING: Term.working(3),
    }


def test_only_answers_and_stop_demands_can_be_extended() -> None:
    extendable = {kind for kind in RequestKind if extension_term(kind, {}) is not None}
    assert extendable == {RequestKind.ACCESS, RequestKind.QUESTION, RequestKind.STOP_PROCESSING}
    assert extension_term(RequestKind.ACCESS, {}) == Term.working(5)


@pytest.mark.parametrize(
    ("kind", "received", "due"),
    [
        ("access", D(2025, 12, 26), D(2026, 1, 21)),  # over the New Year holidays
        ("question", D(2025, 12, 26), D(2026, 1, 21)),
        ("stop_processing", D(2025, 12, 26), D(2026, 1, 21)),
        ("rectification", D(2025, 2, 20), D(2025, 3, 3)),  # over 23 February
        ("destruction", D(2025, 2, 20), D(2025, 3, 3)),
        ("blocking", D(2025, 12, 26), D(2025, 12, 26)),  # at once: the day of receipt
        ("withdrawal", D(2025, 12, 26), D(2026, 1, 25)),  # 30 calendar days, even a Sunday
        ("unlawful_processing", D(2025, 10, 29), D(2025, 11, 1)),  # a working Saturday
    ],
)
def test_pinned_due_date_per_kind(
    shared: Opeka, kind: str, received: dt.date, due: dt.date
) -> None:
    purposes = ["*"] if kind == "withdrawal" else []
    at = msk(received.year, received.month, received.day, 16, 45)
    row = open_request(shared, kind, at, purposes=purposes)
    assert row.due_date == due
    assert row.effective_due == due


def test_day_zero_is_the_date_of_receipt_in_moscow(shared: Opeka) -> None:
    # 23:30 UTC on Monday 2 February is 02:30 on Tuesday 3 February in Moscow.
    late = dt.datetime(2026, 2, 2, 23, 30, tzinfo=dt.UTC)
    early = dt.datetime(2026, 2, 2, 20, 30, tzinfo=dt.UTC)
    assert open_request(shared, "access", late).due_date == D(2026, 2, 17)
    assert open_request(shared, "access", early).due_date == D(2026, 2, 16)


def with_deadline(opeka: Opeka, key: str, days: int, unit: str) -> Opeka:
    """Another Opeka on the same store whose policy sets ``key`` to ``days``."""
    deadlines = {**opeka.policy.deadlines, key: Deadline(days=days, unit=unit, clause="5.3")}
    policy = opeka.policy.model_copy(update={"deadlines": deadlines})
    return Opeka(opeka.settings, policy=policy)


def count_requests(opeka: Opeka) -> int:
    with opeka.data_engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(subject_request)).scalar_one())


def test_the_operator_may_shorten_a_term(shared: Opeka) -> None:
    shorter = with_deadline(shared, "access", 5, "working")
    try:
        row = open_request(shorter, "access", msk(2026, 3, 2))
    finally:
        shorter.close()
    assert row.due_date == D(2026, 3, 10)  # 5 working days, not 10 (17.03)


def test_a_policy_term_longer_than_the_law_is_refused_and_nothing_is_stored(
    shared: Opeka,
) -> None:
    before = count_requests(shared)
    longer = with_deadline(shared, "rectification", 8, "working")
    try:
        with pytest.raises(ValueError, match="longer than the law's maximum"):
            open_request(longer, "rectification", msk(2026, 3, 2))
    finally:
        longer.close()
    assert count_requests(shared) == before


def test_a_policy_term_in_another_unit_is_refused(shared: Opeka) -> None:
    other_unit = with_deadline(shared, "withdrawal_destruction", 20, "working")
    try:
        with pytest.raises(ValueError, match="calendar days"):
            open_request(other_unit, "withdrawal", msk(2026, 3, 2), purposes=["*"])
    finally:
        other_unit.close()
