"""Tests of value validation and normalisation per field kind (opeka.policy.values)."""

from __future__ import annotations

import datetime as dt

import phonenumbers
import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from opeka.policy.errors import InvalidValue
from opeka.policy.loader import load_policy
from opeka.policy.schema import FieldKind, FieldSpec, Text
from opeka.policy.values import (
    CARD_CLAUSE,
    ISO_COUNTRIES,
    email_index_form,
    normalize,
    phone_index_form,
)

FIELDS = load_policy().fields
VISA = "4111111111111111"
MIR = "2200000000000004"


def spec_of(kind: FieldKind, *, max_length: int = 200, category: str = "user.custom") -> FieldSpec:
    return FieldSpec(
        title=Text(ru="Поле", en="Field"),
        data_category=category,
        kind=kind,
        clause="9.9",
        max_length=max_length,
    )


def norm(code: str, raw: object) -> str:
    return normalize(code, FIELDS[code], raw)


def refused(code: str, raw: object, *, spec: FieldSpec | None = None) -> InvalidValue:
    """Normalise ``raw``, expect a refusal, and check it names the field but never the value."""
    spec = spec or FIELDS[code]
    with pytest.raises(InvalidValue) as caught:
        normalize(code, spec, raw)
    err = caught.value
    assert f"`{code}`" in err.message
    assert f"`{code}`" in err.message_ru
    assert err.message_ru != err.message
    if isinstance(raw, str):
        for form in {raw, raw.strip()}:
            if len(form) >= 3:
                for text in (err.message, err.message_ru, str(err), repr(err.args)):
                    assert form not in text
    return err


# --- every kind -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(FIELDS))
def test_every_kind_refuses_a_card_number_citing_1_1_3(code: str) -> None:
    err = refused(code, f" {VISA} ")
    assert err.clause == CARD_CLAUSE == "1.1.3"
    assert "1.1.3" in str(err)
    assert "1.1.3" in err.message_ru
    assert "token" in err.message


@pytest.mark.parametrize("code", ["organization", "delivery_address", "purchase_invoice_number"])
def test_card_number_grouped_inside_text_is_refused(code: str) -> None:
    err = refused(code, "Оплата картой 2200 0000 0000 0004, спасибо")
    assert err.clause == CARD_CLAUSE


@pytest.mark.parametrize("code", sorted(FIELDS))
def test_refusal_cites_the_field_clause(code: str) -> None:
    err = refused(code, "\x00\x01 ~~~ \x02")
    assert err.clause == FIELDS[code].clause


@pytest.mark.parametrize("raw", [12345, None, b"bytes", ["a"], 4.5])
def test_non_text_value_is_refused(raw: object) -> None:
    err = refused("organization", raw)
    assert "text" in err.message


def test_megabyte_value_is_refused_before_scanning() -> None:
    err = refused("organization", "ы" * 1_000_000)
    assert "too long" in err.message


# --- text and address ------------------------------------------------------------------------


def test_text_is_stripped_and_whitespace_collapsed() -> None:
    assert (
        norm("organization", "  ООО «Ромашка»,\t отдел\n продаж  ") == "ООО «Ромашка», отдел продаж"
    )


def test_text_is_composed_to_nfc() -> None:
    decomposed = "\u0418\u0306ошкар-Ола"
    assert norm("city", decomposed) == "\u0419ошкар-Ола"


def test_address_keeps_punctuation_and_joins_lines() -> None:
    raw = "г. Москва,\r\nул. Тверская, д. 7, кв. 15\n125009"
    assert norm("delivery_address", raw) == "г. Москва, ул. Тверская, д. 7, кв. 15 125009"


def test_address_accepts_up_to_its_max_length() -> None:
    assert len(norm("delivery_address", "д" * 500)) == 500


def test_text_with_control_character_is_refused() -> None:
    err = refused("organization", "ООО Ромашка\x07Плюс")
    assert "control" in err.message


def test_text_with_bidi_override_is_refused() -> None:
    refused("city", "Moscow\u202ewoksoM")


def test_empty_text_is_refused() -> None:
    assert "empty" in refused("organization", "").message
    assert "empty" in refused("position", " \t\n ").message


def test_too_long_text_is_refused() -> None:
    err = refused("organization", "Рога и копыта " * 20)
    assert "200" in err.message
    assert "200" in err.message_ru


