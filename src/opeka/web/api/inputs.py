"""Checks of API input against the loaded policy, refused with 422 and never repeated back.

The spine would refuse an unknown field code or category too, but its messages name what it was
given; at the API's edge a client's strings are checked first, so that a refusal only ever names
what the policy defines.
"""

from __future__ import annotations

from collections.abc import Iterable

from opeka.consent.evidence import Evidence
from opeka.policy.rules import Rules
from opeka.requests.notes import check_note
from opeka.web.api.schemas import EvidenceIn
from opeka.web.problems import Problem, ProblemError


def invalid(detail_ru: str, detail_en: str) -> ProblemError:
    """A 422 problem saying what to fix."""
    return ProblemError(
        Problem(422, "invalid_request", "Неверные данные", "Invalid data", detail_ru, detail_en)
    )


def field_codes(rules: Rules, codes: Iterable[str]) -> tuple[str, ...]:
    """``codes`` deduplicated, each a field code of the policy."""
    chosen = tuple(dict.fromkeys(codes))
    if any(code not in rules.fields for code in chosen):
        return _unknown_field()
    return chosen


def _unknown_field() -> tuple[str, ...]:
    raise invalid(
        "Неизвестный код поля; коды полей — в разделе fields политики (GET /policy).",
        "Unknown field code; the field codes are listed in the policy (GET /policy).",
    )


def fields_query(rules: Rules, raw: str | None) -> tuple[str, ...] | None:
    """The ``fields`` query (``a,b``), checked; None when absent (every field allowed)."""
    if raw is None:
        return None
    codes = [part.strip() for part in raw.split(",") if part.strip()]
    if not codes:
        raise invalid("Укажите коды полей через запятую.", "List field codes, comma-separated.")
    return field_codes(rules, codes)


def category(rules: Rules, code: str) -> str:
    """A subject category of the policy."""
    if code not in rules.policy.subject_categories:
        known = ", ".join(rules.policy.subject_categories)
        raise invalid(f"Неизвестная категория субъектов; допустимо: {known}.", f"Use: {known}.")
    return code


def purposes(rules: Rules, ids: Iterable[str]) -> list[str]:
    """Purpose ids of the policy."""
    chosen = list(dict.fromkeys(ids))
    if any(pid not in rules.policy.purposes for pid in chosen):
        raise invalid(
            "Неизвестная цель; цели перечислены в разделе 2.2 политики.",
            "Unknown purpose; the purposes are listed in section 2.2 of the policy.",
        )
    return chosen


def note(text: str, *, what: str, what_ru: str) -> str:
    """A short text kept in clear (source, reason): no e-mails, phones or document numbers."""
    return check_note(text, what=what, what_ru=what_ru, max_length=200)


def evidence(given: EvidenceIn | None) -> Evidence | None:
    """The consent evidence to keep: form id, the IP's network, the user agent's hash."""
    if given is None:
        return None
    try:
        return Evidence.collect(
            form_id=given.form_id,
            ip=str(given.ip) if given.ip is not None else None,
            user_agent=given.user_agent or None,
        )
    except ValueError:
        raise invalid(
            "Доказательство согласия: form_id — до 100 букв, цифр и _.:/-, ip — IP-адрес.",
            "Consent evidence: form_id is up to 100 letters, digits and _.:/-; ip an IP address.",
        ) from None
