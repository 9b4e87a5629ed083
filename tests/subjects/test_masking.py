"""Masks never show more than a first letter and an e-mail's top-level domain."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opeka.policy.schema import FieldKind
from opeka.subjects.masking import MASK, mask_email, mask_value

WORD = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=30)
TLD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=6)


def shown(mask: str) -> str:
    """The characters of a mask that come from the value."""
    return mask.replace("*", "").replace(MASK, "")


@pytest.mark.parametrize(
    ("kind", "value", "mask"),
    [
        (FieldKind.EMAIL, "anna@example.org", "a***@e***.org"),
        (FieldKind.EMAIL, "a.b+tag@mail.example.co.uk", "a***@m***.uk"),
        (FieldKind.EMAIL, "localhost@intranet", "l***@***"),
        (FieldKind.EMAIL, "not an e-mail", MASK),
        (FieldKind.PERSON_NAME, "Иванова", "И***"),
        (FieldKind.ADDRESS, "г. Москва, ул. Тверская, 1", "г***"),
        (FieldKind.PHONE, "+79161234567", MASK),
        (FieldKind.DATE, "1990-01-01", MASK),
        (FieldKind.CARD_LAST4, "4242", MASK),
        (FieldKind.DOCUMENT_NUMBER, "INV-0000001", MASK),
        (FieldKind.COUNTRY, "RU", MASK),
        (FieldKind.TEXT, "   ", MASK),
    ],
)
def test_masks_by_kind(kind: FieldKind, value: str, mask: str) -> None:
    assert mask_value(kind, value) == mask


@given(local=WORD, host=WORD, tld=TLD)
def test_an_email_mask_shows_two_letters_and_the_tld(local: str, host: str, tld: str) -> None:
    mask = mask_email(f"{local}@{host}.{tld}")
    assert mask == f"{local[0]}***@{host[0]}***.{tld}"
    assert len(shown(mask).replace("@", "").replace(".", "")) == 2 + len(tld)


@given(kind=st.sampled_from(list(FieldKind)), value=st.text(max_size=200))
def test_no_other_mask_shows_more_than_one_character(kind: FieldKind, value: str) -> None:
    mask = mask_value(kind, value)
    if kind is FieldKind.EMAIL:
        return
    assert len(shown(mask)) <= 1
    if shown(mask):
        assert shown(mask) == value.strip()[0]
