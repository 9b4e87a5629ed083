"""The Russian production calendar (производственный календарь) for working-day deadlines.

Working days follow the federal five-day week: Saturdays and Sundays off, the holidays of ТК
art. 112 off, plus the transfers of the yearly Government decree (a day off moved to a weekday, a
Saturday made a working day). ``../shared/reference/law-152fz.md`` §10 explains the choice of the
``holidays`` package; it hard-codes the decree transfers per year and exposes working Saturdays as
``weekend_workdays``.

A decree for the next year is published in September–October and may be newer than the installed
``holidays``. :data:`PROJECT_OVERRIDES` is the project-owned table for that case: extra days off,
extra working days, and the years whose decree data someone has checked against the decree text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Protocol, runtime_checkable

import holidays

__all__ = [
    "PROJECT_OVERRIDES",
    "CalendarOverrides",
    "ProductionCalendar",
    "RussianProductionCalendar",
]


@runtime_checkable
class ProductionCalendar(Protocol):
    """What deadline arithmetic needs from a production calendar."""

    def is_working_day(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day."""
        ...

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself is day 0, not counted).

        ``n == 0`` returns ``start`` unchanged, even when it is a day off.
        """
        ...

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """The number of working days in the closed interval ``[a, b]``; 0 when ``a > b``."""
        ...

    @property
    def confirmed_years(self) -> frozenset[int]:
        """The years whose decree data were checked against the decree text."""
        ...


@dataclass(frozen=True)
class CalendarOverrides:
    """Project-owned corrections on top of the ``holidays`` package.

    ``days_off`` and ``working_days`` map a date to its source (the decree, with number and date).
    ``confirmed_years`` lists the years whose whole calendar, with these corrections, was checked
    against the decree; deadlines in other years carry a warning.
    """

    days_off: Mapping[dt.date, str] = field(default_factory=dict)
    working_days: Mapping[dt.date, str] = field(default_factory=dict)
    confirmed_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        both = sorted(set(self.days_off) & set(self.working_days))
        if both:
            listed = ", ".join(d.isoformat() for d in both)
            msg = f"calendar overrides mark the same date both off and working: {listed}"
            raise ValueError(msg)


#: The project's table. To add a decree newer than the installed ``holidays``: put each moved
#: day off into ``days_off`` and each working Saturday into ``working_days`` (value: the decree),
#: then, once the year's total of working days matches the official calendar, add the year to
#: ``confirmed_years`` and pin the total in ``tests/requests/test_calendar.py``.
PROJECT_OVERRIDES = CalendarOverrides(
    days_off={},
    working_days={},
    # 2025: Decree No. 1335 of 04.10.2024; 2026: decree of 24.09.2025. Both give 247 working
    # days, as does ``holidays`` >= 0.107 (reference §10). 2027 is in ``holidays`` 0.109 but
    # was not checked against the decree.
    confirmed_years=frozenset({2025, 2026}),
)


@dataclass(frozen=True, slots=True)
class _Year:
    """One year's working days, precomputed for O(1) look-ups."""

    first_ordinal: int  # ordinal of 1 January
    working: tuple[int, ...]  # ordinals of the working days, ascending
    rank: tuple[int, ...]  # rank[i]: working days among the year's first i days; len = days + 1
    has_decree_data: bool  # whether ``holidays`` or the overrides carry transfers for the year


class RussianProductionCalendar:
    """The federal production calendar from ``holidays`` (``RU``) plus :data:`PROJECT_OVERRIDES`.

    Each year is computed once, on first use, into a table of working days; after that every
    operation is a few index look-ups. Filling the cache from several threads at once is harmless:
    each builds the same table.
    """

    def __init__(self, overrides: CalendarOverrides = PROJECT_OVERRIDES) -> None:
        self._overrides = overrides
        self._years: dict[int, _Year] = {}

    @property
    def confirmed_years(self) -> frozenset[int]:
        """The years whose decree data were checked against the decree text."""
        return self._overrides.confirmed_years

    def is_working_day(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day."""
        year = self._year(d.year)
        i = d.toordinal() - year.first_ordinal
        return year.rank[i + 1] != year.rank[i]

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself is day 0, not counted).

        ``n == 0`` returns ``start`` unchanged, even when it is a day off; ``n < 0`` is refused.
        """
        if n < 0:
            msg = f"cannot add a negative number of working days ({n})"
            raise ValueError(msg)
        if n == 0:
            return start
        year_no = start.year
        year = self._year(year_no)
        # Index into the year's working days: those up to and including ``start``, plus n - 1.
        index = year.rank[start.toordinal() - year.first_ordinal + 1] + n - 1
        while index >= len(year.working):
            index -= len(year.working)
            year_no += 1
            year = self._year(year_no)
        return dt.date.fromordinal(year.working[index])

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """The number of working days in the closed interval ``[a, b]``; 0 when ``a > b``."""
        if a > b:
            return 0
        first = self._year(a.year)
        last = self._year(b.year)
        before_a = first.rank[a.toordinal() - first.first_ordinal]
        up_to_b = last.rank[b.toordinal() - last.first_ordinal + 1]
        middle = sum(len(self._year(y).working) for y in range(a.year, b.year))
        return middle + up_to_b - before_a

    def working_days_in_year(self, year: int) -> int:
        """The year's total of working days (247 in 2025 and in 2026)."""
        return len(self._year(year).working)

    def warning_for(self, year: int) -> str | None:
        """A warning, in Russian, for a year whose calendar is not confirmed; ``None`` if it is."""
        if year in self._overrides.confirmed_years:
            return None
        if self._year(year).has_decree_data:
            return (
                f"Производственный календарь на {year} год взят из пакета holidays и не сверен "
                "с постановлением Правительства о переносе выходных дней. "
                "Проверьте срок вручную."
            )
        return (
            f"Для {year} года нет данных о переносе выходных дней: срок рассчитан только "
            "по праздникам статьи 112 Трудового кодекса и может измениться после выхода "
            "постановления Правительства. Проверьте срок вручную."
        )

    def _year(self, year_no: int) -> _Year:
        year = self._years.get(year_no)
        if year is None:
            year = self._years[year_no] = self._build_year(year_no)
        return year

    def _build_year(self, year_no: int) -> _Year:
        ru = holidays.country_holidays("RU", years=year_no)
        days_off = {d for d in ru if d.year == year_no}
        weekend_workdays = {d for d in ru.weekend_workdays if d.year == year_no}
        first = dt.date(year_no, 1, 1)
        length = (dt.date(year_no + 1, 1, 1) - first).days
        flags: list[bool] = []
        for i in range(length):
            d = first + dt.timedelta(days=i)
            # The same rule as ``HolidayBase.is_working_day``, then the project's corrections.
            working = d in weekend_workdays if d.weekday() >= 5 else d not in days_off
            if d in self._overrides.days_off:
                working = False
            elif d in self._overrides.working_days:
                working = True
            flags.append(working)
        overridden = any(
            d.year == year_no for d in (*self._overrides.days_off, *self._overrides.working_days)
        )
        special = getattr(ru, "special_public_holidays", {})
        return _Year(
            first_ordinal=first.toordinal(),
            working=tuple(first.toordinal() + i for i, w in enumerate(flags) if w),
            rank=(0, *accumulate(int(w) for w in flags)),
            has_decree_data=bool(weekend_workdays) or year_no in special or overridden,
        )