def test_too_long_address_is_refused() -> None:
    assert "500" in refused("delivery_address", "улица Ленина " * 40).message


# --- person names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Иванов", "Иванов"),
        ("  Салтыков-Щедрин ", "Салтыков-Щедрин"),
        ("O'Brien", "O'Brien"),
        ("д’Артаньян", "д’Артаньян"),
        ("Jean  Claude", "Jean Claude"),
        ("J. R. R.", "J. R. R."),
        ("Müller", "Müller"),
        ("Ёлкина", "Ёлкина"),
    ],
)
def test_person_name_accepted_forms(raw: str, expected: str) -> None:
    assert norm("last_name", raw) == expected


def test_person_name_with_digits_is_refused() -> None:
    assert "letters" in refused("first_name", "Иван2000").message


def test_person_name_with_symbols_is_refused() -> None:
    refused("first_name", "Ivan@Petrov")


def test_person_name_in_another_script_is_refused() -> None:
    refused("first_name", "Ιωάννης")


def test_person_name_without_letters_is_refused() -> None:
    refused("patronymic", "-.'")


def test_empty_person_name_is_refused() -> None:
    refused("first_name", "   ")


# --- e-mail ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ivan.Petrov@Example.COM", "Ivan.Petrov@example.com"),
        ("  info@wwgroup.ru ", "info@wwgroup.ru"),
        ("user+tag@sub.example.org", "user+tag@sub.example.org"),
        ("Иван@ПОЧТА.РФ", "Иван@почта.рф"),
    ],
)
def test_email_accepted_forms(raw: str, expected: str) -> None:
    assert norm("email", raw) == expected


@pytest.mark.parametrize(
    "raw", ["ivan.petrov.example.com", "ivan petrov@example.com", "ivan<petrov>@example.com"]
)
def test_invalid_email_is_refused_without_quoting_it(raw: str) -> None:
    assert "e-mail" in refused("email", raw).message


def test_email_on_a_reserved_domain_is_refused() -> None:
    refused("email", "ivan.petrov@localhost")


def test_too_long_email_is_refused() -> None:
    err = refused("email", "ivan." + "x" * 250 + "@example.com")
    assert "254" in err.message


def test_empty_email_is_refused() -> None:
    refused("email", "")


# --- phones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+7 912 345-67-89", "+79123456789"),
        ("8 (912) 345-67-89", "+79123456789"),
        ("89123456789", "+79123456789"),
        ("+7(495)123-45-67", "+74951234567"),
        ("8 800 555 35 35", "+78005553535"),
        ("(495) 123-45-67", "+74951234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("810 44 20 7946 0958", "+442079460958"),
        ("+375 29 123-45-67", "+375291234567"),
    ],
)
def test_phone_accepted_forms(raw: str, expected: str) -> None:
    assert norm("phone", raw) == expected


@pytest.mark.parametrize("raw", ["123-45", "+7 912 345-67-8", "+7 912 345-67-890"])
def test_impossible_phone_is_refused(raw: str) -> None:
    assert "phone" in refused("mobile_phone", raw).message


def test_phone_with_letters_is_refused() -> None:
    refused("phone", "+7 912 CALL-NOW")


def test_empty_phone_is_refused() -> None:
    refused("fax", "  ")


def test_too_long_phone_is_refused() -> None:
    refused("phone", "+7 " + "9" * 300)


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1990-02-01", "1990-02-01"),
        ("01.02.1990", "1990-02-01"),
        ("1.2.1990", "1990-02-01"),
        (" 29.02.2000 ", "2000-02-29"),
        (dt.date(1985, 12, 31), "1985-12-31"),
    ],
)
def test_date_accepted_forms(raw: object, expected: str) -> None:
    assert norm("birth_date", raw) == expected


def test_birth_date_today_is_accepted() -> None:
    today = dt.date.today()
    assert norm("birth_date", today.strftime("%d.%m.%Y")) == today.isoformat()


def test_birth_date_in_the_future_is_refused() -> None:
    future = dt.date.today() + dt.timedelta(days=30)
    assert "future" in refused("birth_date", future.isoformat()).message


def test_birth_date_before_1900_is_refused() -> None:
    assert "1900" in refused("birth_date", "31.12.1899").message


