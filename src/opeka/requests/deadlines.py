"""Deadlines of data-subject requests (``../shared/reference/law-152fz.md`` §1, counting rules).

* The day of receipt is day 0; counting starts the next day (ГК art. 191).
* A working-day term ends on the n-th working day after receipt, on the production calendar.
* A calendar-day term is counted strictly: receipt + n days, even when that is a day off. The
  ГК art. 193 shift to the next working day is arguable for these duties, so it is offered only as
  a grace date (:func:`grace_date`), never as the deadline.
* A term of 0 days (blocking, art. 21 p.1: "immediately") is due on the day of receipt.
* The operator's policy may shorten a term but never lengthen it or change its unit
  (:func:`term_for`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from opeka.policy.law import STATUTORY_TERMS
from opeka.requests.calendar import ProductionCalendar

__all__ = [
    "DEFAULT_DUE_SOON_WORKING_DAYS",
    "ConfiguredTerm",
    "Status",
    "Term",
    "Unit",
    "due_date",
    "extended_due",
    "grace_date",
    "status",
    "term_for",
]

Unit = Literal["working", "calendar"]
Status = Literal["overdue", "due_soon", "on_time"]

#: A deadline within this many working days from today is "due soon".
DEFAULT_DUE_SOON_WORKING_DAYS = 2


def _unit(value: str) -> Unit:
    if value == "working":
        return "working"
    if value == "calendar":
        return "calendar"
    msg = f"unknown term unit {value!r}; expected 'working' or 'calendar'"
    raise ValueError(msg)


def _plural_ru(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


@dataclass(frozen=True, slots=True)
class Term:
    """A term: a number of days and whether they are working or calendar days."""

    days: int
    unit: Unit

    def __post_init__(self) -> None:
        _unit(self.unit)
        if self.days < 0:
            msg = f"a term cannot be negative ({self.days} days)"
            raise ValueError(msg)

    @classmethod
    def working(cls, days: int) -> Term:
        """A term in working days."""
        return cls(days, "working")

    @classmethod
    def calendar(cls, days: int) -> Term:
        """A term in calendar days."""
        return cls(days, "calendar")

    def text_ru(self) -> str:
        """The term in Russian, as notices print it: «10 рабочих дней», «30 календарных дней»."""
        if self.days == 0:
            return "в день получения"
        if self.unit == "working":
            words = _plural_ru(self.days, "рабочий день", "рабочих дня", "рабочих дней")
        else:
            words = _plural_ru(self.days, "календарный день", "календарных дня", "календарных дней")
        return f"{self.days} {words}"


class ConfiguredTerm(Protocol):
    """A term as the policy configures it (:class:`opeka.policy.schema.Deadline` fits)."""

    @property
    def days(self) -> int:
        """The number of days."""
        ...

    @property
    def unit(self) -> str:
        """``"working"`` or ``"calendar"``."""
        ...


def term_for(kind: str, policy_deadlines: Mapping[str, ConfiguredTerm]) -> Term:
    """The operator's term for the duty ``kind``, checked against the law.

    ``policy_deadlines`` is the policy's ``deadlines`` section. A duty the policy does not list
    gets the statutory term. A configured term longer than the law's, or in another unit, is
    refused with :class:`ValueError`, as is a ``kind`` the law does not know.
    """
    law = STATUTORY_TERMS.get(kind)
    if law is None:
        known = ", ".join(sorted(STATUTORY_TERMS))
        msg = f"unknown duty {kind!r}; the statutory terms are known for: {known}"
        raise ValueError(msg)
    configured = policy_deadlines.get(kind)
    if configured is None:
        return Term(law.days, _unit(law.unit))
    if configured.unit != law.unit:
        msg = (
            f"the policy's term for {kind!r} is in {configured.unit} days, but the law "
            f"({law.article}) counts it in {law.unit} days"
        )
        raise ValueError(msg)
    if configured.days > law.days:
        msg = (
            f"the policy's term for {kind!r} is {configured.days} {law.unit} days, longer than "
            f"the law's maximum of {law.days} {law.unit} days ({law.article})"
        )
        raise ValueError(msg)
    return Term(configured.days, _unit(configured.unit))


def due_date(*, received: dt.date, term: Term, calendar: ProductionCalendar) -> dt.date:
    """The last day to act on a request received on ``received`` (day 0).

    Working-day terms end on the ``term.days``-th working day after receipt; calendar-day terms
    end strictly ``term.days`` days after receipt. A 0-day term is due on the day of receipt.
    """
    if isinstance(received, dt.datetime):
        msg = "pass the day of receipt as a date (Moscow time), not a datetime"
        raise TypeError(msg)
    if term.unit == "working":
        return calendar.add_working_days(received, term.days)
    return received + dt.timedelta(days=term.days)


def extended_due(*, due: dt.date, extension: Term, calendar: ProductionCalendar) -> dt.date:
    """The deadline after an extension (e.g. +5 working days with a reasoned notice).

    The extension is counted from the original deadline, which is its day 0.
    """
    return due_date(received=due, term=extension, calendar=calendar)


def grace_date(due: dt.date, calendar: ProductionCalendar) -> dt.date:
    """``due``, or the next working day when ``due`` is a day off.

    Meant for calendar-day terms: the ГК art. 193 shift is only arguable for them, so show the
    result next to the deadline as a grace date, never instead of it.
    """
    if calendar.is_working_day(due):
        return due
    return calendar.add_working_days(due, 1)


def status(
    due: dt.date,
    today: dt.date,
    *,
    calendar: ProductionCalendar,
    due_soon_within: int = DEFAULT_DUE_SOON_WORKING_DAYS,
) -> Status:
    """Where a deadline stands on ``today``.

    ``"overdue"`` once ``today`` is past ``due``; ``"due_soon"`` when ``due`` is no later than
    the ``due_soon_within``-th working day after today (a deadline today is always due soon);
    ``"on_time"`` otherwise.
    """
    if due_soon_within < 0:
        msg = f"the due-soon window cannot be negative ({due_soon_within} working days)"
        raise ValueError(msg)
    if today > due:
        return "overdue"
    if due <= calendar.add_working_days(today, due_soon_within):
        return "due_soon"
    return "on_time"
