"""Validation and normalisation of one personal-data value for its field's kind.

:func:`normalize` is the single gate a value passes before it is stored: it checks the value
against its field's :class:`~opeka.policy.schema.FieldKind`, returns the canonical form that is
encrypted and stored, and refuses anything else with :class:`~opeka.policy.errors.InvalidValue`.
The refusal says what to fix in English and Russian, names the field and its clause, and never
quotes the value: the value is personal data and errors end up in logs.

Every kind refuses a value that carries a full payment-card number (policy 1.1.3).

:func:`email_index_form` and :func:`phone_index_form` give the forms blind indexes are computed
over, so that a lookup finds a subject however the address or number was typed.

The functions run once per value in bulk imports (10⁶ subjects), so regexes are compiled once,
the kind picks its function from a dict, and no objects are built that a call can do without.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Final

import phonenumbers
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from opeka.policy.cards import contains_card_digits, contains_card_number
from opeka.policy.countries import COUNTRY_NAMES, ISO_COUNTRIES
from opeka.policy.errors import InvalidValue
from opeka.policy.schema import FieldKind, FieldSpec

__all__ = [
    "CARD_CLAUSE",
    "ISO_COUNTRIES",
    "PHONE_LOOKUP_CLAUSE",
    "email_index_form",
    "normalize",
    "phone_index_form",
]

CARD_CLAUSE: Final = "1.1.3"
"""The clause that allows only a provider token and the last four digits of a card."""
PHONE_LOOKUP_CLAUSE: Final = "1.1.2–1.1.4"
"""The clauses that list the phone among the data collected (cited by failed phone lookups)."""

DEFAULT_REGION: Final = "RU"
EMAIL_MAX: Final = 254
DOCUMENT_MAX: Final = 64
BIRTH_MIN_YEAR: Final = 1900
_BIRTH_CATEGORY: Final = "user.demographic.date_of_birth"

# C0/C1 controls other than the whitespace ones (tab, newlines), bidi embeddings, overrides and
# isolates (they make text display differently from what is stored), BOM, lone surrogates.
_CONTROL: Final = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_LETTERS: Final = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0400-\u052f"
_PERSON_NAME: Final = re.compile(f"(?=.*[{_LETTERS}])[{_LETTERS} '\u2019.\\-]+")
_PHONE_CHARS: Final = re.compile(r"[+\d\s().\-\u2010-\u2013]+")
# The common Russian forms (+7 or trunk 8, ten digits, usual grouping), handled without the
# phonenumbers parser; tests check that both give the same answer on every such form.
_RU_PHONE: Final = re.compile(
    r"(\+7|8)[ \-]?\(?([0-9]{3})\)?[ \-]?([0-9]{3})[ \-]?([0-9]{2})[ \-]?([0-9]{2})"
)
_ISO_DATE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_RU_DATE: Final = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_CARD_TOKEN: Final = re.compile(r"[A-Za-z0-9_\-]{8,128}")
_LAST4: Final = re.compile(r"[0-9]{4}")
_DOCUMENT: Final = re.compile(r"[\w\-/. ]+")

_E164: Final = phonenumbers.PhoneNumberFormat.E164

_Normalizer = Callable[[str, FieldSpec, str], str]


def _refuse(field_code: str, spec: FieldSpec, en: str, ru: str, clause: str = "") -> InvalidValue:
    """An :class:`InvalidValue` naming the field; ``en``/``ru`` say what to fix, never the value."""
    return InvalidValue(
        f"{spec.title.en} (field `{field_code}`): {en}",
        clause=clause or spec.clause,
        message_ru=f"{spec.title.ru} (поле `{field_code}`): {ru}",
    )


def _too_long(field_code: str, spec: FieldSpec, limit: int) -> InvalidValue:
    return _refuse(
        field_code,
        spec,
        f"is too long; shorten it to at most {limit} characters",
        f"слишком длинное значение; сократите его до {limit} символов",
    )


def _empty(field_code: str, spec: FieldSpec) -> InvalidValue:
    return _refuse(field_code, spec, "is empty; enter a value", "пустое значение; заполните поле")


def _card_refusal(field_code: str, spec: FieldSpec) -> InvalidValue:
    return _refuse(
        field_code,
        spec,
        "contains a full payment-card number; remove it: only the payment provider's token and "
        "the last four digits of a card may be stored",
        "содержит полный номер банковской карты; удалите его: хранятся только токен платёжного "
        "провайдера и последние четыре цифры карты (п. 1.1.3 Политики)",
        clause=CARD_CLAUSE,
    )


# --- free text, addresses, names ----------------------------------------------------------------


def _text(field_code: str, spec: FieldSpec, value: str) -> str:
    """Strip, collapse inner whitespace to single spaces, compose to NFC; refuse controls."""
    if _CONTROL.search(value):
        raise _refuse(
            field_code,
            spec,
            "contains control or invisible formatting characters; retype it as plain text",
            "содержит управляющие или невидимые символы; введите значение обычным текстом",
        )
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    cleaned = " ".join(value.split())
    if not cleaned:
        raise _empty(field_code, spec)
    if len(cleaned) > spec.max_length:
        raise _too_long(field_code, spec, spec.max_length)
    return cleaned


def _person_name(field_code: str, spec: FieldSpec, value: str) -> str:
    cleaned = _text(field_code, spec, value)
    if _PERSON_NAME.fullmatch(cleaned) is None:
        raise _refuse(
            field_code,
            spec,
            "may contain only Cyrillic or Latin letters, spaces, hyphens, apostrophes and dots",
            "может содержать только буквы кириллицы или латиницы, пробелы, дефисы, апострофы "
            "и точки",
        )
    return cleaned


# --- e-mail and phone -----------------------------------------------------------------------------


# A fast path for the common case, written here because email-validator costs ~17 µs a call and
# an import validates 10⁶ addresses: plain ASCII dot-atom local parts and LDH domains with an
# alphabetic top-level label, outside the special-use names the library refuses. Everything
# else (quoted local parts, IDN, odd forms) goes to the library; a property test checks that
# the library accepts everything this accepts, with the same result.
_PLAIN_EMAIL: Final = re.compile(
    r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
)
_SPECIAL_USE: Final = tuple(f".{name}" for name in SPECIAL_USE_DOMAIN_NAMES)
LOCAL_MAX: Final = 64
DOMAIN_MAX: Final = 253


def _plain_email(value: str) -> str | None:
    """``local@domain`` with the domain lowercased, or None when the fast path does not apply."""
    match = _PLAIN_EMAIL.fullmatch(value)
    if match is None:
        return None
    local, domain = match.group(1), match.group(2).lower()
    if len(local) > LOCAL_MAX or len(domain) > DOMAIN_MAX:
        return None
    if ("." + domain).endswith(_SPECIAL_USE) or "--" in domain:
        return None
    return f"{local}@{domain}"


def _email(field_code: str, spec: FieldSpec, value: str) -> str:
    """The address as given, its domain lowercased (and IDNA-normalised by the validator)."""
    value = value.strip()
    if not value:
        raise _empty(field_code, spec)
    limit = min(EMAIL_MAX, spec.max_length)
    if len(value) > limit:
        raise _too_long(field_code, spec, limit)
    fast = _plain_email(value)
    if fast is not None:
        return fast
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        # The library's message may quote parts of the address: never pass it on.
        raise _refuse(
            field_code,
            spec,
            "is not a valid e-mail address; enter one like name@example.com",
            "не является корректным адресом электронной почты; введите адрес вида name@example.com",
        ) from None
    return f"{checked.local_part}@{checked.domain.lower()}"


def _e164(value: str) -> str | None:
    """The number in E.164 (national numbers read as Russian), or None when it is not a phone."""
    fast = _RU_PHONE.fullmatch(value)
    # After the trunk 8, a leading 1 may start the international prefix 810: leave it to the parser.
    if fast is not None and (fast[1] == "+7" or fast[2][0] not in "01"):
        return f"+7{fast[2]}{fast[3]}{fast[4]}{fast[5]}"
    if _PHONE_CHARS.fullmatch(value) is None:
        return None
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, _E164))


_PHONE_EN: Final = (
    "is not a possible phone number; enter it with the country code, like +7 XXX XXX-XX-XX "
    "(digits, spaces, brackets, hyphens and a leading plus only)"
)
_PHONE_RU: Final = (
    "не является возможным номером телефона; введите его с кодом страны, например "
    "+7 XXX XXX-XX-XX (только цифры, пробелы, скобки, дефисы и плюс в начале)"
)


def _phone(field_code: str, spec: FieldSpec, value: str) -> str:
    value = value.strip()
    if not value:
        raise _empty(field_code, spec)
    if len(value) > spec.max_length:
        raise _too_long(field_code, spec, spec.max_length)
    e164 = _e164(value)
    if e164 is None:
        raise _refuse(field_code, spec, _PHONE_EN, _PHONE_RU)
    return e164


# --- dates -------------------------------------------------------------------------------------


def _date(field_code: str, spec: FieldSpec, value: str) -> str:
    """ISO ``YYYY-MM-DD`` or Russian ``DD.MM.YYYY`` → ISO; birth dates within 1900..today."""
    value = value.strip()
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := _RU_DATE.fullmatch(value):
        day, month, year = match.groups()
    else:
        raise _refuse(
            field_code,
            spec,
            "is not a date; enter it as YYYY-MM-DD or DD.MM.YYYY",
            "не является датой; введите её в виде ДД.ММ.ГГГГ или ГГГГ-ММ-ДД",
        )
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise _refuse(
            field_code,
            spec,
            "names a day that does not exist; check the day and the month",
            "такого дня не существует; проверьте число и месяц",
        ) from None
    if spec.data_category == _BIRTH_CATEGORY:
        _check_birth_date(field_code, spec, date)
    return date.isoformat()


def _check_birth_date(field_code: str, spec: FieldSpec, date: dt.date) -> None:
    if date > dt.date.today():
        raise _refuse(
            field_code,
            spec,
            "is in the future; a date of birth cannot be",
            "дата в будущем; дата рождения не может быть позже сегодняшнего дня",
        )
    if date.year < BIRTH_MIN_YEAR:
        raise _refuse(
            field_code,
            spec,
            f"is before {BIRTH_MIN_YEAR}; check the year",
            f"дата раньше {BIRTH_MIN_YEAR} года; проверьте год",
        )


# --- countries ----------------------------------------------------------------------------------


def _country(field_code: str, spec: FieldSpec, value: str) -> str:
    """An ISO 3166 alpha-2 code (any case) or a common country's name → the upper-case code."""
    key = " ".join(value.split())
    if not key:
        raise _empty(field_code, spec)
    if len(key) == 2 and key.upper() in ISO_COUNTRIES:
        return key.upper()
    code = COUNTRY_NAMES.get(key.casefold().replace("ё", "е").replace(".", ""))
    if code is None:
        raise _refuse(
            field_code,
            spec,
            "is not a known country; enter its two-letter ISO 3166 code, such as RU or KZ",
            "страна не распознана; введите её двухбуквенный код ISO 3166, например RU или KZ",
        )
    return code


