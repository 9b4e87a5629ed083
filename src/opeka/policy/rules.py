"""The policy's rules, precomputed for fast checks: which field, which purpose, which category.

Each ``check_*`` raises a :class:`~opeka.policy.errors.PolicyRefusal` subclass naming the
clause, or returns quietly. The database-backed checks (consent, subject status) live in
:mod:`opeka.processing.authorize`, which calls these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from opeka.policy.errors import (
    FieldNotDeclared,
    FieldNotForPurpose,
    MissingMandatory,
    PurposeNotForCategory,
    UnknownPurpose,
)
from opeka.policy.schema import BlindIndexKind, FieldSpec, LegalBasis, Policy, Purpose
from opeka.policy.values import normalize


class Rules:
    """Lookup tables derived once from a :class:`Policy`."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.fields: dict[str, FieldSpec] = dict(policy.fields)
        self.category_fields = {
            code: frozenset(f.field for f in cat.fields)
            for code, cat in policy.subject_categories.items()
        }
        self.mandatory = {
            code: frozenset(f.field for f in cat.fields if f.mandatory)
            for code, cat in policy.subject_categories.items()
        }
        self.purpose_fields = {pid: frozenset(p.fields) for pid, p in policy.purposes.items()}
        self.indexed: dict[str, BlindIndexKind] = {
            code: spec.index for code, spec in policy.fields.items() if spec.index is not None
        }

    def purpose(self, purpose_id: str) -> Purpose:
        """The declared purpose, or :class:`UnknownPurpose`."""
        purpose = self.policy.purposes.get(purpose_id)
        if purpose is None:
            raise UnknownPurpose(
                f"purpose `{purpose_id}` is not declared in the policy",
                clause="2.2",
                message_ru=f"цель `{purpose_id}` не объявлена в политике",
            )
        return purpose

    def basis(self, purpose: Purpose) -> LegalBasis:
        """The legal basis of a purpose."""
        return self.policy.legal_bases[purpose.basis]

    def check_category(self, purpose_id: str, category: str) -> None:
        """The purpose must apply to the subject's category."""
        purpose = self.purpose(purpose_id)
        if category not in purpose.subject_categories:
            raise PurposeNotForCategory(
                f"purpose {purpose_id} does not apply to subjects of category `{category}`",
                clause=purpose.clause,
                message_ru=f"цель {purpose_id} не относится к категории субъектов `{category}`",
            )

    def check_fields(self, purpose_id: str, category: str, fields: Iterable[str]) -> None:
        """Every field must belong to the category (1.1) and be allowed for the purpose (2.2)."""
        declared = self.category_fields.get(category, frozenset())
        allowed = self.purpose_fields[purpose_id]
        cat_clause = self.policy.subject_categories[category].clause
        for field in fields:
            if field not in declared:
                raise FieldNotDeclared(
                    f"field `{field}` is not collected from subjects of category `{category}`",
                    clause=cat_clause,
                    message_ru=f"поле `{field}` не обрабатывается для категории `{category}`",
                )
            if field not in allowed:
                raise FieldNotForPurpose(
                    f"field `{field}` may not be used for purpose {purpose_id}",
                    clause=f"2.2, {self.purpose(purpose_id).clause}",
                    message_ru=f"поле `{field}` не может использоваться для цели {purpose_id}",
                )

    def prepare_values(
        self, purpose_id: str, category: str, values: Mapping[str, object]
    ) -> dict[str, str]:
        """Check a new subject's values for the purpose and return them normalised.

        Empty values are dropped; raises a :class:`PolicyRefusal` naming the clause.
        """
        given = {code: raw for code, raw in values.items() if raw not in (None, "")}
        self.check_category(purpose_id, category)
        self.check_fields(purpose_id, category, given)
        clean = {code: normalize(code, self.fields[code], raw) for code, raw in given.items()}
        self.check_mandatory(purpose_id, category, clean)
        return clean

    def check_mandatory(self, purpose_id: str, category: str, present: Iterable[str]) -> None:
        """Fields marked mandatory (1.1.1) that the purpose may use must all be present."""
        needed = self.mandatory[category] & self.purpose_fields[purpose_id]
        missing = sorted(needed - set(present))
        if missing:
            raise MissingMandatory(
                f"mandatory field(s) missing: {', '.join(missing)}",
                clause="1.1.1",
                message_ru=f"не заполнены обязательные поля: {', '.join(missing)}",
            )
