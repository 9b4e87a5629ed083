"""Deadlines of data-subject requests: pinned dates, policy terms, properties."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opeka.policy.law import STATUTORY_TERMS
from opeka.policy.schema import Deadline
from opeka.requests.calendar import RussianProductionCalendar
from opeka.requests.deadlines import (
    Term,
    due_date,
    extended_due,
    grace_date,
    status,
    term_for,
)

D = dt.date
CAL = RussianProductionCalendar()
DATES = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))
DAYS = st.integers(min_value=0, max_value=40)
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Configured:
    """Stands in for the policy's ``Deadline`` (days and unit)."""

    days: int
    unit: str


def wd(received: dt.date, n: int) -> dt.date:
    return due_date(received=received, term=Term.working(n), calendar=CAL)


# --- pinned dates -------------------------------------------------------------------------------


def test_access_request_over_new_year_with_extension() -> None:
    due = wd(D(2025, 12, 26), 10)
    assert due == D(2026, 1, 21)
    assert extended_due(due=due, extension=Term.working(5), calendar=CAL) == D(2026, 1, 28)


def test_stop_unlawful_processing_ends_on_working_saturday() -> None:
    assert wd(D(2025, 10, 29), 3) == D(2025, 11, 1)


def test_rectification_after_february_holidays() -> None:
    assert wd(D(2025, 2, 20), 7) == D(2025, 3, 3)


def test_blocking_is_due_on_the_day_of_receipt() -> None:
    term = term_for("blocking", {})
    assert term == Term.working(0)
    assert due_date(received=D(2026, 1, 3), term=term, calendar=CAL) == D(2026, 1, 3)


def test_calendar_days_are_counted_strictly() -> None:
    term = term_for("withdrawal_destruction", {})
    assert term == Term.calendar(30)
    # 30.10.2025 + 30 CD = 29.11.2025, a Saturday: the deadline stays there.
    due = due_date(received=D(2025, 10, 30), term=term, calendar=CAL)
    assert due == D(2025, 11, 29)
    assert grace_date(due, CAL) == D(2025, 12, 1)
    # 01.12.2025 + 30 CD = 31.12.2025, a transferred day off: grace runs to 12.01.2026.
    due = due_date(received=D(2025, 12, 1), term=term, calendar=CAL)
    assert due == D(2025, 12, 31)
    assert grace_date(due, CAL) == D(2026, 1, 12)


def test_grace_date_of_a_working_day_is_itself() -> None:
    assert grace_date(D(2025, 11, 1), CAL) == D(2025, 11, 1)


def test_datetime_receipt_is_refused() -> None:
    with pytest.raises(TypeError, match="date"):
        due_date(received=dt.datetime(2026, 1, 12, 10, 0), term=Term.working(10), calendar=CAL)


# --- terms --------------------------------------------------------------------------------------


def test_term_validation() -> None:
    with pytest.raises(ValueError, match="negative"):
        Term.working(-1)
    with pytest.raises(ValueError, match="unit"):
        Term(3, "hours")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("term", "text"),
    [
        (Term.working(1), "1 рабочий день"),
        (Term.working(3), "3 рабочих дня"),
        (Term.working(10), "10 рабочих дней"),
        (Term.working(11), "11 рабочих дней"),
        (Term.working(21), "21 рабочий день"),
        (Term.calendar(30), "30 календарных дней"),
        (Term.calendar(22), "22 календарных дня"),
        (Term.working(0), "в день получения"),
    ],
)
def test_term_text_ru(term: Term, text: str) -> None:
    assert term.text_ru() == text


def test_term_for_defaults_to_the_law() -> None:
    for kind, law in STATUTORY_TERMS.items():
        term = term_for(kind, {})
        assert (term.days, term.unit) == (law.days, law.unit)


def test_term_for_accepts_a_shorter_term() -> None:
    assert term_for("access", {"access": Configured(7, "working")}) == Term.working(7)
    deadlines = {"withdrawal_destruction": Configured(10, "calendar")}
    assert term_for("withdrawal_destruction", deadlines) == Term.calendar(10)


