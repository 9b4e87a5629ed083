"""Consent events: strict validation (one test per refusal), what is stored, and the proofs."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opeka.app import Opeka
from opeka.cookies.config import banner_config
from opeka.cookies.errors import InvalidEvent, StaleVersion
from opeka.cookies.events import (
    MAX_BODY,
    ConsentEventIn,
    events_for,
    hash_user_agent,
    make_event,
    parse_body,
    store_events,
    truncate_ip,
)
from opeka.policy.loader import load_policy

CONFIG = banner_config(load_policy())
ALL = list(CONFIG.optional)


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "consent_id": uuid.UUID(int=1).hex,
        "method": "custom",
        "granted": ["preferences"],
        "denied": ["stored_information", "analytics"],
        "version": CONFIG.version,
        "language": "ru",
    }
    data.update(changes)
    return data


def event(**changes: Any) -> ConsentEventIn:
    return parse_body(json.dumps(body(**changes)).encode())


def decide(gpc_header: bool = False, **changes: Any) -> None:
    make_event(event(**changes), CONFIG, gpc_header=gpc_header, client_ip=None, user_agent=None)


def test_a_valid_decision_parses() -> None:
    assert event().granted == ["preferences"]


def test_a_body_over_the_limit_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="larger"):
        parse_body(b" " * (MAX_BODY + 1))


def test_a_body_that_is_not_json_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="check: body"):
        parse_body(b"consent=yes")


def test_an_unknown_field_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="email"):
        event(email="someone@example.org")


def test_a_consent_id_that_is_not_32_hex_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="consent_id"):
        event(consent_id="not-random")


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="method"):
        event(method="implied")


def test_a_string_for_a_boolean_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="gpc"):
        event(gpc="true")


def test_an_unsupported_language_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="language"):
        event(language="de")


def test_the_error_names_fields_never_values() -> None:
    with pytest.raises(InvalidEvent) as caught:
        event(consent_id="someone@example.org")
    assert "example.org" not in caught.value.message + caught.value.message_ru


def test_a_decision_on_an_older_notice_is_stale() -> None:
    with pytest.raises(StaleVersion):
        decide(version="0" * 12)


def test_a_category_listed_twice_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="twice"):
        decide(granted=["preferences", "preferences"])


def test_an_unknown_category_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="optional categories"):
        decide(granted=["preferences", "tracking"])


def test_the_always_on_category_cannot_be_denied() -> None:
    with pytest.raises(InvalidEvent, match="optional categories"):
        decide(denied=["stored_information", "analytics", "authentication"])


def test_a_category_both_granted_and_denied_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="both"):
        decide(granted=["preferences", "analytics"])


def test_an_incomplete_decision_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="every optional"):
        decide(denied=["analytics"])


def test_accept_all_must_grant_everything() -> None:
    with pytest.raises(InvalidEvent, match="accept-all"):
        decide(method="banner_accept_all")


def test_accept_all_cannot_grant_analytics_under_the_gpc_header() -> None:
    with pytest.raises(InvalidEvent, match="GPC"):
        decide(gpc_header=True, method="banner_accept_all", granted=ALL, denied=[])


def test_accept_all_cannot_grant_analytics_under_the_page_gpc_signal() -> None:
    with pytest.raises(InvalidEvent, match="GPC"):
        decide(method="banner_accept_all", granted=ALL, denied=[], gpc=True)


def test_reject_all_grants_nothing() -> None:
    with pytest.raises(InvalidEvent, match="reject-all"):
        decide(method="reject_all")


def test_a_gpc_decision_must_deny_analytics() -> None:
    with pytest.raises(InvalidEvent, match="GPC decision"):
        decide(method="gpc", granted=["preferences", "analytics"], denied=["stored_information"])


def test_an_explicit_tick_grants_analytics_under_gpc() -> None:
    made = make_event(
        event(granted=ALL, denied=[]), CONFIG, gpc_header=True, client_ip=None, user_agent=None
    )
    assert made.granted == tuple(ALL)
    assert made.gpc is True


def test_a_gpc_decision_is_recorded_as_gpc_even_without_the_header() -> None:
    made = make_event(
        event(method="gpc", granted=["preferences", "stored_information"], denied=["analytics"]),
        CONFIG,
        gpc_header=False,
        client_ip=None,
        user_agent=None,
    )
    assert (made.method, made.gpc) == ("gpc", True)


def test_what_the_server_saw_is_reduced() -> None:
    made = make_event(
        event(), CONFIG, gpc_header=False, client_ip="203.0.113.77", user_agent="Browser/1"
    )
    assert made.ip_prefix == "203.0.113.0"
    assert made.ua_hash == hash_user_agent("Browser/1")
    assert made.ua_hash is not None
    assert len(made.ua_hash) == 16
    assert made.policy_version == "2026.1"
    assert made.cookie_version == CONFIG.version


@pytest.mark.parametrize(
    ("address", "prefix"),
    [
        ("198.51.100.23", "198.51.100.0"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::"),
        ("::1", "::"),
        ("001.2.3.4", None),
        ("256.1.1.1", None),
        ("testclient", None),
        ("", None),
        (None, None),
    ],
)
def test_truncate_ip(address: str | None, prefix: str | None) -> None:
    assert truncate_ip(address) == prefix


@given(st.sets(st.sampled_from(ALL)), st.booleans())
def test_any_complete_decision_is_accepted_in_the_notice_order(
    granted: set[str], gpc: bool
) -> None:
    denied = [c for c in reversed(ALL) if c not in granted]
    made = make_event(
        event(granted=sorted(granted), denied=denied),
        CONFIG,
        gpc_header=gpc,
        client_ip=None,
        user_agent=None,
    )
    assert made.granted + made.denied == tuple(sorted(ALL, key=lambda c: c not in granted))
    assert list(made.granted) == [c for c in ALL if c in granted]


def test_events_are_stored_and_read_back_as_proofs(opeka: Opeka) -> None:
    consent_id = uuid.uuid4()
    first = make_event(
        event(consent_id=consent_id.hex, method="banner_accept_all", granted=ALL, denied=[]),
        CONFIG,
        gpc_header=False,
        client_ip="192.0.2.1",
        user_agent="UA",
        now=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )
    second = make_event(
        event(consent_id=consent_id.hex, method="withdraw", granted=[], denied=ALL),
        CONFIG,
        gpc_header=True,
        client_ip=None,
        user_agent=None,
    )
    with opeka.data_engine.begin() as conn:
        store_events(conn, [first, second])
        store_events(conn, [])
    with opeka.data_engine.connect() as conn:
        stored = events_for(conn, consent_id=consent_id)
        assert events_for(conn, consent_id=uuid.uuid4()) == []
    assert [(e.method, e.granted, e.denied, e.gpc) for e in stored] == [
        ("banner_accept_all", tuple(ALL), (), False),
        ("withdraw", (), tuple(ALL), True),
    ]
    assert stored[0].received_at == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert {e.policy_version for e in stored} == {"2026.1"}
    assert {e.cookie_version for e in stored} == {CONFIG.version}
