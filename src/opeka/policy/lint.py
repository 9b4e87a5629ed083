"""Cross-reference checks of a policy: everything it names must be declared, and consistent.

:func:`cross_reference_problems` runs every rule and locates each finding by line. The rules that
follow references between sections (fields, categories, purposes, bases, recipients) live here;
the rules about content (terms, cookies, transfers abroad, clause numbers) live in
:mod:`opeka.policy.lint_rules`. A rule is a function ``Policy -> Iterator[Finding]``; it never
reports a consequence of a reference another rule already reports as undeclared.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from opeka.policy.errors import Problem
from opeka.policy.lint_roles import ROLE_RULES
from opeka.policy.lint_rules import CONTENT_RULES, Finding, Rule
from opeka.policy.schema import Policy
from opeka.policy.yaml_lines import Path, line_of


def cross_reference_problems(
    policy: Policy, *, lines: dict[Path, int], filename: str
) -> list[Problem]:
    """Return every cross-reference problem in ``policy`` (empty when the policy is coherent).

    Problems come in file order; each names the line, the dotted path and what to fix.
    """
    problems = [
        Problem(filename, line_of(lines, path), ".".join(str(p) for p in path), message)
        for rule in RULES
        for path, message in rule(policy)
    ]
    return sorted(problems, key=lambda p: p.line)


def undeclared_references(policy: Policy) -> Iterator[Finding]:
    """Fields, bases and categories named by categories and purposes must be declared."""
    for code, category in policy.subject_categories.items():
        for i, item in enumerate(category.fields):
            if item.field not in policy.fields:
                yield (
                    ("subject_categories", code, "fields", i, "field"),
                    f"field `{item.field}` is not declared under `fields`; declare it or fix "
                    "the name",
                )
    for pid, purpose in policy.purposes.items():
        if purpose.basis not in policy.legal_bases:
            yield (
                ("purposes", pid, "basis"),
                f"legal basis `{purpose.basis}` is not declared under `legal_bases`; use one of: "
                f"{_names(policy.legal_bases)}",
            )
        for i, field in enumerate(purpose.fields):
            if field not in policy.fields:
                yield (
                    ("purposes", pid, "fields", i),
                    f"field `{field}` is not declared under `fields`; declare it or fix the name",
                )
        for i, cat in enumerate(purpose.subject_categories):
            if cat not in policy.subject_categories:
                yield (
                    ("purposes", pid, "subject_categories", i),
                    f"subject category `{cat}` is not declared under `subject_categories`; use "
                    f"one of: {_names(policy.subject_categories)}",
                )


def duplicate_entries(policy: Policy) -> Iterator[Finding]:
    """A field may appear once per category; purposes' lists may not repeat an entry either."""
    for code, category in policy.subject_categories.items():
        names = [item.field for item in category.fields]
        for i in _repeats(names):
            yield (
                ("subject_categories", code, "fields", i, "field"),
                f"field `{names[i]}` is listed twice in this category; keep one entry "
                "(with its `mandatory` mark)",
            )
    for pid, purpose in policy.purposes.items():
        for key in ("fields", "subject_categories", "transfer_to"):
            values: list[str] = getattr(purpose, key)
            for i in _repeats(values):
                yield (
                    ("purposes", pid, key, i),
                    f"`{values[i]}` is listed twice in `{key}`; remove the repeat",
                )


def fields_outside_categories(policy: Policy) -> Iterator[Finding]:
    """A purpose may use only fields that at least one of its subject categories has."""
    for pid, purpose in policy.purposes.items():
        categories = [c for c in purpose.subject_categories if c in policy.subject_categories]
        if not categories:
            continue
        held = {item.field for c in categories for item in policy.subject_categories[c].fields}
        for i, field in enumerate(purpose.fields):
            if field in policy.fields and field not in held:
                yield (
                    ("purposes", pid, "fields", i),
                    f"field `{field}` belongs to none of this purpose's subject categories "
                    f"({', '.join(categories)}); add it to one of them or remove it from "
                    "the purpose",
                )


def unused_fields(policy: Policy) -> Iterator[Finding]:
    """Every declared field must serve some purpose (152-FZ art. 5 p. 5: no excess data)."""
    used = {field for purpose in policy.purposes.values() for field in purpose.fields}
    for name in policy.fields:
        if name not in used:
            yield (
                ("fields", name),
                f"field `{name}` is used by no purpose; add it to the `fields` of the purposes "
                "that need it, or remove it (152-FZ art. 5 p. 5: no data beyond the purposes)",
            )


def transfer_targets(policy: Policy) -> Iterator[Finding]:
    """Each ``transfer_to`` entry is a declared recipient whose ``purpose`` is this purpose."""
    for pid, purpose in policy.purposes.items():
        for i, code in enumerate(purpose.transfer_to):
            recipient = policy.recipients.get(code)
            if recipient is None:
                yield (
                    ("purposes", pid, "transfer_to", i),
                    f"recipient `{code}` is not declared under `recipients`; declare it or fix "
                    "the name",
                )
            elif recipient.purpose != pid:
                yield (
                    ("purposes", pid, "transfer_to", i),
                    f"recipient `{code}` names purpose `{recipient.purpose}`, not `{pid}`; make "
                    "the recipient's `purpose` and this list agree",
                )


def recipient_purposes(policy: Policy) -> Iterator[Finding]:
    """A recipient's purpose exists, lists it in ``transfer_to`` and has a fitting basis."""
    for code, recipient in policy.recipients.items():
        path: Path = ("recipients", code, "purpose")
        purpose = policy.purposes.get(recipient.purpose)
        if purpose is None:
            yield (
                path,
                f"purpose `{recipient.purpose}` is not declared under `purposes`; name the "
                "purpose for which data go to this recipient",
            )
            continue
        if code not in purpose.transfer_to:
            yield (
                path,
                f"purpose `{recipient.purpose}` does not list `{code}` in `transfer_to`; "
                "add it there or name another purpose",
            )
        basis = policy.legal_bases.get(purpose.basis)
        if recipient.requires_consent and basis is not None and not basis.requires_consent:
            yield (
                path,
                f"this recipient requires consent, but purpose `{recipient.purpose}` rests on "
                f"basis `{purpose.basis}`, which needs none; transfer under a purpose whose "
                "basis has `requires_consent: true` (policy 3.2.1)",
            )


def _repeats(values: Sequence[str]) -> Iterator[int]:
    """Indexes of the entries that repeat an earlier one."""
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            yield i
        seen.add(value)


def _names(section: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in section) or "(none declared)"


RULES: tuple[Rule, ...] = (
    undeclared_references,
    duplicate_entries,
    fields_outside_categories,
    unused_fields,
    transfer_targets,
    recipient_purposes,
    *CONTENT_RULES,
    *ROLE_RULES,
)
