"""The policy lint: one broken copy of the shipped policy per rule, each problem at its line."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from opeka.policy.errors import Problem
from opeka.policy.loader import DEFAULT_POLICY_PATH, check_policy_text

NAME = "km-assistance.yaml"
SHIPPED = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")


def edit(old: str, new: str, *, after: str = "", text: str = SHIPPED) -> str:
    """Replace the first ``old`` that follows ``after`` (which must occur once)."""
    start = _index(text, after) if after else 0
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old) :]


def line_no(text: str, needle: str, *, after: str = "") -> int:
    """1-based line of the first ``needle`` that follows ``after``."""
    start = _index(text, after) if after else 0
    return text.count("\n", 0, text.index(needle, start)) + 1


def _index(text: str, anchor: str) -> int:
    assert text.count(anchor) == 1, f"anchor {anchor!r} must occur exactly once"
    return text.index(anchor)


def problems(text: str) -> list[Problem]:
    """The problems the loader finds in ``text``."""
    return check_policy_text(text, filename=NAME)[1]


def only_problem(text: str) -> Problem:
    """The single problem in ``text``; fails if there are none or several."""
    found = problems(text)
    assert len(found) == 1, found
    assert found[0].file == NAME
    return found[0]


def dump(data: dict[str, Any]) -> str:
    """A policy dict back to YAML text."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_shipped_policy_has_noproblems() -> None:
    assert problems(SHIPPED) == []


# --- YAML and schema ------------------------------------------------------------------------


def test_yaml_syntax_error_is_reported_at_its_line() -> None:
    text = edit("language: ru", "language: ru: en")
    problem = only_problem(text)
    assert problem.line == line_no(text, "language: ru: en")
    assert problem.message.startswith("YAML syntax:")


def test_duplicate_key_is_reported_at_its_line() -> None:
    text = edit("    kind: date\n", "    kind: date\n    kind: text\n")
    problem = only_problem(text)
    assert problem.line == line_no(text, "    kind: text")
    assert "duplicate key 'kind'" in problem.message


def test_unknown_key_is_reported_at_its_line() -> None:
    text = edit("    kind: email\n", "    kind: email\n    colour: red\n")
    problem = only_problem(text)
    assert (problem.line, problem.path) == (line_no(text, "colour: red"), "fields.email.colour")
    assert "unknown key" in problem.message


def test_missing_key_is_reported_at_its_parent() -> None:
    text = edit("    kind: date\n", "")
    problem = only_problem(text)
    assert (problem.line, problem.path) == (
        line_no(text, "  birth_date:"),
        "fields.birth_date.kind",
    )
    assert problem.message == "this key is required"


# --- references -----------------------------------------------------------------------------


def test_category_field_must_be_declared() -> None:
    text = edit("- {field: birth_date}\n", "- {field: birth_date}\n      - {field: birthday}\n")
    problem = only_problem(text)
    assert problem.path == "subject_categories.visitor.fields.4.field"
    assert problem.line == line_no(text, "{field: birthday}")
    assert "field `birthday` is not declared under `fields`" in problem.message


def test_purpose_field_must_be_declared() -> None:
    text = edit("[first_name, email, country]", "[first_name, email, country, shoe_size]")
    problem = only_problem(text)
    assert (problem.path, problem.line) == ("purposes.2.2.6.fields.3", line_no(text, "shoe_size"))
    assert "field `shoe_size` is not declared" in problem.message


def test_purpose_basis_must_be_declared() -> None:
    text = edit("basis: legitimate_interest", "basis: legit_interest")
    problem = only_problem(text)
    assert (problem.path, problem.line) == ("purposes.2.2.6.basis", line_no(text, "legit_interest"))
    assert "legal basis `legit_interest` is not declared" in problem.message
    assert "`legitimate_interest`" in problem.message


def test_purpose_subject_categories_must_be_declared() -> None:
    text = edit("[visitor, registered]\n", "[visitor, registered, guest]\n", after='"2.2.6":')
    problem = only_problem(text)
    assert problem.path == "purposes.2.2.6.subject_categories.2"
    assert problem.line == line_no(text, "guest]")
    assert "subject category `guest` is not declared" in problem.message