def test_other_dates_may_be_in_the_future() -> None:
    spec = spec_of(FieldKind.DATE)
    future = dt.date.today() + dt.timedelta(days=400)
    assert normalize("due_date", spec, future.isoformat()) == future.isoformat()


@pytest.mark.parametrize("raw", ["1990/02/01", "01-02-1990", "1 февраля 1990", "19900201"])
def test_date_in_another_format_is_refused(raw: str) -> None:
    assert "YYYY-MM-DD" in refused("birth_date", raw).message


@pytest.mark.parametrize("raw", ["31.02.2000", "1990-13-01", "00.01.1990"])
def test_nonexistent_date_is_refused(raw: str) -> None:
    assert "does not exist" in refused("birth_date", raw).message


def test_datetime_is_refused_for_a_date() -> None:
    refused("birth_date", dt.datetime(1990, 2, 1, 12, 0))


# --- countries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("RU", "RU"),
        ("kz", "KZ"),
        (" by ", "BY"),
        ("Россия", "RU"),
        ("российская   федерация", "RU"),
        ("Russian Federation", "RU"),
        ("Соединённые Штаты", "US"),
        ("U.S.A.", "US"),
        ("UK", "GB"),
        ("Беларусь", "BY"),
    ],
)
def test_country_accepted_forms(raw: str, expected: str) -> None:
    assert norm("country", raw) == expected


def test_unknown_country_is_refused() -> None:
    assert "ISO 3166" in refused("country", "Атлантида").message


def test_unassigned_country_code_is_refused() -> None:
    refused("country", "XX")


def test_empty_country_is_refused() -> None:
    refused("country", "")


# --- card token and last four digits ---------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["tok_1MqLx2LkdIwHu7ix", "2d4c8a5e-000f-5000-9000-1b68e7b15f3f", "1234567890", "A" * 128]
)
def test_card_token_accepted_forms(raw: str) -> None:
    assert norm("bank_card_token", f" {raw} ") == raw


@pytest.mark.parametrize("raw", ["tok 12345678", "tok/1234567", "токен12345678"])
def test_card_token_with_bad_characters_is_refused(raw: str) -> None:
    assert "token" in refused("bank_card_token", raw).message


def test_too_short_card_token_is_refused() -> None:
    refused("bank_card_token", "tok_123")


def test_too_long_card_token_is_refused() -> None:
    refused("bank_card_token", "t" * 129)


def test_card_token_containing_a_card_number_is_refused() -> None:
    assert refused("bank_card_token", f"tok{MIR}").clause == CARD_CLAUSE


@pytest.mark.parametrize(("raw", "expected"), [("4242", "4242"), (" 0042 ", "0042")])
def test_card_last4_accepted_forms(raw: str, expected: str) -> None:
    assert norm("bank_card_last4", raw) == expected


@pytest.mark.parametrize("raw", ["424", "42424", "42a4", "4 24", "4٢٤2"])
def test_card_last4_not_four_digits_is_refused(raw: str) -> None:
    assert "4 digits" in refused("bank_card_last4", raw).message


# --- document numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("СЧ-2024/00157", "СЧ-2024/00157"), (" INV  2024.15_a ", "INV 2024.15_a"), ("7", "7")],
)
def test_document_number_accepted_forms(raw: str, expected: str) -> None:
    assert norm("purchase_invoice_number", raw) == expected


def test_document_number_with_bad_characters_is_refused() -> None:
    assert "letters, digits" in refused("purchase_invoice_number", "INV#2024:15").message


def test_too_long_document_number_is_refused() -> None:
    assert "64" in refused("purchase_invoice_number", "INV-" + "7" * 61).message


def test_document_number_is_limited_to_64_whatever_the_spec() -> None:
    spec = spec_of(FieldKind.DOCUMENT_NUMBER, max_length=500)
    refused("doc", "A" * 65, spec=spec)


def test_empty_document_number_is_refused() -> None:
    refused("purchase_invoice_number", "   ")


# --- blind-index forms -----------------------------------------------------------------------


def test_email_index_form_folds_case_and_width() -> None:
    assert email_index_form("  Ivan.Petrov@Example.COM\n") == "ivan.petrov@example.com"
    assert email_index_form("ｉｖａｎ@example.com") == "ivan@example.com"
    assert email_index_form("Иван@ПОЧТА.РФ") == "иван@почта.рф"


