"""The ``opeka_consent`` cookie counts only while its notice is current and it has not expired."""

from __future__ import annotations

import datetime as dt
import uuid

from hypothesis import given
from hypothesis import strategies as st

from opeka.cookies.config import banner_config
from opeka.cookies.consent_cookie import current_grants, parse_choice
from opeka.policy.loader import load_policy

CONFIG = banner_config(load_policy())
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
ID = uuid.UUID(int=7).hex


def cookie(granted: str, *, version: str = CONFIG.version, at: dt.datetime = NOW) -> str:
    return f"1.{ID}.{version}.{int(at.timestamp())}.{granted}"


def test_a_current_cookie_grants_its_categories() -> None:
    value = cookie("preferences+analytics")
    assert current_grants(value, config=CONFIG, now=NOW) == {"preferences", "analytics"}
    choice = parse_choice(value)
    assert choice is not None
    assert choice.consent_id == ID
    assert choice.chosen_at == NOW


def test_a_cookie_granting_nothing_is_a_dash() -> None:
    assert current_grants(cookie("-"), config=CONFIG, now=NOW) == frozenset()


def test_a_cookie_of_an_older_notice_grants_nothing() -> None:
    value = cookie("analytics", version="0" * 12)
    assert current_grants(value, config=CONFIG, now=NOW) == frozenset()


def test_an_expired_cookie_grants_nothing() -> None:
    value = cookie("analytics", at=NOW - dt.timedelta(days=CONFIG.expiry_days, seconds=1))
    assert current_grants(value, config=CONFIG, now=NOW) == frozenset()


def test_a_cookie_from_the_future_grants_nothing() -> None:
    value = cookie("analytics", at=NOW + dt.timedelta(hours=1))
    assert current_grants(value, config=CONFIG, now=NOW) == frozenset()


def test_unknown_and_always_on_codes_are_ignored() -> None:
    value = cookie("analytics+authentication+tracking")
    assert current_grants(value, config=CONFIG, now=NOW) == {"analytics"}


def test_no_cookie_grants_nothing() -> None:
    assert current_grants(None, config=CONFIG, now=NOW) == frozenset()


@given(st.text(max_size=300))
def test_any_text_parses_or_is_refused_without_raising(value: str) -> None:
    choice = parse_choice(value)
    assert choice is None or len(choice.consent_id) == 32