def test_purpose_may_use_only_fields_of_its_categories() -> None:
    text = edit("[first_name, email, country]", "[first_name, email, purchase_invoice_number]")
    problem = only_problem(text)
    assert problem.path == "purposes.2.2.6.fields.2"
    assert problem.line == line_no(text, "purchase_invoice_number]", after='"2.2.6":')
    assert "field `purchase_invoice_number`" in problem.message
    assert "(visitor, registered)" in problem.message


def test_field_listed_twice_in_a_category() -> None:
    text = edit("- {field: region}\n", "- {field: region}\n      - {field: email}\n")
    problem = only_problem(text)
    assert problem.path == "subject_categories.visitor.fields.12.field"
    assert problem.line == line_no(text, "- {field: email}\n")
    assert "field `email` is listed twice in this category" in problem.message


def test_entry_listed_twice_in_a_purpose() -> None:
    text = edit("[first_name, email, country]", "[first_name, email, country, email]")
    problem = only_problem(text)
    assert (problem.path, problem.line) == (
        "purposes.2.2.6.fields.3",
        line_no(text, "country, email]"),
    )
    assert "`email` is listed twice in `fields`" in problem.message


def test_every_field_is_used_by_a_purpose() -> None:
    data = yaml.safe_load(SHIPPED)
    data["fields"]["shoe_size"] = {
        "title": {"ru": "Размер обуви", "en": "Shoe size"},
        "data_category": "user.characteristic",
        "kind": "text",
        "clause": "1.1.2",
    }
    text = dump(data)
    problem = only_problem(text)
    assert (problem.path, problem.line) == ("fields.shoe_size", line_no(text, "  shoe_size:"))
    assert "field `shoe_size` is used by no purpose" in problem.message


# --- recipients and transfers ---------------------------------------------------------------


def test_recipient_purpose_must_exist() -> None:
    text = edit("[rights_holder, distributor, reseller]", "[distributor, reseller]")
    text = edit('purpose: "2.2.5"', 'purpose: "2.2.50"', text=text)
    problem = only_problem(text)
    assert (problem.path, problem.line) == (
        "recipients.rights_holder.purpose",
        line_no(text, "2.2.50"),
    )
    assert "purpose `2.2.50` is not declared under `purposes`" in problem.message


def test_recipient_purpose_must_list_it_in_transfer_to() -> None:
    text = edit("[rights_holder, distributor, reseller]", "[rights_holder, distributor]")
    problem = only_problem(text)
    assert problem.path == "recipients.reseller.purpose"
    assert problem.line == line_no(text, 'purpose: "2.2.5"', after="  reseller:")
    assert "does not list `reseller` in `transfer_to`" in problem.message


def test_recipient_requiring_consent_needs_a_consent_basis() -> None:
    text = edit("basis: consent\n", "basis: legitimate_interest\n", after='"2.2.5":')
    found = problems(text)
    assert [p.path for p in found] == [
        f"recipients.{code}.purpose" for code in ("rights_holder", "distributor", "reseller")
    ]
    assert [p.line for p in found] == [
        line_no(text, 'purpose: "2.2.5"', after=f"  {code}:\n")
        for code in ("rights_holder", "distributor", "reseller")
    ]
    assert "basis `legitimate_interest`, which needs none" in found[0].message
    assert "`requires_consent: true`" in found[0].message


def test_transfer_to_must_name_a_declared_recipient() -> None:
    text = edit(
        "[rights_holder, distributor, reseller]", "[rights_holder, distributor, reseller, broker]"
    )
    problem = only_problem(text)
    assert (problem.path, problem.line) == (
        "purposes.2.2.5.transfer_to.3",
        line_no(text, "broker]"),
    )
    assert "recipient `broker` is not declared under `recipients`" in problem.message