def test_term_for_refuses_a_longer_term() -> None:
    with pytest.raises(ValueError, match=r"'access' is 11 working days.*maximum of 10"):
        term_for("access", {"access": Configured(11, "working")})
    with pytest.raises(ValueError, match="maximum of 5"):
        term_for("access_extension", {"access_extension": Configured(6, "working")})
    with pytest.raises(ValueError, match="maximum of 0"):
        term_for("blocking", {"blocking": Configured(1, "working")})


def test_term_for_refuses_another_unit() -> None:
    with pytest.raises(ValueError, match=r"in calendar days.*counts it in working days"):
        term_for("access", {"access": Configured(10, "calendar")})
    deadlines = {"purpose_achieved_destruction": Configured(20, "working")}
    with pytest.raises(ValueError, match=r"in working days.*counts it in calendar days"):
        term_for("purpose_achieved_destruction", deadlines)


def test_term_for_refuses_an_unknown_duty() -> None:
    with pytest.raises(ValueError, match="unknown duty 'acces'"):
        term_for("acces", {})


def test_term_for_reads_the_policy_schema() -> None:
    deadline = Deadline.model_validate({"days": 5, "unit": "working", "clause": "5.3"})
    assert term_for("rectification", {"rectification": deadline}) == Term.working(5)


# --- status -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 1, 22), "overdue"),
        (D(2026, 1, 21), "due_soon"),
        (D(2026, 1, 19), "due_soon"),  # Mon: Wed is the 2nd working day after it
        (D(2026, 1, 17), "on_time"),  # Sat: the 2nd working day after it is Tue
        (D(2026, 1, 16), "on_time"),
    ],
)
def test_status(today: dt.date, expected: str) -> None:
    assert status(D(2026, 1, 21), today, calendar=CAL) == expected


def test_status_window_is_configurable() -> None:
    due = D(2026, 1, 21)
    assert status(due, D(2026, 1, 12), calendar=CAL, due_soon_within=7) == "due_soon"
    assert status(due, D(2026, 1, 20), calendar=CAL, due_soon_within=0) == "on_time"
    assert status(due, due, calendar=CAL, due_soon_within=0) == "due_soon"
    with pytest.raises(ValueError, match="negative"):
        status(due, due, calendar=CAL, due_soon_within=-1)


# --- properties over 2025–2027 ------------------------------------------------------------------


@given(DATES, st.integers(min_value=1, max_value=40))
def test_due_is_a_working_day_after_receipt(received: dt.date, n: int) -> None:
    due = wd(received, n)
    assert CAL.is_working_day(due)
    assert due > received


@given(DATES, DAYS)
def test_working_days_after_receipt_equal_the_term(received: dt.date, n: int) -> None:
    due = wd(received, n)
    assert CAL.working_days_between(received + ONE_DAY, due) == n


@given(DATES, DATES, DAYS)
def test_monotonic_in_receipt(a: dt.date, b: dt.date, n: int) -> None:
    early, late = min(a, b), max(a, b)
    assert wd(early, n) <= wd(late, n)


@given(DATES, DAYS, DAYS)
def test_monotonic_in_term(received: dt.date, n: int, m: int) -> None:
    short, long_ = min(n, m), max(n, m)
    assert wd(received, short) <= wd(received, long_)


@given(DATES, DAYS, DAYS)
def test_adding_n_then_m_equals_adding_n_plus_m(received: dt.date, n: int, m: int) -> None:
    assert wd(wd(received, n), m) == wd(received, n + m)


@given(DATES, st.integers(min_value=0, max_value=10), st.integers(min_value=0, max_value=5))
def test_extension_is_never_earlier(received: dt.date, n: int, ext: int) -> None:
    due = wd(received, n)
    extended = extended_due(due=due, extension=Term.working(ext), calendar=CAL)
    assert extended >= due
    if ext:
        assert extended > due


@given(DATES, st.integers(min_value=0, max_value=60))
def test_calendar_terms_and_grace(received: dt.date, n: int) -> None:
    due = due_date(received=received, term=Term.calendar(n), calendar=CAL)
    assert (due - received).days == n
    grace = grace_date(due, CAL)
    assert grace >= due
    assert CAL.is_working_day(grace)
    assert CAL.working_days_between(due, grace - ONE_DAY) == 0
