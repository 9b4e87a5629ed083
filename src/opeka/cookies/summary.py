"""What the console's analytics page shows: visitors and page views per day, top pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Table, func, select

from opeka.cookies.analytics import today
from opeka.db.cookies import analytics_day, analytics_page, analytics_referrer, analytics_visitor

TOP = 10


@dataclass(frozen=True, slots=True)
class DayCount:
    """One day of the chart."""

    day: dt.date
    visitors: int
    pageviews: int


@dataclass(frozen=True, slots=True)
class AnalyticsSummary:
    """``days`` has every day of the range (zeros where nothing was counted), oldest first."""

    days: list[DayCount]
    top_pages: list[tuple[str, int]]
    top_referrers: list[tuple[str, int]]

    @property
    def pageviews(self) -> int:
        """Page views over the range."""
        return sum(d.pageviews for d in self.days)

    @property
    def visitors(self) -> int:
        """The sum of the daily unique visitors (a visitor of two days counts twice)."""
        return sum(d.visitors for d in self.days)


def analytics_summary(
    conn: Connection, *, days: int, now: dt.datetime | None = None
) -> AnalyticsSummary:
    """The last ``days`` days up to today (Moscow time), for the console's charts."""
    if days < 1:
        raise ValueError("days must be at least 1")
    last = today(now)
    first = last - dt.timedelta(days=days - 1)
    stored = {
        row.day: (row.visitors, row.pageviews)
        for row in conn.execute(
            select(analytics_day.c.day, analytics_day.c.visitors, analytics_day.c.pageviews).where(
                analytics_day.c.day.between(first, last)
            )
        )
    }
    live: dict[dt.date, int] = dict(
        conn.execute(
            select(analytics_visitor.c.day, func.count())
            .where(analytics_visitor.c.day.between(first, last))
            .group_by(analytics_visitor.c.day)
        ).all()
    )
    series = []
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        visitors, pageviews = stored.get(day, (None, 0))
        series.append(DayCount(day, int(visitors or 0) + int(live.get(day, 0)), int(pageviews)))
    return AnalyticsSummary(
        days=series,
        top_pages=_top(conn, analytics_page, "path", first, last),
        top_referrers=_top(conn, analytics_referrer, "host", first, last),
    )


def _top(
    conn: Connection, table: Table, column: str, first: dt.date, last: dt.date
) -> list[tuple[str, int]]:
    key, views = table.c[column], func.sum(table.c.views)
    rows = conn.execute(
        select(key, views)
        .where(table.c.day.between(first, last))
        .group_by(key)
        .order_by(views.desc(), key)
        .limit(TOP)
    )
    return [(str(k), int(n)) for k, n in rows]