def test_email_index_form_equal_for_normalised_and_typed_forms() -> None:
    assert email_index_form(norm("email", "IVAN@Example.com")) == email_index_form(
        "ivan@EXAMPLE.COM"
    )


@pytest.mark.parametrize("raw", ["+7 912 345-67-89", "8 (912) 345-67-89", "+79123456789"])
def test_phone_index_form_is_e164(raw: str) -> None:
    assert phone_index_form(raw) == "+79123456789"


def test_phone_index_form_refuses_a_non_phone() -> None:
    with pytest.raises(InvalidValue) as caught:
        phone_index_form("12-34-5")
    assert "12-34-5" not in str(caught.value)
    assert "12-34-5" not in caught.value.message_ru
    assert caught.value.clause == "1.1.2–1.1.4"


def test_iso_country_table_is_complete() -> None:
    assert len(ISO_COUNTRIES) == 249
    assert {"RU", "KZ", "BY", "GB", "US", "AQ"} <= ISO_COUNTRIES


# --- properties --------------------------------------------------------------------------------

_NAME_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЕЁЖЯabcxyzABCXYZéüß"
_ru_national = st.text(alphabet="0123456789", min_size=10, max_size=10)
_ru_phone = st.builds(
    lambda lead, d, seps: (
        f"{lead}{seps[0]}{d[:3]}{seps[1]}{d[3:6]}{seps[2]}{d[6:8]}{seps[3]}{d[8:]}"
    ),
    st.sampled_from(["+7", "8", "+7 ", "8 ", "+7(", "8 ("]),
    _ru_national,
    st.lists(st.sampled_from(["", " ", "-", ") ", ")"]), min_size=4, max_size=4),
)
_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today())

VALID_INPUTS: dict[str, st.SearchStrategy[str]] = {
    "organization": st.text(
        st.characters(exclude_categories=("Cc", "Cs", "Cf")), min_size=1, max_size=250
    ),
    "delivery_address": st.text(
        st.characters(exclude_categories=("Cc", "Cs", "Cf"), include_characters="\n\t"),
        min_size=1,
        max_size=600,
    ),
    "last_name": st.text(st.sampled_from(_NAME_LETTERS + " -'’."), min_size=1, max_size=60),
    "email": st.emails(),
    "phone": st.one_of(
        _ru_phone,
        st.builds(
            lambda d: f"+44 20 {d[:4]} {d[4:]}", st.text("0123456789", min_size=8, max_size=8)
        ),
    ),
    "birth_date": st.one_of(
        _dates.map(dt.date.isoformat), _dates.map(lambda d: d.strftime("%d.%m.%Y"))
    ),
    "country": st.one_of(
        st.sampled_from(sorted(ISO_COUNTRIES)).map(str.lower),
        st.sampled_from(["Россия", "Казахстан", "Germany", "США", "Великобритания"]),
    ),
    "bank_card_token": st.from_regex(r"[A-Za-z0-9_\-]{8,128}", fullmatch=True),
    "bank_card_last4": st.from_regex(r"[0-9]{4}", fullmatch=True),
    "purchase_invoice_number": st.from_regex(r"[\w\-/. ]{1,64}", fullmatch=True),
}


@pytest.mark.parametrize("code", sorted(VALID_INPUTS))
@given(data=st.data())
def test_normalize_is_idempotent(code: str, data: st.DataObject) -> None:
    raw = data.draw(VALID_INPUTS[code])
    try:
        once = norm(code, raw)
    except InvalidValue:
        reject()  # e.g. blank text, or a name of dots only: not a valid input
    assert norm(code, once) == once


def test_every_kind_has_an_idempotence_check() -> None:
    assert {FIELDS[code].kind for code in VALID_INPUTS} == set(FieldKind)


@given(phone=_ru_phone)
def test_fast_russian_phone_path_agrees_with_phonenumbers(phone: str) -> None:
    try:
        parsed = phonenumbers.parse(phone, "RU")
        possible = phonenumbers.is_possible_number(parsed)
    except phonenumbers.NumberParseException:
        possible = False
    if not possible:
        with pytest.raises(InvalidValue):
            norm("phone", phone)
        return
    expected = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    assert norm("phone", phone) == expected
    assert phone_index_form(phone) == expected
