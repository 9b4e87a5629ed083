"""First-party analytics: counts only, a visitor digest that lives one day, no query strings."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from opeka.app import Opeka
from opeka.cookies.analytics import (
    MSK,
    PageView,
    clean_host,
    clean_path,
    parse_pageview,
    record_pageviews,
    today,
)
from opeka.cookies.errors import InvalidEvent
from opeka.cookies.summary import analytics_summary
from opeka.db.cookies import analytics_day, analytics_salt, analytics_visitor

DAY1 = dt.datetime(2026, 5, 4, 10, tzinfo=MSK)
DAY2 = DAY1 + dt.timedelta(days=1)


def view(
    path: str = "/", ip: str = "192.0.2.0", ua: str = "UA/1", ref: str | None = None
) -> PageView:
    return PageView(path=path, referrer_host=ref, ip_prefix=ip, user_agent=ua, site="shop.test")


def record(opeka: Opeka, views: list[PageView], now: dt.datetime) -> None:
    with opeka.data_engine.begin() as conn:
        record_pageviews(conn, views, now=now)


@pytest.mark.parametrize(
    ("path", "clean"),
    [
        ("/catalog/", "/catalog/"),
        ("/cart?email=someone@example.org", "/cart"),
        ("/page#section", "/page"),
        ("/демо", None),
        ("https://evil.example/", None),
        ("relative", None),
        ("/" + "a" * 200, None),
    ],
)
def test_only_the_path_is_kept(path: str, clean: str | None) -> None:
    assert clean_path(path) == clean


@pytest.mark.parametrize(
    ("host", "clean"),
    [("Yandex.RU:443", "yandex.ru"), ("", None), (None, None), ("bad host", None)],
)
def test_only_a_host_name_is_kept(host: str | None, clean: str | None) -> None:
    assert clean_host(host) == clean


def test_a_page_view_body_is_validated() -> None:
    made = parse_pageview(
        b'{"path": "/a?x=1", "referrer": "ya.ru"}', ip_prefix=None, user_agent=None, site="s"
    )
    assert (made.path, made.referrer_host) == ("/a", "ya.ru")


@pytest.mark.parametrize(
    "body", [b"{}", b'{"path": "/", "visitor": "1"}', b'{"path": "nope"}', b"[", b" " * 5000]
)
def test_a_bad_page_view_body_is_refused(body: bytes) -> None:
    with pytest.raises(InvalidEvent):
        parse_pageview(body, ip_prefix=None, user_agent=None, site=None)


def test_the_day_is_counted_in_moscow_time() -> None:
    assert today(dt.datetime(2026, 5, 4, 22, tzinfo=dt.UTC)) == dt.date(2026, 5, 5)


def test_views_pages_and_unique_visitors_are_counted(opeka: Opeka) -> None:
    record(opeka, [view("/"), view("/cart"), view("/", ua="UA/2", ref="ya.ru")], DAY1)
    record(opeka, [view("/")], DAY1)
    with opeka.data_engine.connect() as conn:
        summary = analytics_summary(conn, days=2, now=DAY1)
    assert [(d.day, d.visitors, d.pageviews) for d in summary.days] == [
        (dt.date(2026, 5, 3), 0, 0),
        (dt.date(2026, 5, 4), 2, 4),
    ]
    assert summary.top_pages == [("/", 3), ("/cart", 1)]
    assert summary.top_referrers == [("ya.ru", 1)]
    assert (summary.pageviews, summary.visitors) == (4, 2)


def test_a_new_day_forgets_the_old_salt_and_digests_keeping_the_count(opeka: Opeka) -> None:
    record(opeka, [view(), view(ua="UA/2")], DAY1)
    record(opeka, [view()], DAY2)
    with opeka.data_engine.connect() as conn:
        salts = conn.execute(select(analytics_salt.c.day)).scalars().all()
        digests = conn.execute(select(analytics_visitor.c.day)).scalars().all()
        rolled = conn.execute(select(analytics_day.c.day, analytics_day.c.visitors)).all()
        summary = analytics_summary(conn, days=2, now=DAY2)
    assert salts == [DAY2.date()]
    assert digests == [DAY2.date()]
    assert sorted(rolled) == [(DAY1.date(), 2), (DAY2.date(), None)]
    assert [d.visitors for d in summary.days] == [2, 1]


def test_the_same_visitor_on_two_days_cannot_be_linked(opeka: Opeka) -> None:
    record(opeka, [view()], DAY1)
    with opeka.data_engine.connect() as conn:
        first = conn.execute(select(analytics_visitor.c.digest)).scalar_one()
    record(opeka, [view()], DAY2)
    with opeka.data_engine.connect() as conn:
        second = conn.execute(select(analytics_visitor.c.digest)).scalar_one()
    assert first != second


def test_nothing_about_the_visitor_is_stored_in_clear(opeka: Opeka) -> None:
    record(opeka, [view(ip="198.51.100.0", ua="Mozilla/5.0 Secret", ref="ya.ru")], DAY1)
    with opeka.data_engine.connect() as conn:
        rows = [
            repr(tuple(row))
            for table in (analytics_day, analytics_visitor, analytics_salt)
            for row in conn.execute(select(table))
        ]
    text = " ".join(rows)
    assert "198.51.100" not in text
    assert "Secret" not in text


def test_the_summary_needs_at_least_one_day(opeka: Opeka) -> None:
    with opeka.data_engine.connect() as conn, pytest.raises(ValueError, match="days"):
        analytics_summary(conn, days=0)


@given(st.text(max_size=300))
def test_any_path_is_cleaned_or_refused_without_raising(path: str) -> None:
    cleaned = clean_path(path)
    assert cleaned is None or ("?" not in cleaned and "#" not in cleaned)
