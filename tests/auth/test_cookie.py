"""The encrypted auth cookie (policy 6.3): round trip, and None for anything tampered."""

from __future__ import annotations

import base64
import datetime as dt
import os

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.auth.support import NOW

from opeka.auth.cookie import (
    CODE_BYTES,
    CookieSealer,
    cookie_attributes,
)
from opeka.auth.principals import PrincipalKind

KEY = bytes(range(32))
SEALER = CookieSealer(KEY)
codes = st.binary(min_size=CODE_BYTES, max_size=CODE_BYTES)
kinds = st.sampled_from(list(PrincipalKind))
times = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.just(dt.UTC)
)


def raw(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def text(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@given(kind=kinds, code=codes, login_at=times)
@settings(max_examples=100)
def test_a_sealed_cookie_opens_to_what_was_sealed(
    kind: PrincipalKind, code: bytes, login_at: dt.datetime
) -> None:
    contents = SEALER.open_(SEALER.seal(kind=kind, code=code, login_at=login_at))
    assert contents is not None
    assert (contents.kind, contents.code) == (kind, code)
    assert contents.login_at == login_at.replace(microsecond=0)


@given(code=codes, data=st.data())
@settings(max_examples=200)
def test_any_bit_flip_makes_the_cookie_unopenable(code: bytes, data: st.DataObject) -> None:
    sealed = raw(SEALER.seal(kind=PrincipalKind.SUBJECT, code=code, login_at=NOW))
    bit = data.draw(st.integers(min_value=0, max_value=len(sealed) * 8 - 1))
    flipped = bytearray(sealed)
    flipped[bit // 8] ^= 1 << (bit % 8)
    assert SEALER.open_(text(bytes(flipped))) is None


@given(code=codes, data=st.data())
@settings(max_examples=200)
def test_any_changed_character_makes_the_cookie_unopenable(
    code: bytes, data: st.DataObject
) -> None:
    value = SEALER.seal(kind=PrincipalKind.STAFF, code=code, login_at=NOW)
    at = data.draw(st.integers(min_value=0, max_value=len(value) - 1))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    other = data.draw(st.sampled_from(alphabet.replace(value[at], "")))
    assert SEALER.open_(value[:at] + other + value[at + 1 :]) is None


@given(st.text(max_size=200))
def test_arbitrary_strings_never_open(value: str) -> None:
    assert SEALER.open_(value) is None


def test_a_cookie_sealed_under_another_key_does_not_open() -> None:
    value = CookieSealer(os.urandom(32)).seal(
        kind=PrincipalKind.SUBJECT, code=os.urandom(32), login_at=NOW
    )
    assert SEALER.open_(value) is None


def test_a_truncated_or_extended_cookie_does_not_open() -> None:
    value = SEALER.seal(kind=PrincipalKind.SUBJECT, code=os.urandom(32), login_at=NOW)
    assert SEALER.open_(value[:-1]) is None
    assert SEALER.open_(value + "A") is None
    assert SEALER.open_("") is None


def test_a_cookie_of_another_format_version_does_not_open() -> None:
    sealed = bytearray(raw(SEALER.seal(kind=PrincipalKind.SUBJECT, code=bytes(32), login_at=NOW)))
    sealed[0] = 2
    assert SEALER.open_(text(bytes(sealed))) is None


def test_the_cookie_holds_no_readable_code_or_time() -> None:
    code = b"\xaa" * 32
    value = raw(SEALER.seal(kind=PrincipalKind.SUBJECT, code=code, login_at=NOW))
    assert code[:8] not in value
    assert int(NOW.timestamp()).to_bytes(8, "big") not in value


def test_two_seals_of_the_same_session_differ() -> None:
    code = os.urandom(32)
    one = SEALER.seal(kind=PrincipalKind.SUBJECT, code=code, login_at=NOW)
    two = SEALER.seal(kind=PrincipalKind.SUBJECT, code=code, login_at=NOW)
    assert one != two


def test_the_repr_of_contents_hides_the_code() -> None:
    code = b"\x01" * 32
    contents = SEALER.open_(SEALER.seal(kind=PrincipalKind.STAFF, code=code, login_at=NOW))
    assert contents is not None
    assert code.hex() not in repr(contents)
    assert repr(code) not in repr(contents)


def test_cookie_attributes_without_tls() -> None:
    attributes = cookie_attributes(PrincipalKind.SUBJECT, tls=False)
    assert attributes.set_cookie_arguments() == {
        "key": "opeka_session",
        "max_age": None,
        "path": "/",
        "secure": False,
        "httponly": True,
        "samesite": "lax",
    }


def test_cookie_attributes_under_tls_are_secure_with_the_host_prefix() -> None:
    attributes = cookie_attributes(PrincipalKind.STAFF, tls=True)
    assert attributes.name == "__Host-opeka_staff"
    assert attributes.secure
    assert attributes.http_only
    assert attributes.same_site == "lax"
    assert attributes.path == "/"
