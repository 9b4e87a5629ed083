"""What a consent document shows, prepared from the policy for one purpose and subject category.

The consent templates only lay this view out; every choice of content is made here: the list of
data (the purpose's fields the category has, in the purpose's order), the actions in the words
of 152-FZ art. 3 p. 3 (transfer only where the purpose transfers), recipients, processors, the
term and the way to withdraw. Config text passes through ``esc`` (the Markdown escaper for the
text, identity for HTML, where Jinja escapes).

:func:`substance` is what the document says, as data rather than wording: two versions whose
substance is equal differ only in wording (the template) or in the operator's address, and
consents given to the older one stay valid; any other change is material.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass

from opeka.journal.entry import Action
from opeka.policy.schema import Policy, Purpose

Escape = Callable[[str], str]

ADDRESS_PLACEHOLDER = "адрес указывается оператором"
"""Shown while the policy's ``operator.address`` is not set (see :func:`documents.warnings`)."""

WITHDRAWAL_PAGE = "/portal/consents"
"""The portal page («Мои согласия») where a consent is withdrawn in one click."""

_LAW_WORDS: dict[Action, str] = {  # 152-FZ art. 3 p. 3, in the order the law lists them
    Action.COLLECT: "сбор",
    Action.RECORD: "запись",
    Action.SYSTEMATIZE: "систематизация",
    Action.ACCUMULATE: "накопление",
    Action.STORE: "хранение",
    Action.UPDATE: "уточнение (обновление, изменение)",
    Action.EXTRACT: "извлечение",
    Action.USE: "использование",
    Action.TRANSFER: "передача (предоставление, доступ)",
    Action.BLOCK: "блокирование",
    Action.DELETE: "удаление",
    Action.DESTROY: "уничтожение",
}
_COUNTRY_RU = {"RU": "Российская Федерация"}
_DAYS = {
    "calendar": ("календарного дня", "календарных дней"),
    "working": ("рабочего дня", "рабочих дней"),
}


@dataclass(frozen=True, slots=True)
class DataItem:
    """One kind of personal data in the list: its code and its Russian title."""

    code: str
    title: str


@dataclass(frozen=True, slots=True)
class ConsentView:
    """Everything one consent document shows."""

    document_id: str
    operator_name: str
    short_name: str
    address: str
    address_given: bool
    sites: tuple[str, ...]
    contact_email: str
    category_title: str
    purpose_id: str
    purpose_title: str
    purpose_clause: str
    basis_article: str
    data: tuple[DataItem, ...]
    actions: str
    recipients: tuple[str, ...]
    cross_border: bool
    processors: tuple[str, ...]
    automated_decisions: bool
    term: str
    after_purpose: str
    after_withdrawal: str
    portal: str


def document_id(purpose_id: str, category: str) -> str:
    """The stable id of the consent document for ``purpose_id`` and ``category``."""
    return f"consent:{purpose_id}:{category}"


def data_items(policy: Policy, purpose: Purpose, category: str) -> tuple[DataItem, ...]:
    """The purpose's fields that the category has, in the purpose's order, with titles."""
    declared = {item.field for item in policy.subject_categories[category].fields}
    return tuple(
        DataItem(code, policy.fields[code].title.ru)
        for code in purpose.fields
        if code in declared and code in policy.fields
    )


def build_view(
    policy: Policy, purpose_id: str, category: str, *, esc: Escape, portal: str = WITHDRAWAL_PAGE
) -> ConsentView:
    """The view of the consent document for ``purpose_id`` and ``category``."""
    operator, purpose = policy.operator, policy.purposes[purpose_id]
    recipients = [policy.recipients[r] for r in purpose.transfer_to if r in policy.recipients]
    actions = [w for a, w in _LAW_WORDS.items() if a is not Action.TRANSFER or recipients]
    return ConsentView(
        document_id=document_id(purpose_id, category),
        operator_name=esc(operator.name),
        short_name=esc(operator.short_name),
        address=esc(operator.address or ADDRESS_PLACEHOLDER),
        address_given=operator.address is not None,
        sites=tuple(esc(s) for s in operator.sites if "*" not in s),
        contact_email=esc(operator.contact_email),
        category_title=esc(policy.subject_categories[category].title.ru),
        purpose_id=esc(purpose_id),
        purpose_title=esc(purpose.title.ru),
        purpose_clause=esc(purpose.clause),
        basis_article=esc(policy.legal_bases[purpose.basis].article),
        data=tuple(DataItem(i.code, esc(i.title)) for i in data_items(policy, purpose, category)),
        actions=_sentence(", ".join(actions)),
        recipients=tuple(
            esc(f"{r.title.ru} ({', '.join(_COUNTRY_RU.get(c, c) for c in r.countries)})")
            for r in recipients
        ),
        cross_border=policy.cross_border.allowed,
        processors=tuple(esc(n) for n in policy.processors.names) if policy.processors.used else (),
        automated_decisions=policy.automated_decisions.used,
        term=esc(_lower_first(purpose.retention.rule.ru)),
        after_purpose=within(purpose.retention.destroy_within_days, "calendar"),
        after_withdrawal=withdrawal_term(policy, purpose),
        portal=esc(portal),
    )


def _lower_first(text: str) -> str:
    """'До отзыва' → 'до отзыва' inside a sentence; acronyms ('ИНН') stay as they are."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def withdrawal_term(policy: Policy, purpose: Purpose) -> str:
    """The term of destruction after withdrawal: the policy's (5.3), else the purpose's."""
    deadline = policy.deadlines.get("withdrawal_destruction")
    if deadline is None:
        return within(purpose.retention.destroy_within_days, "calendar")
    return within(deadline.days, deadline.unit)


def within(days: int, unit: str) -> str:
    """'в течение 30 календарных дней' ('незамедлительно' for 0)."""
    if days == 0:
        return "незамедлительно"
    one, many = _DAYS[unit]
    return f"в течение {days} {one if days % 10 == 1 and days % 100 != 11 else many}"


def substance(view: ConsentView) -> str:
    """SHA-256 of what the document says (not how): equal substance means a wording change."""
    content = asdict(view)
    for wording_only in ("address", "address_given"):
        del content[wording_only]
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
