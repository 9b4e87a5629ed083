"""Form fields from the policy: the category's fields a purpose may use, validated at once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.selfservice.support import entries

from opeka.app import Opeka
from opeka.policy.errors import InvalidValue, MissingMandatory
from opeka.policy.loader import load_policy
from opeka.policy.rules import Rules
from opeka.processing.actor import Actor
from opeka.processing.service import Processing
from opeka.selfservice.errors import InvalidForm
from opeka.selfservice.fields import PROVIDER_KINDS, check_form, form_fields, submitted, validate

POLICY = load_policy()
RULES = Rules(POLICY)
REGISTERED = form_fields(POLICY, category="registered", purpose="2.2.7")


def test_registration_fields_are_the_registered_category_without_card_fields() -> None:
    declared = [f.field for f in POLICY.subject_categories["registered"].fields]
    card = {code for code in declared if POLICY.fields[code].kind in PROVIDER_KINDS}
    assert card == {"bank_card_token", "bank_card_last4"}
    assert [f.code for f in REGISTERED] == [code for code in declared if code not in card]


def test_mandatory_marks_come_from_the_policy() -> None:
    marked = {f.code for f in REGISTERED if f.mandatory}
    assert marked == {"last_name", "first_name", "email"}


def test_a_visitor_form_has_only_the_visitor_fields_its_purpose_uses() -> None:
    fields = form_fields(POLICY, category="visitor", purpose="2.2.8")
    assert [f.code for f in fields] == [
        "last_name",
        "first_name",
        "patronymic",
        "phone",
        "organization",
        "position",
        "email",
    ]


def test_input_types_follow_the_field_kinds() -> None:
    types = {f.code: f.input_type for f in REGISTERED}
    assert types["email"] == "email"
    assert types["phone"] == "tel"
    assert types["last_name"] == "text"


def test_validate_normalises_and_drops_empty_values() -> None:
    clean = validate(
        RULES,
        REGISTERED,
        {
            "last_name": " Иванова ",
            "first_name": "Мария",
            "email": "a@example.org",
            "phone": "8 (916) 123-45-67",
            "fax": "",
        },
    )
    assert clean == {
        "last_name": "Иванова",
        "first_name": "Мария",
        "email": "a@example.org",
        "phone": "+79161234567",
    }


def test_validate_reports_every_bad_field_at_once() -> None:
    with pytest.raises(InvalidForm) as caught:
        validate(RULES, REGISTERED, {"first_name": "Мария", "email": "nope", "phone": "12"})
    assert set(caught.value.errors) == {"last_name", "email", "phone"}
    assert isinstance(caught.value.refusal, InvalidValue | MissingMandatory)


def test_a_missing_mandatory_field_is_named_with_its_title() -> None:
    with pytest.raises(InvalidForm) as caught:
        validate(RULES, REGISTERED, {"first_name": "Мария", "email": "a@example.org"})
    assert caught.value.errors["last_name"].ru.startswith("Фамилия")
    assert isinstance(caught.value.refusal, MissingMandatory)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40).map(lambda s: "Zq" + s))
def test_errors_never_echo_the_value(value: str) -> None:
    try:
        validate(
            RULES,
            REGISTERED,
            {
                "last_name": "Иванова",
                "first_name": "Мария",
                "email": "a@example.org",
                "phone": value,
            },
        )
    except InvalidForm as exc:
        error = exc.errors["phone"]
        assert "Zq" not in error.ru
        assert "Zq" not in error.en


def test_check_form_journals_the_refusal(opeka: Opeka) -> None:
    before = _refusals(opeka)
    with opeka.unit_of_work() as uow:
        processing = Processing(uow, Actor.system("test-form"), "2.2.7")
        with pytest.raises(InvalidForm):
            check_form(processing, REGISTERED, {"first_name": "Мария", "email": "x"})
    assert _refusals(opeka) == before + 1


def test_submitted_takes_only_the_form_fields() -> None:
    values = submitted(REGISTERED, {"last_name": "Иванова", "bank_card_token": "tok_123456789"})
    assert "bank_card_token" not in values
    assert values["last_name"] == "Иванова"
    assert values["email"] == ""


def _refusals(opeka: Opeka) -> int:
    return sum(
        1 for e in entries(opeka, None) if e.actor == "system:test-form" and e.result == "refused"
    )