def test_transfer_to_must_name_a_recipient_of_this_purpose() -> None:
    text = edit(
        "    basis: contract\n",
        "    basis: contract\n    transfer_to: [reseller]\n",
        after='"2.2.7":',
    )
    problem = only_problem(text)
    assert problem.path == "purposes.2.2.7.transfer_to.0"
    assert problem.line == line_no(text, "transfer_to: [reseller]")
    assert "recipient `reseller` names purpose `2.2.5`, not `2.2.7`" in problem.message


def test_recipient_country_must_be_allowed() -> None:
    text = edit("countries: [RU]", "countries: [RU, US]", after="  rights_holder:")
    problem = only_problem(text)
    assert (problem.path, problem.line) == (
        "recipients.rights_holder.countries.1",
        line_no(text, "[RU, US]"),
    )
    assert "`US` is not in `cross_border.allowed_countries`" in problem.message
    assert "policy 3.3 forbids cross-border transfer" in problem.message


def test_without_cross_border_only_russia_is_allowed() -> None:
    text = edit("allowed_countries: [RU]", "allowed_countries: [RU, KZ]")
    problem = only_problem(text)
    assert (problem.path, problem.line) == (
        "cross_border.allowed_countries.1",
        line_no(text, "[RU, KZ]"),
    )
    assert "remove `KZ` or set `allowed: true`" in problem.message


def test_processors_off_means_no_names() -> None:
    text = edit('  clause: "1.3"\n', '  clause: "1.3"\n  names: [ООО «Облако»]\n')
    problem = only_problem(text)
    assert (problem.path, problem.line) == ("processors.names", line_no(text, "  names:"))
    assert "processors are off" in problem.message


def test_processors_on_need_names() -> None:
    text = edit("  used: false\n", "  used: true\n", after="processors:")
    problem = only_problem(text)
    assert (problem.path, problem.line) == ("processors.used", line_no(text, "  used: true"))
    assert "none is named" in problem.message


# --- field content --------------------------------------------------------------------------


def test_email_index_needs_kind_email() -> None:
    text = edit("index: phone", "index: email", after="  phone:\n")
    problem = only_problem(text)
    assert problem.path == "fields.phone.index"
    assert problem.line == line_no(text, "index: email", after="  phone:\n")
    assert "`index: email` needs `kind: email`, not `phone`" in problem.message


def test_phone_index_needs_kind_phone() -> None:
    text = edit("index: email", "index: phone", after="  email:\n")
    problem = only_problem(text)
    assert problem.path == "fields.email.index"
    assert problem.line == line_no(text, "index: phone", after="  email:\n")
    assert "`index: phone` needs `kind: phone`, not `email`" in problem.message


def test_data_category_must_be_a_user_category() -> None:
    text = edit("data_category: user.payment", "data_category: system.payment")
    problem = only_problem(text)
    assert problem.path == "fields.purchase_invoice_number.data_category"
    assert problem.line == line_no(text, "system.payment")
    assert "use a fideslang `user.*` category" in problem.message


def test_every_category_has_a_mandatory_field() -> None:
    text = edit("{field: first_name, mandatory: true}", "{field: first_name}", after="  visitor:")
    text = edit("{field: email, mandatory: true}", "{field: email}", after="  visitor:", text=text)
    problem = only_problem(text)
    assert problem.path == "subject_categories.visitor.fields"
    assert problem.line == line_no(text, "    fields:", after="  visitor:")
    assert "category `visitor` has no mandatory field" in problem.message


# --- deadlines and retention ----------------------------------------------------------------


def test_deadline_must_be_a_statutory_term() -> None:
    text = edit("\nindex:", '  coffee_break: {days: 1, unit: working, clause: "5.3"}\n\nindex:')
    problem = only_problem(text)
    assert (problem.path, problem.line) == ("deadlines.coffee_break", line_no(text, "coffee_break"))
    assert "`coffee_break` is not a statutory term; use one of: access," in problem.message


def test_deadline_unit_must_be_the_law_s() -> None:
    text = edit("access: {days: 10, unit: working", "access: {days: 10, unit: calendar")
    problem = only_problem(text)
    assert (problem.path, problem.line) == (
        "deadlines.access.unit",
        line_no(text, "unit: calendar"),
    )
    assert "set `unit: working`" in problem.message


