"""Sealing of acts: a key of its own from the master key, ciphertexts bound to their place."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opeka.documents.errors import ActUnreadable
from opeka.documents.sealing import ActCipher

CIPHER = ActCipher.from_wrap_key(os.urandom(32))
places = st.text(min_size=1, max_size=40)


@given(st.binary(max_size=2000), places)
def test_a_sealed_part_opens_at_its_place(data: bytes, place: str) -> None:
    assert CIPHER.open(CIPHER.seal(data, place=place), place=place) == data


@given(st.binary(min_size=1, max_size=200), places, places)
def test_a_sealed_part_does_not_open_elsewhere(data: bytes, place: str, other: str) -> None:
    if other == place:
        return
    with pytest.raises(ActUnreadable):
        CIPHER.open(CIPHER.seal(data, place=place), place=other)


def test_another_master_key_cannot_open_an_act() -> None:
    other = ActCipher.from_wrap_key(os.urandom(32))
    with pytest.raises(ActUnreadable):
        other.open(CIPHER.seal(b"{}", place="2026-A-000001/body"), place="2026-A-000001/body")


def test_the_act_key_is_not_the_wrapping_key() -> None:
    wrap = os.urandom(32)
    sealed = ActCipher.from_wrap_key(wrap).seal(b"x", place="p")
    with pytest.raises(ActUnreadable):
        ActCipher(wrap).open(sealed, place="p")
