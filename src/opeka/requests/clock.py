"""Moscow time for requests: the day of receipt (day 0) is a date in Europe/Moscow."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = ["MOSCOW", "day_of_receipt", "moscow_date", "moscow_today", "parse_received"]

MOSCOW = ZoneInfo("Europe/Moscow")


def moscow_date(moment: dt.datetime) -> dt.date:
    """The date of ``moment`` (timezone-aware) in Moscow."""
    if moment.tzinfo is None:
        raise ValueError("a moment in time must be timezone-aware")
    return moment.astimezone(MOSCOW).date()


def day_of_receipt(received_at: dt.datetime) -> dt.date:
    """Day 0 of a request's term: the date of ``received_at`` in Moscow."""
    return moscow_date(received_at)


def moscow_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Moscow."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(MOSCOW).date()


def parse_received(raw: str) -> dt.datetime:
    """A receipt time typed by staff: ``2026-01-12`` or ``2026-01-12 14:30`` (Moscow time).

    A bare date means the start of that day in Moscow (so that today's date is never "in the
    future"); the day of receipt, which is what counts, is that date either way.
    """
    text = raw.strip().replace("T", " ")
    try:
        if len(text) <= len("2026-01-12"):
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, dt.time(0, 0), tzinfo=MOSCOW)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            "дата получения: используйте ГГГГ-ММ-ДД или ГГГГ-ММ-ДД ЧЧ:ММ / "
            "receipt date: use YYYY-MM-DD or YYYY-MM-DD HH:MM"
        ) from None
    return moment.replace(tzinfo=MOSCOW) if moment.tzinfo is None else moment
