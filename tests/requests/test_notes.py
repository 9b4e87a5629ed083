"""Staff notes carry no document numbers, phones or e-mails (and are never echoed when refused)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opeka.requests.errors import IdentifiersInText, InvalidRequest
from opeka.requests.notes import check_note


def note(text: str) -> str:
    return check_note(text, what="evidence", what_ru="подтверждение", max_length=200)


@pytest.mark.parametrize(
    "text",
    [
        "паспорт РФ, проверен лично",
        "паспорт РФ проверен 12.03.2026",
        "доверенность от 2026-03-12 проверена",
        "отказ: 152-ФЗ ст. 14 ч. 5",
        "серия 4512 проверена",  # a series alone (four digits) names no one
    ],
)
def test_plain_notes_pass(text: str) -> None:
    assert note(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "паспорт 4512 345678 проверен",
        "паспорт 45 12 345678",
        "позвонить +7 999 123-45-67",
        "СНИЛС 112-233-445 95",
        "ответ на ivanov@example.org",
        "карта 2200123456789010",
    ],
)
def test_identifiers_are_refused(text: str) -> None:
    with pytest.raises(IdentifiersInText) as caught:
        note(text)
    for part in text.split():
        if any(c.isdigit() for c in part) or "@" in part:
            assert part not in str(caught.value)
            assert part not in caught.value.message_ru


def test_an_empty_note_is_refused() -> None:
    with pytest.raises(InvalidRequest, match="empty"):
        note("   \n ")


def test_a_long_note_is_refused() -> None:
    with pytest.raises(InvalidRequest, match="longer than 200"):
        note("проверено " * 30)


def test_whitespace_and_control_characters_are_normalised() -> None:
    assert note("  паспорт\tРФ\n проверен\x07 ") == "паспорт РФ проверен"


@given(
    digits=st.text(alphabet="0123456789", min_size=5, max_size=16),
    separator=st.sampled_from(["", " ", "-", " - ", "\u00a0"]),
    prefix=st.sampled_from(["паспорт ", "тел. ", "№", ""]),
)
def test_any_run_of_five_digits_is_refused_however_it_is_split(
    digits: str, separator: str, prefix: str
) -> None:
    split = separator.join([digits[:2], digits[2:]])
    with pytest.raises(IdentifiersInText):
        note(f"{prefix}{split} проверен")


@given(day=st.dates())
def test_dates_pass(day: dt.date) -> None:
    text = f"проверен {day.strftime('%d.%m.%Y')}"
    assert note(text) == text
