"""Lint rules for staff roles: every purpose and field they name exists, and fits together."""

from __future__ import annotations

from collections.abc import Iterator

from opeka.policy.lint_rules import Finding
from opeka.policy.schema import Permission, Policy


def role_references(policy: Policy) -> Iterator[Finding]:
    """A role's purposes must be declared; its unmaskable fields must be declared and usable.

    A role may unmask only fields that one of its purposes may use: unmasking is a read made
    for a stated purpose, so a field outside all of them could never be shown lawfully.
    """
    for code, role in policy.roles.items():
        usable: set[str] = set()
        for i, purpose_id in enumerate(role.purposes):
            purpose = policy.purposes.get(purpose_id)
            if purpose is None:
                yield (
                    ("roles", code, "purposes", i),
                    f"purpose `{purpose_id}` is not declared under `purposes`",
                )
            else:
                usable |= set(purpose.fields)
        for i, field in enumerate(role.unmask_fields):
            if field not in policy.fields:
                yield (("roles", code, "unmask_fields", i), f"field `{field}` is not declared")
            elif field not in usable:
                yield (
                    ("roles", code, "unmask_fields", i),
                    f"field `{field}` is used by none of this role's purposes; add a purpose "
                    "that uses it or remove the field",
                )
        if role.unmask_fields and Permission.SUBJECTS_UNMASK not in role.permissions:
            yield (
                ("roles", code, "unmask_fields"),
                "unmaskable fields need the `subjects.unmask` permission; add it or clear them",
            )


def someone_manages_staff(policy: Policy) -> Iterator[Finding]:
    """When roles are declared, at least one may manage staff (or nobody could add users)."""
    if policy.roles and not any(
        Permission.STAFF_MANAGE in role.permissions for role in policy.roles.values()
    ):
        yield (("roles",), "no role has `staff.manage`; give it to the administrator role")


ROLE_RULES = (role_references, someone_manages_staff)
