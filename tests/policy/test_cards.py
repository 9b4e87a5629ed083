"""Tests of payment-card number detection (policy 1.1.3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from opeka.policy.cards import contains_card_digits, contains_card_number, is_card_number

VISA = "4111111111111111"
MASTERCARD = "5555555555554444"
MASTERCARD_2_SERIES = "2223003122003222"
AMEX = "378282246310005"


def with_check_digit(body: str) -> str:
    """``body`` completed with its Luhn check digit."""
    return body + luhn.calc_check_digit(body)


def grouped(number: str, sep: str, size: int = 4) -> str:
    return sep.join(number[i : i + size] for i in range(0, len(number), size))


def broken_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


# --- caught ------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["2200", "2201", "2202", "2203", "2204"])
def test_mir_numbers_are_caught(prefix: str) -> None:
    number = with_check_digit(prefix + "12345678901")
    assert contains_card_number(number)


@pytest.mark.parametrize("length", [17, 18, 19])
def test_long_mir_numbers_are_caught(length: int) -> None:
    assert contains_card_number(with_check_digit("2200" + "7" * (length - 5)))


def test_visa_is_caught() -> None:
    assert contains_card_number(VISA)


def test_visa_13_digits_is_caught() -> None:
    assert contains_card_number(with_check_digit("422222222222"))


def test_mastercard_is_caught() -> None:
    assert contains_card_number(MASTERCARD)


def test_mastercard_2_series_is_caught() -> None:
    assert contains_card_number(MASTERCARD_2_SERIES)


def test_amex_is_caught() -> None:
    assert contains_card_number(AMEX)


@pytest.mark.parametrize(
    "body",
    [
        "620000000000000",  # UnionPay
        "353011133330000",  # JCB
        "601111111111111",  # Discover
        "676770000000000",  # Maestro
        "3056930902590",  # Diners Club, 14 digits
    ],
)
def test_other_schemes_are_caught(body: str) -> None:
    assert contains_card_number(with_check_digit(body))


@pytest.mark.parametrize("number", [VISA, MASTERCARD_2_SERIES, with_check_digit("2202" + "4" * 11)])
def test_card_inside_russian_text_is_caught(number: str) -> None:
    assert contains_card_number(f"Оплатил картой {number}, чек прилагаю.")


@pytest.mark.parametrize("number", [VISA, MASTERCARD_2_SERIES, with_check_digit("2204" + "5" * 11)])
def test_card_grouped_by_spaces_is_caught(number: str) -> None:
    assert contains_card_number(f"карта {grouped(number, ' ')} до 12/29")


@pytest.mark.parametrize("number", [VISA, MASTERCARD_2_SERIES, with_check_digit("2200" + "3" * 11)])
def test_card_grouped_by_hyphens_is_caught(number: str) -> None:
    assert contains_card_number(f"card:{grouped(number, '-')}.")


def test_amex_in_its_own_grouping_is_caught() -> None:
    assert contains_card_number("Amex 3782 822463 10005")


def test_card_followed_by_more_digit_groups_is_caught() -> None:
    assert contains_card_number(f"{grouped(VISA, ' ')} 2029 123")


def test_card_after_an_invoice_prefix_and_hyphen_is_caught() -> None:
    assert contains_card_number(f"INV-{VISA}")


def test_card_in_fullwidth_digits_is_caught() -> None:
    fullwidth = "".join(chr(0xFF10 + int(d)) for d in VISA)
    assert contains_card_number(f"номер {fullwidth}")


def test_card_between_no_break_spaces_is_caught() -> None:
    assert contains_card_number(grouped(VISA, "\u00a0"))


# --- not caught --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [VISA, MASTERCARD_2_SERIES, with_check_digit("2200" + "1" * 11)])
def test_luhn_invalid_numbers_are_not_caught(number: str) -> None:
    assert not contains_card_number(broken_check_digit(number))
    assert not contains_card_number(grouped(broken_check_digit(number), " "))


@pytest.mark.parametrize(
    "phone",
    ["+7 912 345-67-89", "89123456789", "8 (800) 555-35-35", "+79123456789, +79031234567"],
)
def test_eleven_digit_phones_are_not_caught(phone: str) -> None:
    assert not contains_card_number(phone)


@pytest.mark.parametrize(
    "text", ["2024-01-15", "с 01.02.2024 по 15.03.2024", "2024-01-15 2024-02-20 2024-03-30"]
)
def test_dates_are_not_caught(text: str) -> None:
    assert not contains_card_number(text)


@pytest.mark.parametrize(
    "text", [f"INV{VISA}", f"{VISA}RUB", "СЧ-2024-000123", f"A{MASTERCARD_2_SERIES}B"]
)
def test_invoice_numbers_with_letters_are_not_caught(text: str) -> None:
    assert not contains_card_number(text)


def test_unknown_prefix_is_not_caught() -> None:
    assert not contains_card_number(with_check_digit("990000000000000"))


def test_twenty_digit_bank_account_is_not_caught() -> None:
    account = with_check_digit("4081781009991000431")
    assert len(account) == 20
    assert not contains_card_number(f"р/с {account}")


def test_length_a_scheme_does_not_issue_is_not_caught() -> None:
    # A Luhn-valid 13-digit OGRN starting with 50 is not a Maestro card (Maestro issues 16–19).
    assert not contains_card_number(f"ОГРН {with_check_digit('507774688731')}")
    # A Luhn-valid 15-digit OGRNIP starting with 304 is not a Diners card (14 or 16–19).
    assert not contains_card_number(f"ОГРНИП {with_check_digit('30477460012345')}")


def test_too_few_digits_is_not_caught() -> None:
    assert not contains_card_number("")
    assert not contains_card_number("411111111111")
    assert not contains_card_number("Ivan Petrov, Moscow 125009, office 12")


# --- the strict variant and the number check --------------------------------------------------


def test_strict_variant_catches_digits_glued_to_letters() -> None:
    assert contains_card_digits(f"tok{VISA}x")
    assert contains_card_digits(f"tok_{grouped(VISA, '_')}")


def test_strict_variant_leaves_ordinary_tokens() -> None:
    assert not contains_card_digits("tok_1MqLx2LkdIwHu7ixAbCdEfGh")
    assert not contains_card_digits(f"tok{broken_check_digit(VISA)}")


def test_is_card_number_needs_plain_ascii_digits() -> None:
    assert is_card_number(VISA)
    assert not is_card_number(grouped(VISA, " "))
    assert not is_card_number(VISA[:12])
    assert not is_card_number(VISA + "000")


# --- properties ----------------------------------------------------------------------------------


@given(
    prefix=st.integers(2200, 2204), body=st.text(alphabet="0123456789", min_size=11, max_size=11)
)
def test_every_luhn_valid_16_digit_mir_number_is_caught(prefix: int, body: str) -> None:
    number = with_check_digit(f"{prefix}{body}")
    assert len(number) == 16
    assert contains_card_number(number)
    assert contains_card_number(f"Карта: {grouped(number, ' ')}.")
    assert contains_card_number(f"Карта: {grouped(number, '-')}.")


@given(body=st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_luhn_invalid_visa_numbers_are_never_caught(body: str) -> None:
    assert not contains_card_number(broken_check_digit(with_check_digit("4" + body)))


@given(text=st.text(max_size=300).filter(lambda t: sum(c.isdecimal() for c in t) < 13))
def test_text_with_fewer_than_13_digits_is_never_flagged(text: str) -> None:
    assert not contains_card_number(text)
    assert not contains_card_digits(text)


@given(
    text=st.text(alphabet=st.sampled_from("0123456789 -abcйцу.,+()"), max_size=60).filter(
        lambda t: sum(c.isdecimal() for c in t) < 13
    )
)
def test_digit_heavy_text_with_fewer_than_13_digits_is_never_flagged(text: str) -> None:
    assert not contains_card_number(text)
