"""First-party analytics in the console: visitors and page views per day, top pages and referrers.

Counts come from :func:`opeka.cookies.summary.analytics_summary` (visits counted only with the
visitor's analytics consent); no personal data is involved. Charts are drawn on the server
(:mod:`opeka.web.console.charts`): no JavaScript charting library.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from opeka.cookies.summary import analytics_summary
from opeka.db.engine import read_only
from opeka.web.console.charts import bar_chart, width_step
from opeka.web.console.deps import AnalyticsRead
from opeka.web.console.pages import opeka_of, page
from opeka.web.console.routing import ConsoleRoute

RANGES = (7, 30, 90)


def analytics(
    request: Request, principal: AnalyticsRead, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> Response:
    """The charts of the last ``days`` days."""
    with read_only(opeka_of(request).data_engine) as conn:
        summary = analytics_summary(conn, days=days)
    labels = [d.day.strftime("%d.%m") for d in summary.days]
    return page(
        request,
        principal,
        "analytics.html.j2",
        summary=summary,
        days=days,
        ranges=RANGES,
        visitors=bar_chart(list(zip(labels, [d.visitors for d in summary.days], strict=True))),
        pageviews=bar_chart(list(zip(labels, [d.pageviews for d in summary.days], strict=True))),
        step=width_step,
    )


def routes() -> APIRouter:
    """The analytics page."""
    api = APIRouter(include_in_schema=False, route_class=ConsoleRoute)
    api.add_api_route("/console/analytics", analytics, methods=["GET"])
    return api
