"""Content rules of the policy lint: terms, cookies, transfers abroad, marks and clause numbers.

Each rule is a function ``Policy -> Iterator[Finding]``; a finding is the path of keys where the
problem sits and a message that says what to fix. :mod:`opeka.policy.lint` runs them together with
the reference rules and turns each finding into a :class:`~opeka.policy.errors.Problem`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from opeka.policy.law import STATUTORY_TERMS
from opeka.policy.render_view import HOME_COUNTRY, numbered_entries
from opeka.policy.schema import CookieKind, FieldKind, Policy, Purpose, SubjectCategory
from opeka.policy.yaml_lines import Path

Finding = tuple[Path, str]
Rule = Callable[[Policy], Iterator[Finding]]

_CLAUSE_NUMBER = re.compile(r"\d+(?:\.\d+)*")


def index_kinds(policy: Policy) -> Iterator[Finding]:
    """A field feeding the e-mail (phone) blind index must be of kind email (phone)."""
    for name, field in policy.fields.items():
        if field.index is not None and field.kind != FieldKind(field.index.value):
            yield (
                ("fields", name, "index"),
                f"`index: {field.index}` needs `kind: {field.index}`, not `{field.kind}`: the "
                "index normalises values of that kind; change the kind or drop the index",
            )


def data_categories(policy: Policy) -> Iterator[Finding]:
    """Every field holds data about a person, so its data category is a ``user.*`` one."""
    for name, field in policy.fields.items():
        if not field.data_category.startswith("user."):
            yield (
                ("fields", name, "data_category"),
                f"`{field.data_category}` is not a category of personal data; use a fideslang "
                "`user.*` category (e.g. `user.contact.email`)",
            )


def mandatory_fields(policy: Policy) -> Iterator[Finding]:
    """Each subject category marks at least one field mandatory (policy 1.1.1)."""
    for code, category in policy.subject_categories.items():
        if not any(item.mandatory for item in category.fields):
            yield (
                ("subject_categories", code, "fields"),
                f"category `{code}` has no mandatory field; mark the fields the Services cannot "
                "do without with `mandatory: true` (policy 1.1.1 promises they are marked)",
            )


def blocked_purposes(policy: Policy) -> Iterator[Finding]:
    """Some statutory purpose works on blocked subjects, and only statutory ones do."""
    purposes = policy.purposes.values()
    if not any(p.statutory and p.allowed_when_blocked for p in purposes):
        yield (
            ("purposes",),
            "no purpose has both `statutory: true` and `allowed_when_blocked: true`; declare "
            "the operator's statutory duty (answering the subject, 152-FZ art. 14, 20, 21) "
            "that may still touch a blocked subject's data",
        )
    for pid, purpose in policy.purposes.items():
        if purpose.allowed_when_blocked and not purpose.statutory:
            yield (
                ("purposes", pid, "allowed_when_blocked"),
                "only a statutory purpose may touch a blocked subject's data (152-FZ art. 21 "
                "p. 1); remove `allowed_when_blocked` or, if the law requires this purpose, set "
                "`statutory: true`",
            )


def always_on_cookie(policy: Policy) -> Iterator[Finding]:
    """At least one cookie kind is strictly necessary and cannot be refused."""
    if not any(kind.always_on for kind in policy.cookies.values()):
        yield (
            ("cookies",),
            "no cookie kind has `always_on: true`; mark the strictly necessary one (sign-in, "
            "policy 6.3), which the cookie banner cannot switch off",
        )


def cross_border(policy: Policy) -> Iterator[Finding]:
    """Recipients sit only in allowed countries; with transfers abroad off, that is Russia only."""
    rules = policy.cross_border
    allowed = set(rules.allowed_countries)
    if not rules.allowed:
        for i, country in enumerate(rules.allowed_countries):
            if country != HOME_COUNTRY:
                yield (
                    ("cross_border", "allowed_countries", i),
                    f"cross-border transfer is off (`allowed: false`, policy 3.3), so only "
                    f"{HOME_COUNTRY} may be listed; remove `{country}` or set `allowed: true`",
                )
        allowed &= {HOME_COUNTRY}
    fix = (
        "policy 3.3 forbids cross-border transfer, so remove the country or the recipient"
        if not rules.allowed
        else "add it there (after notifying Roskomnadzor, 152-FZ art. 12) or remove it"
    )
    for code, recipient in policy.recipients.items():
        for i, country in enumerate(recipient.countries):
            if country not in allowed:
                yield (
                    ("recipients", code, "countries", i),
                    f"`{country}` is not in `cross_border.allowed_countries`; {fix}",
                )


def processors(policy: Policy) -> Iterator[Finding]:
    """Names of processors are listed exactly when processors are used (policy 1.3)."""
    section = policy.processors
    if not section.used and section.names:
        yield (
            ("processors", "names"),
            "processors are off (`used: false`, policy 1.3) but names are listed; remove the "
            "names or set `used: true`",
        )
    if section.used and not section.names:
        yield (
            ("processors", "used"),
            "processors are on (`used: true`) but none is named; list each one under `names` "
            "(152-FZ art. 6 p. 3)",
        )


def deadlines(policy: Policy) -> Iterator[Finding]:
    """Each term is a statutory one, in the law's unit, and no longer than the law's."""
    for key, term in policy.deadlines.items():
        law = STATUTORY_TERMS.get(key)
        if law is None:
            yield (
                ("deadlines", key),
                f"`{key}` is not a statutory term; use one of: {', '.join(STATUTORY_TERMS)}",
            )
        elif term.unit != law.unit:
            yield (
                ("deadlines", key, "unit"),
                f"the law counts this term in {law.unit} days (152-ФЗ {law.article}); "
                f"set `unit: {law.unit}`",
            )
        elif term.days > law.days:
            yield (
                ("deadlines", key, "days"),
                f"{term.days} {term.unit} days is longer than the law allows: at most "
                f"{law.days} {law.unit} days (152-ФЗ {law.article}, {law.title_ru}); shorten it",
            )


def retention_within_withdrawal(policy: Policy) -> Iterator[Finding]:
    """No purpose keeps data longer after withdrawal than the term promised in policy 5.3."""
    term = policy.deadlines.get("withdrawal_destruction")
    if term is None:
        return
    for pid, purpose in policy.purposes.items():
        days = purpose.retention.destroy_within_days
        if days > term.days:
            yield (
                ("purposes", pid, "retention", "destroy_within_days"),
                f"{days} days is later than the {term.days} days promised in "
                f"`deadlines.withdrawal_destruction` (policy 5.3); lower it to {term.days} or less",
            )


def clause_numbers(policy: Policy) -> Iterator[Finding]:
    """Clauses cited by the config match the numbers the rendered policy gives the entries.

    Refusals quote the config's ``clause``; the published text numbers categories, purposes and
    cookie kinds in file order (:func:`opeka.policy.render_view.numbered_entries`).
    """
    for section, numbers in numbered_entries(policy).items():
        entries: dict[str, SubjectCategory | Purpose | CookieKind] = getattr(policy, section)
        for code, want in numbers.items():
            if _first_clause(entries[code].clause) != want:
                yield (
                    (section, code, "clause"),
                    f"the policy text numbers this entry {want} (entries are numbered in file "
                    f'order); cite "{want}" first in `clause` or move the entry',
                )


def _first_clause(clause: str) -> str:
    """The first clause number cited (``"2.2.5, 3.2.1"`` → ``"2.2.5"``)."""
    found = _CLAUSE_NUMBER.match(clause.strip())
    return found.group() if found else ""


CONTENT_RULES: tuple[Rule, ...] = (
    index_kinds,
    data_categories,
    mandatory_fields,
    blocked_purposes,
    always_on_cookie,
    cross_border,
    processors,
    deadlines,
    retention_within_withdrawal,
    clause_numbers,
)