# --- payment cards and documents ----------------------------------------------------------------


def _card_token(field_code: str, spec: FieldSpec, value: str) -> str:
    value = value.strip()
    if _CARD_TOKEN.fullmatch(value) is None:
        raise _refuse(
            field_code,
            spec,
            "is not a payment-provider token; it must be 8 to 128 Latin letters, digits, "
            "underscores or hyphens",
            "не является токеном платёжного провайдера; токен состоит из 8–128 латинских букв, "
            "цифр, подчёркиваний или дефисов",
        )
    if contains_card_digits(value):
        raise _card_refusal(field_code, spec)
    return value


def _card_last4(field_code: str, spec: FieldSpec, value: str) -> str:
    value = value.strip()
    if _LAST4.fullmatch(value) is None:
        raise _refuse(
            field_code,
            spec,
            "must be exactly the last 4 digits of the card",
            "должно состоять ровно из 4 последних цифр карты",
        )
    return value


def _document_number(field_code: str, spec: FieldSpec, value: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise _empty(field_code, spec)
    limit = min(DOCUMENT_MAX, spec.max_length)
    if len(cleaned) > limit:
        raise _too_long(field_code, spec, limit)
    if _DOCUMENT.fullmatch(cleaned) is None:
        raise _refuse(
            field_code,
            spec,
            "may contain only letters, digits, spaces and the characters - / . _",
            "может содержать только буквы, цифры, пробелы и символы - / . _",
        )
    return cleaned


_NORMALIZERS: Final[dict[FieldKind, _Normalizer]] = {
    FieldKind.TEXT: _text,
    FieldKind.ADDRESS: _text,
    FieldKind.PERSON_NAME: _person_name,
    FieldKind.EMAIL: _email,
    FieldKind.PHONE: _phone,
    FieldKind.DATE: _date,
    FieldKind.COUNTRY: _country,
    FieldKind.CARD_TOKEN: _card_token,
    FieldKind.CARD_LAST4: _card_last4,
    FieldKind.DOCUMENT_NUMBER: _document_number,
}


def _as_text(field_code: str, spec: FieldSpec, raw: object) -> str:
    """The raw value as a string: a ``str``, or a :class:`datetime.date` for a date field."""
    if isinstance(raw, str):
        return raw
    if spec.kind is FieldKind.DATE and type(raw) is dt.date:
        return raw.isoformat()
    raise _refuse(
        field_code,
        spec,
        f"must be given as text, not as {type(raw).__name__}",
        f"значение должно быть передано строкой, а не {type(raw).__name__}",
    )


def normalize(field_code: str, spec: FieldSpec, raw: object) -> str:
    """Validate ``raw`` for the field ``field_code`` and return its canonical stored form.

    Raises :class:`InvalidValue` (citing ``spec.clause``, or 1.1.3 for a card number) with an
    English and a Russian message that say what to fix and never contain the value.
    """
    value = _as_text(field_code, spec, raw)
    # A hard cap before any scanning, so that a megabyte of input costs nothing.
    if len(value) > 4 * spec.max_length + 256:
        raise _too_long(field_code, spec, spec.max_length)
    if contains_card_number(value):
        raise _card_refusal(field_code, spec)
    return _NORMALIZERS[spec.kind](field_code, spec, value)


def email_index_form(email: str) -> str:
    """The form an e-mail blind index is computed over: NFKC, lowercase, stripped."""
    return unicodedata.normalize("NFKC", email).lower().strip()


def phone_index_form(phone: str, *, clause: str = PHONE_LOOKUP_CLAUSE) -> str:
    """The form a phone blind index is computed over: E.164 (national numbers read as Russian).

    Raises :class:`InvalidValue` citing ``clause`` when ``phone`` is not a possible phone number.
    """
    e164 = _e164(phone.strip())
    if e164 is None:
        raise InvalidValue(f"Phone: {_PHONE_EN}", clause=clause, message_ru=f"Телефон: {_PHONE_RU}")
    return e164
