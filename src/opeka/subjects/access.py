"""What a staff role may do with a subject's data: its purposes and the fields it may unmask.

The policy's ``roles`` section gives each role the purposes it may state and the fields it may
see in clear (``unmask_fields``). These checks come on top of the spine's own (the purpose may
use the field, the subject's category and status, the legal basis): a field is shown only when
the role may unmask it *and* the purpose may use it. A refusal is a
:class:`~opeka.policy.errors.PolicyRefusal` naming the role's entry in the policy, so it is
answered and journaled like every other refusal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opeka.policy.errors import PolicyRefusal
from opeka.policy.rules import Rules
from opeka.policy.schema import Role

__all__ = ["RoleRefusal", "StaffRole", "check_fields", "check_purpose", "visible_fields"]


class RoleRefusal(PolicyRefusal):
    """The staff member's role does not allow this purpose or field."""

    code = "role_refused"


@dataclass(frozen=True, slots=True)
class StaffRole:
    """A role of the policy with its code (the code names the clause of a refusal)."""

    code: str
    role: Role

    @property
    def clause(self) -> str:
        """Where the policy declares the role."""
        return f"roles.{self.code}"


def check_purpose(staff: StaffRole, purpose: str) -> None:
    """Refuse a purpose that is not one of the role's purposes."""
    if purpose not in staff.role.purposes:
        raise RoleRefusal(
            f"the role {staff.code} may not process data for purpose {purpose}",
            clause=staff.clause,
            message_ru=f"роли «{staff.role.title.ru}» не разрешена цель {purpose}",
        )


def check_fields(staff: StaffRole, fields: Iterable[str]) -> None:
    """Refuse any field the role may not see in clear (``unmask_fields``)."""
    allowed = set(staff.role.unmask_fields)
    denied = sorted(set(fields) - allowed)
    if denied:
        raise RoleRefusal(
            f"the role {staff.code} may not unmask: {', '.join(denied)}",
            clause=staff.clause,
            message_ru=f"роли «{staff.role.title.ru}» не разрешено раскрывать: {', '.join(denied)}",
        )


def visible_fields(
    rules: Rules, staff: StaffRole, *, purpose: str, category: str, held: Iterable[str]
) -> tuple[str, ...]:
    """Fields of a subject the role may see in clear for ``purpose`` (in policy order).

    The intersection of the fields held, the category's fields, the purpose's fields and the
    role's ``unmask_fields``; empty when the purpose is not one of the role's.
    """
    if purpose not in staff.role.purposes or purpose not in rules.purpose_fields:
        return ()
    wanted = (
        set(held)
        & rules.category_fields.get(category, frozenset())
        & rules.purpose_fields[purpose]
        & set(staff.role.unmask_fields)
    )
    return tuple(code for code in rules.fields if code in wanted)
