"""The Russian production calendar: decree transfers, yearly totals, overrides, warnings."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from opeka.requests.calendar import (
    PROJECT_OVERRIDES,
    CalendarOverrides,
    ProductionCalendar,
    RussianProductionCalendar,
)

D = dt.date
CAL = RussianProductionCalendar()
RU = holidays.country_holidays("RU", years=range(2025, 2029))
DATES = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))


def test_satisfies_the_protocol() -> None:
    assert isinstance(CAL, ProductionCalendar)


@pytest.mark.parametrize("year", [2025, 2026])
def test_official_total_of_working_days(year: int) -> None:
    assert CAL.working_days_in_year(year) == 247
    assert CAL.working_days_between(D(year, 1, 1), D(year, 12, 31)) == 247


@pytest.mark.parametrize(
    "day",
    [
        # 2025, Decree No. 1335 of 04.10.2024: Jan 4→May 2, Jan 5→Dec 31, Feb 23→May 8,
        # Mar 8→Jun 13, Nov 1→Nov 3.
        D(2025, 5, 2),
        D(2025, 5, 8),
        D(2025, 6, 13),
        D(2025, 11, 3),
        D(2025, 12, 31),
        # 2026, decree of 24.09.2025: Jan 3→Jan 9, Jan 4→Dec 31; Mar 9 and May 11 under ТК 112.
        D(2026, 1, 9),
        D(2026, 3, 9),
        D(2026, 5, 11),
        D(2026, 12, 31),
    ],
)
def test_transferred_days_off(day: dt.date) -> None:
    assert day.weekday() < 5
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize("day", [D(2025, 2, 24), D(2025, 3, 10), D(2025, 11, 5)])
def test_ordinary_weekdays_stay_working(day: dt.date) -> None:
    # workalendar wrongly moves Feb 23 and Mar 8 2025 to Monday (reference §10).
    assert CAL.is_working_day(day)


def test_working_saturday_2025() -> None:
    assert D(2025, 11, 1).weekday() == 5
    assert CAL.is_working_day(D(2025, 11, 1))
    assert not CAL.is_working_day(D(2025, 11, 8))


def test_add_working_days_pins() -> None:
    assert CAL.add_working_days(D(2025, 12, 26), 10) == D(2026, 1, 21)
    assert CAL.add_working_days(D(2026, 1, 21), 5) == D(2026, 1, 28)
    assert CAL.add_working_days(D(2025, 10, 29), 3) == D(2025, 11, 1)
    assert CAL.add_working_days(D(2025, 2, 20), 7) == D(2025, 3, 3)


def test_add_zero_returns_start_even_on_a_day_off() -> None:
    assert CAL.add_working_days(D(2026, 1, 3), 0) == D(2026, 1, 3)


def test_add_negative_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_days(D(2026, 1, 3), -1)


def test_add_across_several_years() -> None:
    start = D(2025, 6, 1)
    due = CAL.add_working_days(start, 600)
    assert due.year == 2027
    assert CAL.working_days_between(start + dt.timedelta(days=1), due) == 600


def test_between_is_inclusive_and_empty_when_reversed() -> None:
    assert CAL.working_days_between(D(2025, 11, 1), D(2025, 11, 1)) == 1
    assert CAL.working_days_between(D(2025, 11, 2), D(2025, 11, 2)) == 0
    assert CAL.working_days_between(D(2025, 12, 31), D(2026, 1, 12)) == 1
    assert CAL.working_days_between(D(2026, 1, 12), D(2026, 1, 11)) == 0


@given(DATES)
def test_matches_holidays_package(day: dt.date) -> None:
    assert CAL.is_working_day(day) == RU.is_working_day(day)


@given(DATES, st.integers(min_value=1, max_value=60))
def test_add_matches_holidays_package(start: dt.date, n: int) -> None:
    assert CAL.add_working_days(start, n) == RU.get_nth_working_day(start, n)


@given(DATES, st.integers(min_value=0, max_value=400))
def test_between_matches_holidays_package(a: dt.date, span: int) -> None:
    b = a + dt.timedelta(days=span)
    assert CAL.working_days_between(a, b) == RU.get_working_days_count(a, b)


def test_confirmed_years_and_warnings() -> None:
    assert CAL.confirmed_years == frozenset({2025, 2026})
    assert CAL.warning_for(2025) is None
    assert CAL.warning_for(2026) is None
    unverified = CAL.warning_for(2027)
    assert unverified is not None
    assert "не сверен" in unverified
    missing = CAL.warning_for(2030)
    assert missing is not None
    assert "нет данных" in missing


def test_override_moves_a_deadline() -> None:
    # A hypothetical new decree: 19.01.2026 off, Saturday 24.01.2026 working.
    cal = RussianProductionCalendar(
        CalendarOverrides(
            days_off={D(2026, 1, 19): "test decree"},
            working_days={D(2026, 1, 24): "test decree"},
            confirmed_years=frozenset({2026}),
        )
    )
    assert not cal.is_working_day(D(2026, 1, 19))
    assert cal.is_working_day(D(2026, 1, 24))
    assert cal.working_days_in_year(2026) == 247
    assert cal.add_working_days(D(2026, 1, 16), 1) == D(2026, 1, 20)
    assert cal.add_working_days(D(2026, 1, 23), 1) == D(2026, 1, 24)
    assert cal.warning_for(2025) is not None


def test_override_marks_a_year_as_having_decree_data() -> None:
    cal = RussianProductionCalendar(CalendarOverrides(days_off={D(2030, 1, 9): "test decree"}))
    warning = cal.warning_for(2030)
    assert warning is not None
    assert "не сверен" in warning


def test_override_conflict_is_refused() -> None:
    with pytest.raises(ValueError, match="2026-01-19"):
        CalendarOverrides(days_off={D(2026, 1, 19): "a"}, working_days={D(2026, 1, 19): "b"})


def test_project_overrides_are_consistent_with_holidays() -> None:
    # Every override must change something, or it is stale and should be removed.
    for day in PROJECT_OVERRIDES.days_off:
        assert RU.is_working_day(day), day
    for day in PROJECT_OVERRIDES.working_days:
        assert not RU.is_working_day(day), day


def test_each_year_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = holidays.country_holidays

    def counting(country: str, *, years: int) -> object:
        calls.append(years)
        return real(country, years=years)

    monkeypatch.setattr(holidays, "country_holidays", counting)
    cal = RussianProductionCalendar()
    for _ in range(3):
        cal.add_working_days(D(2025, 12, 26), 10)
        cal.is_working_day(D(2026, 5, 11))
    assert sorted(calls) == [2025, 2026]
