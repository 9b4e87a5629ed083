"""Detection of full payment-card numbers in text (policy 1.1.3: never store one).

The policy promises that only the payment provider's token and the last four digits of a card are
kept. :func:`contains_card_number` is the guard every stored value passes through: it looks for a
run of 13–19 digits, possibly grouped by single spaces or hyphens, that starts with a known card
scheme's prefix, has a length that scheme issues, and passes the Luhn check.

What does not count, to keep false alarms away from ordinary values:

* digits glued to letters (``INV4111111111111111`` is an alphanumeric code, not a card number);
* one unbroken run of more than 19 digits (a Russian bank account has 20): sub-runs of a run are
  never tried, only whole groups of a grouped number;
* lengths a scheme does not issue: an OGRNIP (15 digits, ``300…``–``305…``) is not a Diners card,
  an OGRN (13 digits, ``50…``) is not a Maestro card.

:func:`contains_card_digits` is the stricter variant for values that must carry no card number at
all, whatever surrounds it (payment-provider tokens): letters do not shield the digits, and an
underscore also separates groups.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from stdnum import luhn

__all__ = ["contains_card_digits", "contains_card_number", "is_card_number"]

MIN_DIGITS: Final = 13
MAX_DIGITS: Final = 19

_ASCII_DIGITS: Final = "0123456789"
# Separators allowed between digit groups: space, no-break spaces, hyphen and its look-alikes.
_SEP: Final = "[ \u00a0\u202f\\-\u2010\u2011\u2012\u2013]"
_SEP_CHARS: Final = _SEP[1:-1]
# A digit sequence not touching a letter or digit on either side, groups split by one separator;
# the lookahead skips, inside the regex engine, sequences too short to hold 13 digits.
_GROUPED: Final = re.compile(
    rf"(?<![^\W_])(?=[\d{_SEP_CHARS}]{{{MIN_DIGITS}}})\d+(?:{_SEP}\d+)*(?![^\W_])"
)
# The strict variant: any digit sequence, underscores separating groups too.
_GROUPED_STRICT: Final = re.compile(
    rf"(?=[\d_{_SEP_CHARS}]{{{MIN_DIGITS}}})\d+(?:(?:{_SEP}|_)\d+)*"
)
_DIGIT_RUN: Final = re.compile(r"\d+")
_ANY_DIGIT: Final = re.compile(r"\d")


def _lengths(*spans: tuple[int, int]) -> frozenset[int]:
    return frozenset(n for lo, hi in spans for n in range(lo, hi + 1))


_L16_19: Final = _lengths((16, 19))
# (prefix length, lowest prefix, highest prefix, lengths issued); the first match decides.
_SCHEMES: Final[tuple[tuple[int, int, int, frozenset[int]], ...]] = (
    (1, 4, 4, frozenset({13, 16, 19})),  # Visa
    (2, 51, 55, frozenset({16})),  # Mastercard
    (4, 2221, 2720, frozenset({16})),  # Mastercard 2-series
    (4, 2200, 2204, _L16_19),  # Mir
    (2, 34, 34, frozenset({15})),  # American Express
    (2, 37, 37, frozenset({15})),  # American Express
    (4, 3528, 3589, _L16_19),  # JCB
    (3, 300, 305, _lengths((14, 14), (16, 19))),  # Diners Club (Carte Blanche)
    (2, 36, 36, _lengths((14, 19))),  # Diners Club International
    (2, 38, 38, _L16_19),  # Diners Club
    # UnionPay 62, Discover 6011/644–649/65 and Maestro 50/56–69 all issue 16–19 digits.
    (2, 50, 50, _L16_19),
    (2, 56, 69, _L16_19),
)


def _scheme_issues(digits: str) -> bool:
    """True when a scheme with a prefix of ``digits`` issues numbers of this length."""
    length = len(digits)
    for size, lo, hi, lengths in _SCHEMES:
        if lo <= int(digits[:size]) <= hi and length in lengths:
            return True
    return False


def is_card_number(digits: str) -> bool:
    """True for a string of 13–19 ASCII digits that is a plausible full card number."""
    return (
        MIN_DIGITS <= len(digits) <= MAX_DIGITS
        and digits.isascii()
        and digits.isdigit()
        and _scheme_issues(digits)
        and luhn.checksum(digits) == 0
    )


def _to_ascii(digits: str) -> str:
    """Map any Unicode decimal digits (fullwidth, Arabic-Indic…) to ASCII."""
    return digits if digits.isascii() else "".join(str(unicodedata.decimal(c)) for c in digits)


def _groups_hold_card(groups: list[str]) -> bool:
    """True when some consecutive groups together form a card number."""
    for start in range(len(groups)):
        total = 0
        for end in range(start, len(groups)):
            total += len(groups[end])
            if total > MAX_DIGITS:
                break
            if total >= MIN_DIGITS and is_card_number(_to_ascii("".join(groups[start : end + 1]))):
                return True
    return False


def _too_few_digits(text: str) -> bool:
    """The fast pre-check: fewer than 13 digits in the whole text means no card number."""
    if len(text) < MIN_DIGITS:
        return True
    if text.isascii():
        return sum(map(text.count, _ASCII_DIGITS)) < MIN_DIGITS
    # Other scripts may carry other Unicode decimal digits (fullwidth, Arabic-Indic…): count all.
    return len(_ANY_DIGIT.findall(text)) < MIN_DIGITS


def _scan(text: str, pattern: re.Pattern[str]) -> bool:
    if _too_few_digits(text):
        return False
    for match in pattern.finditer(text):
        found = match.group()
        if len(found) < MIN_DIGITS:
            continue
        if _groups_hold_card(_DIGIT_RUN.findall(found)):
            return True
    return False


def contains_card_number(text: str) -> bool:
    """True if ``text`` carries a full payment-card number anywhere (see the module docstring)."""
    return _scan(text, _GROUPED)


def contains_card_digits(text: str) -> bool:
    """Like :func:`contains_card_number`, but letters next to the digits do not excuse them."""
    return _scan(text, _GROUPED_STRICT)