def test_deadline_may_not_exceed_the_law_s() -> None:
    text = edit("access: {days: 10,", "access: {days: 11,")
    problem = only_problem(text)
    assert (problem.path, problem.line) == ("deadlines.access.days", line_no(text, "days: 11"))
    assert "at most 10 working days (152-ФЗ ст. 14 ч. 3, ст. 20 ч. 1" in problem.message


def test_retention_may_not_exceed_the_withdrawal_term() -> None:
    text = edit("withdrawal_destruction: {days: 30,", "withdrawal_destruction: {days: 20,")
    found = problems(text)
    lines = [i for i, line in enumerate(text.splitlines(), 1) if "destroy_within_days: 30" in line]
    assert [p.line for p in found] == lines
    assert len(found) == 10
    assert found[0].path == "purposes.2.2.1.retention.destroy_within_days"
    assert (
        "later than the 20 days promised in `deadlines.withdrawal_destruction`" in found[0].message
    )


# --- purposes, cookies and clause numbers ---------------------------------------------------


def test_some_statutory_purpose_works_while_blocked() -> None:
    text = edit("    allowed_when_blocked: true\n", "")
    problem = only_problem(text)
    assert (problem.path, problem.line) == ("purposes", line_no(text, "\npurposes:") + 1)
    assert "`statutory: true` and `allowed_when_blocked: true`" in problem.message


def test_only_statutory_purposes_work_while_blocked() -> None:
    text = edit(
        "    basis: consent\n",
        "    basis: consent\n    allowed_when_blocked: true\n",
        after='"2.2.8":',
    )
    problem = only_problem(text)
    assert problem.path == "purposes.2.2.8.allowed_when_blocked"
    assert problem.line == line_no(text, "allowed_when_blocked: true", after='"2.2.8":')
    assert "only a statutory purpose" in problem.message


def test_some_cookie_kind_is_always_on() -> None:
    text = edit("    always_on: true\n", "")
    problem = only_problem(text)
    assert (problem.path, problem.line) == ("cookies", line_no(text, "\ncookies:") + 1)
    assert "no cookie kind has `always_on: true`" in problem.message


def test_clause_numbers_match_the_rendered_text() -> None:
    text = edit('clause: "6.5"', 'clause: "6.9"')
    problem = only_problem(text)
    assert (problem.path, problem.line) == ("cookies.analytics.clause", line_no(text, '"6.9"'))
    assert "the policy text numbers this entry 6.5" in problem.message


@pytest.mark.parametrize("path", ["purposes", "cookies"])
def test_section_level_problems_point_at_the_section(path: str) -> None:
    data = yaml.safe_load(SHIPPED)
    if path == "purposes":
        data["purposes"]["legal.subject_rights"]["allowed_when_blocked"] = False
    else:
        data["cookies"]["authentication"]["always_on"] = False
    text = dump(data)
    problem = only_problem(text)
    assert (problem.path, problem.line) == (path, line_no(text, f"\n{path}:") + 1)


# --- roles ------------------------------------------------------------------------------------


def _with_role(**role: object) -> str:
    data = yaml.safe_load(SHIPPED)
    data["roles"]["probe"] = {"title": {"ru": "Проба", "en": "Probe"}, **role}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_role_naming_an_undeclared_purpose_is_reported() -> None:
    found = problems(_with_role(purposes=["9.9.9"]))
    assert any("purpose `9.9.9` is not declared" in p.message for p in found)


def test_a_role_unmasking_a_field_none_of_its_purposes_uses_is_reported() -> None:
    found = problems(
        _with_role(permissions=["subjects.unmask"], purposes=["2.2.4"], unmask_fields=["email"])
    )
    assert any("`email` is used by none of this role's purposes" in p.message for p in found)


def test_unmaskable_fields_without_the_unmask_permission_are_reported() -> None:
    found = problems(_with_role(purposes=["2.2.7"], unmask_fields=["email"]))
    assert any("need the `subjects.unmask` permission" in p.message for p in found)
