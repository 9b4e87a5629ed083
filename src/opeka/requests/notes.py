"""Staff notes on requests: short texts that must carry no identifiers of a person.

Verification evidence ("паспорт РФ, проверен лично"), extension and refusal reasons and results
are stored in clear, so they are checked before they are kept: a run of five or more digits
(a document number, phone, INN, SNILS, card number — digits may be split by spaces or hyphens)
or an e-mail address is refused. Dates (``12.03.2026``, ``2026-03-12``) and article numbers
(``152-ФЗ ст. 14``) pass. The check cannot recognise names: the help texts ask staff not to
write them. The refused text is never echoed in the error.
"""

from __future__ import annotations

import re

from opeka.requests.errors import IdentifiersInText, InvalidRequest

__all__ = ["check_note"]

_DATES = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_DIGIT_RUNS = re.compile(r"\d(?:[\s\u00a0\-‐‑‒–]*\d)*")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
MAX_DIGITS = 4


def check_note(text: str, *, what: str, what_ru: str, max_length: int) -> str:
    """``text`` stripped, or a typed error when it is empty, too long or holds identifiers.

    ``what`` / ``what_ru`` name the note in the error ("refusal reason" / "причина отказа").
    """
    clean = "".join(ch for ch in " ".join(text.split()) if ch.isprintable())
    if not clean:
        raise InvalidRequest(f"the {what} is empty", message_ru=f"{what_ru}: пустой текст")
    if len(clean) > max_length:
        raise InvalidRequest(
            f"the {what} is longer than {max_length} characters",
            message_ru=f"{what_ru}: текст длиннее {max_length} символов",
        )
    without_dates = _DATES.sub(" ", clean)
    too_many_digits = any(
        sum(c.isdigit() for c in run) > MAX_DIGITS for run in _DIGIT_RUNS.findall(without_dates)
    )
    if too_many_digits or _EMAIL.search(clean):
        raise IdentifiersInText(
            f"the {what} looks like it holds a document number, phone or e-mail; name the "
            "document type and what was checked, without its number",
            message_ru=(
                f"{what_ru}: похоже, в тексте номер документа, телефон или адрес почты; "
                "укажите вид документа и что он проверен, без номера"
            ),
        )
    return clean
