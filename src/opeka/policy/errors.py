"""Errors of the policy package.

PolicyError
├── PolicyFileError        the policy file cannot be read or is invalid (carries every problem)
└── PolicyRefusal          an operation is not allowed by the policy (names the clause)
    ├── FieldNotDeclared       the field does not belong to the subject's category
    ├── FieldNotForPurpose     the purpose may not use the field
    ├── PurposeNotForCategory  the purpose does not apply to the subject's category
    ├── NoLegalBasis           no consent or other basis for the purpose
    ├── SubjectBlocked         the subject is blocked and the purpose is not allowed then
    ├── SubjectDestroyed       the subject's data were destroyed
    ├── InvalidValue           a value fails its field's validation (card numbers included)
    └── TransferForbidden      recipient or country not allowed (policy 3.2–3.3)
"""

from __future__ import annotations

from dataclasses import dataclass


class PolicyError(Exception):
    """Base of the policy package's errors."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a policy file, located by line and by path of keys."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class PolicyFileError(PolicyError):
    """The policy file is unreadable or invalid; ``problems`` lists each one with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "invalid policy"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


class PolicyRefusal(PolicyError):
    """An operation the policy does not allow. ``clause`` names the policy's clause."""

    code = "refused"

    def __init__(self, message: str, *, clause: str, message_ru: str | None = None) -> None:
        self.clause = clause
        self.message = message
        self.message_ru = message_ru or message
        super().__init__(f"{message} (policy §{clause})")


class FieldNotDeclared(PolicyRefusal):
    """The field is not one of the subject category's fields."""

    code = "field_not_declared"


class FieldNotForPurpose(PolicyRefusal):
    """The purpose may not use this field."""

    code = "field_not_for_purpose"


class PurposeNotForCategory(PolicyRefusal):
    """The purpose does not apply to this category of subjects."""

    code = "purpose_not_for_category"


class UnknownPurpose(PolicyRefusal):
    """The purpose is not declared in the policy."""

    code = "unknown_purpose"


class NoLegalBasis(PolicyRefusal):
    """No consent or other legal basis covers this purpose for this subject."""

    code = "no_legal_basis"


class SubjectBlocked(PolicyRefusal):
    """The subject is blocked; only purposes the law still allows may touch the data."""

    code = "subject_blocked"


class SubjectDestroyed(PolicyRefusal):
    """The subject's data were destroyed."""

    code = "subject_destroyed"


class InvalidValue(PolicyRefusal):
    """A value fails its field's validation; the message says what to fix, never the value."""

    code = "invalid_value"


class MissingMandatory(PolicyRefusal):
    """A field marked mandatory for the category is missing."""

    code = "missing_mandatory"


class TransferForbidden(PolicyRefusal):
    """A transfer the policy does not allow (recipient class, country or consent)."""

    code = "transfer_forbidden"
