"""A role's purposes and unmaskable fields, as the policy declares them."""

from __future__ import annotations

import pytest

from opeka.policy.loader import load_policy
from opeka.policy.rules import Rules
from opeka.settings import Settings
from opeka.subjects.access import (
    RoleRefusal,
    StaffRole,
    check_fields,
    check_purpose,
    visible_fields,
)


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Rules(load_policy(Settings().policy))


def role(rules: Rules, code: str) -> StaffRole:
    return StaffRole(code, rules.policy.roles[code])


def test_a_purpose_of_the_role_passes(rules: Rules) -> None:
    check_purpose(role(rules, "support"), "2.2.7")


def test_a_purpose_outside_the_role_is_refused_naming_the_role(rules: Rules) -> None:
    with pytest.raises(RoleRefusal) as refused:
        check_purpose(role(rules, "support"), "legal.subject_rights")
    assert refused.value.clause == "roles.support"
    assert "Поддержка" in refused.value.message_ru


def test_a_field_outside_unmask_fields_is_refused(rules: Rules) -> None:
    check_fields(role(rules, "marketing"), ["email", "first_name"])
    with pytest.raises(RoleRefusal) as refused:
        check_fields(role(rules, "marketing"), ["email", "last_name", "phone"])
    assert "last_name, phone" in refused.value.message


def test_a_role_without_purposes_sees_nothing(rules: Rules) -> None:
    auditor = role(rules, "auditor")
    with pytest.raises(RoleRefusal):
        check_purpose(auditor, "2.2.7")
    assert visible_fields(rules, auditor, purpose="2.2.7", category="client", held=["email"]) == ()


def test_visible_fields_intersect_held_category_purpose_and_role(rules: Rules) -> None:
    held = ["email", "last_name", "phone", "organization", "purchase_invoice_number"]
    marketing = role(rules, "marketing")
    assert visible_fields(rules, marketing, purpose="2.2.3", category="client", held=held) == (
        "organization",
        "email",
    )
    support = role(rules, "support")
    assert visible_fields(rules, support, purpose="2.2.7", category="client", held=held) == (
        "last_name",
        "phone",
        "organization",
        "email",
        "purchase_invoice_number",
    )
    assert visible_fields(rules, support, purpose="9.9", category="client", held=held) == ()
