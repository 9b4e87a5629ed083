"""The data the policy templates show, prepared from a :class:`~opeka.policy.schema.Policy`.

Everything the text takes from the config is computed here: clause numbers, which purposes and
recipients appear, Russian plural forms, links. The templates only loop and branch over this view.
Every config string passes through ``esc`` (the Markdown escaper for ``md``; identity for HTML,
where Jinja escapes), so the templates never see raw config text in Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from opeka.policy.law import STATUTORY_TERMS
from opeka.policy.schema import Policy, Purpose

Escape = Callable[[str], str]

HOME_COUNTRY = "RU"  # the operator's country: a transfer elsewhere is cross-border

_IN_DAYS = {  # "в течение N …" (genitive): 1 → singular, otherwise plural
    "calendar": ("календарного дня", "календарных дней"),
    "working": ("рабочего дня", "рабочих дней"),
}


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink: escaped label, percent-encoded URL."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of a list; ``mandatory`` marks a field the Services need (policy 1.1.1)."""

    text: str
    mandatory: bool = False


@dataclass(frozen=True, slots=True)
class Numbered:
    """A numbered clause whose text is one config title (a purpose, 2.2.x)."""

    number: str
    text: str


@dataclass(frozen=True, slots=True)
class CategoryClause:
    """A subject category and its fields (1.1.2 …)."""

    number: str
    title: str
    fields: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class TransferClause:
    """Recipients that receive data for one purpose (3.2.x)."""

    number: str
    consent: bool
    purpose_number: str  # the purpose's clause in section 2, "" for a statutory purpose
    purpose_title: str
    basis_title: str
    recipients: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class CookieClause:
    """A cookie kind (6.2 …)."""

    number: str
    title: str
    description: str
    lifetime: str
    always_on: bool


@dataclass(frozen=True, slots=True)
class PolicyView:
    """Everything the policy text shows, ready for the templates."""

    version: str
    effective_date: str
    operator_name: str
    short_name: str
    sites: tuple[Link, ...]
    subdomains_of: tuple[str, ...]
    contact: Link
    categories: tuple[CategoryClause, ...]
    automated_decisions: bool
    processors: tuple[Item, ...]
    purposes: tuple[Numbered, ...]
    transfers: tuple[TransferClause, ...]
    cross_border_countries: tuple[Item, ...]
    withdrawal_term: str
    cookies: tuple[CookieClause, ...]
    after_cookies: tuple[str, str]


def numbered_entries(policy: Policy) -> dict[str, dict[str, str]]:
    """The clause number the text gives each subject category, listed purpose and cookie kind.

    Categories follow 1.1.1 (1.1.2, 1.1.3, …), non-statutory purposes are 2.2.1, 2.2.2, …, cookie
    kinds follow 6.1 (6.2, 6.3, …), each in file order; the lint checks the config cites these.
    """
    listed = [pid for pid, purpose in policy.purposes.items() if not purpose.statutory]
    return {
        "subject_categories": {
            code: f"1.1.{n}" for n, code in enumerate(policy.subject_categories, start=2)
        },
        "purposes": {pid: f"2.2.{n}" for n, pid in enumerate(listed, start=1)},
        "cookies": {code: f"6.{n}" for n, code in enumerate(policy.cookies, start=2)},
    }


