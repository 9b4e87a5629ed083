"""The idempotency store (:mod:`opeka.idempotency`): claims, replays, expiry, fingerprints."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opeka import idempotency
from opeka.app import Opeka
from opeka.db.base import utcnow

SECRET = b"s" * 32
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def claim(opeka: Opeka, key: str, body: bytes, now: dt.datetime) -> idempotency.Stored | None:
    """Claim ``key`` for ``body`` and, when executed, store a response; one transaction."""
    digest = idempotency.key_digest(SECRET, key)
    fingerprint = idempotency.fingerprint(SECRET, method="POST", path="/x", body=body)
    with opeka.data_engine.begin() as conn:
        stored = idempotency.claim(
            conn, client_id="c1", key_digest=digest, fingerprint=fingerprint, now=now
        )
        if stored is None:
            idempotency.complete(
                conn, client_id="c1", key_digest=digest, status=201, body={"n": key}
            )
        return stored


def test_a_stored_response_is_returned_for_the_same_request(shared: Opeka) -> None:
    key, now = uuid.uuid4().hex, utcnow()
    assert claim(shared, key, b"{}", now) is None
    assert claim(shared, key, b"{ }", now) == idempotency.Stored(201, {"n": key})


def test_another_request_under_the_key_is_refused(shared: Opeka) -> None:
    key, now = uuid.uuid4().hex, utcnow()
    claim(shared, key, b'{"a": 1}', now)
    with pytest.raises(idempotency.KeyReused):
        claim(shared, key, b'{"a": 2}', now)


def test_an_expired_key_is_taken_again(shared: Opeka) -> None:
    key, then = uuid.uuid4().hex, utcnow() - idempotency.TTL - dt.timedelta(minutes=1)
    claim(shared, key, b'{"a": 1}', then)
    assert claim(shared, key, b'{"a": 2}', utcnow()) is None


def test_purge_deletes_only_expired_keys(shared: Opeka) -> None:
    old, fresh = uuid.uuid4().hex, uuid.uuid4().hex
    claim(shared, old, b"{}", utcnow() - idempotency.TTL - dt.timedelta(seconds=1))
    claim(shared, fresh, b"{}", utcnow())
    with shared.data_engine.begin() as conn:
        assert idempotency.purge(conn) >= 1
    assert claim(shared, fresh, b"{}", utcnow()) is not None
    assert claim(shared, old, b'{"other": 1}', utcnow()) is None


@given(document=st.dictionaries(st.text(max_size=6), JSON, max_size=5))
def test_the_fingerprint_ignores_member_order_and_whitespace(document: dict[str, object]) -> None:
    compact = json.dumps(document).encode()
    spread = json.dumps(dict(reversed(list(document.items()))), indent=2).encode()
    assert idempotency.fingerprint(
        SECRET, method="post", path="/p", body=compact
    ) == idempotency.fingerprint(SECRET, method="POST", path="/p", body=spread)


@given(first=JSON, second=JSON)
def test_different_bodies_have_different_fingerprints(first: object, second: object) -> None:
    one, two = json.dumps(first).encode(), json.dumps(second).encode()
    same = idempotency.fingerprint(SECRET, method="POST", path="/p", body=one) == (
        idempotency.fingerprint(SECRET, method="POST", path="/p", body=two)
    )
    assert same == (json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True))


def test_the_fingerprint_depends_on_the_path_the_method_and_the_secret() -> None:
    base = idempotency.fingerprint(SECRET, method="POST", path="/a", body=b"{}")
    assert base != idempotency.fingerprint(SECRET, method="POST", path="/b", body=b"{}")
    assert base != idempotency.fingerprint(SECRET, method="PATCH", path="/a", body=b"{}")
    assert base != idempotency.fingerprint(b"t" * 32, method="POST", path="/a", body=b"{}")
