"""The fields a form asks for, read from the policy, and their validation.

A form shows the fields of one subject category (policy 1.1.2–1.1.4) that one purpose may use,
in the category's order, with the category's mandatory marks (1.1.1). Card fields
(``card_token``, ``card_last4``) come from the payment provider and never appear in a form.
:func:`validate` checks each value with the policy's own normaliser and reports every bad field
at once; the messages name the field, never its value. :func:`check_form` also journals the
refusal through the spine (a refused collection or rectification is recorded too).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opeka.journal.entry import Action
from opeka.policy.errors import InvalidValue, MissingMandatory, PolicyRefusal
from opeka.policy.rules import Rules
from opeka.policy.schema import FieldKind, Policy, Text
from opeka.policy.values import normalize
from opeka.processing.service import Processing
from opeka.selfservice.errors import FieldError, InvalidForm

PROVIDER_KINDS = frozenset({FieldKind.CARD_TOKEN, FieldKind.CARD_LAST4})
"""Kinds filled by the payment provider, never typed by a person."""

_INPUT_TYPES = {FieldKind.EMAIL: "email", FieldKind.PHONE: "tel", FieldKind.DATE: "date"}
_AUTOCOMPLETE = {
    "last_name": "family-name",
    "first_name": "given-name",
    "patronymic": "additional-name",
    "birth_date": "bday",
    "delivery_address": "street-address",
    "phone": "tel",
    "mobile_phone": "tel",
    "fax": "off",
    "organization": "organization",
    "position": "organization-title",
    "email": "email",
    "country": "country",
    "city": "address-level2",
    "region": "address-level1",
}
_HINTS = {
    FieldKind.PHONE: Text(ru="например, +7 916 123-45-67", en="e.g. +7 916 123-45-67"),
    FieldKind.COUNTRY: Text(ru="название или код, например «Россия» или RU", en="name or code"),
}


def required(title: Text) -> FieldError:
    """The error of a mandatory field left empty."""
    return FieldError(f"{title.ru}: обязательное поле; заполните его", f"{title.en}: required")


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of a form, as the policy declares it."""

    code: str
    title: Text
    kind: FieldKind
    mandatory: bool
    max_length: int
    input_type: str
    autocomplete: str
    hint: Text | None


def form_fields(policy: Policy, *, category: str, purpose: str) -> tuple[FormField, ...]:
    """The fields of ``category`` that ``purpose`` may use (no provider fields), in order."""
    allowed = set(policy.purposes[purpose].fields)
    found = []
    for item in policy.subject_categories[category].fields:
        spec = policy.fields[item.field]
        if item.field not in allowed or spec.kind in PROVIDER_KINDS:
            continue
        found.append(
            FormField(
                code=item.field,
                title=spec.title,
                kind=spec.kind,
                mandatory=item.mandatory,
                max_length=spec.max_length,
                input_type=_INPUT_TYPES.get(spec.kind, "text"),
                autocomplete=_AUTOCOMPLETE.get(item.field, "on"),
                hint=_HINTS.get(spec.kind),
            )
        )
    return tuple(found)


def validate(rules: Rules, fields: Sequence[FormField], raw: Mapping[str, str]) -> dict[str, str]:
    """The non-empty values normalised, or :class:`InvalidForm` listing every bad field."""
    clean: dict[str, str] = {}
    errors: dict[str, FieldError] = {}
    first: PolicyRefusal | None = None
    for field in fields:
        value = raw.get(field.code, "")
        if not value.strip():
            if field.mandatory:
                errors[field.code] = required(field.title)
                first = first or MissingMandatory(
                    f"mandatory field missing: {field.code}",
                    clause="1.1.1",
                    message_ru=f"не заполнено обязательное поле: {field.code}",
                )
            continue
        try:
            clean[field.code] = normalize(field.code, rules.fields[field.code], value)
        except InvalidValue as exc:
            errors[field.code] = FieldError(exc.message_ru, exc.message)
            first = first or exc
    if first is not None:
        raise InvalidForm(errors, first)
    return clean


def check_form(
    processing: Processing,
    fields: Sequence[FormField],
    raw: Mapping[str, str],
    *,
    action: Action = Action.COLLECT,
    subject_id: uuid.UUID | None = None,
) -> dict[str, str]:
    """:func:`validate`, journaling a refusal through the spine when it fails."""
    try:
        return validate(processing.rules, fields, raw)
    except InvalidForm as exc:
        processing.refused(action, subject_id, sorted(exc.errors), exc.refusal)
        raise


def submitted(fields: Sequence[FormField], form: Mapping[str, str]) -> dict[str, str]:
    """The values of ``fields`` in a submitted form (missing ones as empty strings)."""
    return {field.code: str(form.get(field.code, "")) for field in fields}