def build_view(policy: Policy, *, esc: Escape) -> PolicyView:
    """Prepare the view of ``policy``; ``esc`` escapes every string taken from the config."""
    operator = policy.operator
    numbers = numbered_entries(policy)
    last_cookie = len(policy.cookies) + 1
    return PolicyView(
        version=esc(policy.version),
        effective_date=policy.effective_date.strftime("%d.%m.%Y"),
        operator_name=esc(operator.name),
        short_name=esc(operator.short_name),
        sites=tuple(
            Link(esc(s), "https://" + quote(s, safe=".-")) for s in operator.sites if "*" not in s
        ),
        subdomains_of=tuple(esc(s.removeprefix("*.")) for s in operator.sites if "*" in s),
        contact=Link(esc(operator.contact_email), "mailto:" + quote(operator.contact_email, "@")),
        categories=_categories(policy, numbers["subject_categories"], esc),
        automated_decisions=policy.automated_decisions.used,
        processors=tuple(Item(esc(n)) for n in policy.processors.names)
        if policy.processors.used
        else (),
        purposes=tuple(
            Numbered(n, esc(policy.purposes[pid].title.ru))
            for pid, n in numbers["purposes"].items()
        ),
        transfers=_transfers(policy, numbers["purposes"], esc),
        cross_border_countries=tuple(
            Item(esc(c)) for c in policy.cross_border.allowed_countries if c != HOME_COUNTRY
        )
        if policy.cross_border.allowed
        else (),
        withdrawal_term=_withdrawal_term(policy),
        cookies=_cookies(policy, numbers["cookies"], esc),
        after_cookies=(f"6.{last_cookie + 1}", f"6.{last_cookie + 2}"),
    )


def _categories(policy: Policy, numbers: dict[str, str], esc: Escape) -> tuple[CategoryClause, ...]:
    clauses = []
    for code, category in policy.subject_categories.items():
        fields = tuple(
            Item(esc(_lower_first(policy.fields[item.field].title.ru)), item.mandatory)
            for item in category.fields
            if item.field in policy.fields
        )
        clauses.append(CategoryClause(numbers[code], esc(category.title.ru), fields))
    return tuple(clauses)


def _transfers(policy: Policy, numbers: dict[str, str], esc: Escape) -> tuple[TransferClause, ...]:
    """Recipients grouped by purpose and by whether consent is needed, consent first."""
    groups: dict[tuple[bool, str], list[str]] = {}
    for recipient in policy.recipients.values():
        key = (recipient.requires_consent, recipient.purpose)
        groups.setdefault(key, []).append(_lower_first(recipient.title.ru))
    ordered = sorted(groups.items(), key=lambda group: not group[0][0])
    clauses = []
    for n, ((consent, pid), titles) in enumerate(ordered, start=1):
        purpose: Purpose | None = policy.purposes.get(pid)
        basis = policy.legal_bases.get(purpose.basis) if purpose else None
        clauses.append(
            TransferClause(
                number=f"3.2.{n}",
                consent=consent,
                purpose_number=numbers.get(pid, ""),
                purpose_title=esc(purpose.title.ru if purpose else pid),
                basis_title=esc(basis.title.ru if basis else ""),
                recipients=tuple(Item(esc(t)) for t in titles),
            )
        )
    return tuple(clauses)


def _cookies(policy: Policy, numbers: dict[str, str], esc: Escape) -> tuple[CookieClause, ...]:
    return tuple(
        CookieClause(
            number=numbers[code],
            title=esc(kind.title.ru.rstrip(".")),
            description=esc(kind.description.ru),
            lifetime=_lifetime(kind.expiry_days),
            always_on=kind.always_on,
        )
        for code, kind in policy.cookies.items()
    )


def _withdrawal_term(policy: Policy) -> str:
    """'в течение 30 календарных дней': the policy's term, else the law's (152-FZ art. 21 p. 5)."""
    key = "withdrawal_destruction"
    term = policy.deadlines.get(key)
    days, unit = (term.days, term.unit) if term else (STATUTORY_TERMS[key].days, "calendar")
    if days == 0:
        return "незамедлительно"
    one, many = _IN_DAYS[unit]
    return f"в течение {days} {one if _is_singular(days) else many}"


def _lifetime(days: int) -> str:
    if days == 0:
        return "до конца сеанса"
    return f"до {days} {'дня' if _is_singular(days) else 'дней'}"


def _is_singular(n: int) -> bool:
    """Russian genitive after a number: 1, 21, 31 … take the singular; 11 does not."""
    return n % 10 == 1 and n % 100 != 11


def _lower_first(text: str) -> str:
    """'Фамилия' → 'фамилия' inside a sentence; acronyms ('ИНН') stay as they are."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
