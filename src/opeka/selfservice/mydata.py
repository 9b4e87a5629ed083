"""«Мои данные»: what the operator holds about the signed-in subject, its rectification and copy.

Every read and change runs under the statutory purpose ``legal.subject_rights`` (the subject's
rights of access and rectification, 152-FZ art. 14 and 21, which the law grants even while the
subject is blocked) with the subject as the actor, so each is journaled: a view or a download as
an extraction (извлечение), an edit as уточнение with the reason «уточнение по заявлению субъекта
(портал)», an optional field emptied as удаление.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from opeka.consent import grants
from opeka.db.subjects import subject
from opeka.journal.entry import Action
from opeka.policy.schema import Policy, Text
from opeka.processing import subjects
from opeka.processing.service import Processing
from opeka.selfservice import registration
from opeka.selfservice.consents import subject_actor
from opeka.selfservice.errors import EmailUnavailable
from opeka.selfservice.fields import FormField, check_form, form_fields
from opeka.uow import UnitOfWork

RIGHTS = "legal.subject_rights"
RECTIFY_REASON = "уточнение по заявлению субъекта (портал)"
ERASE_REASON = "удаление по заявлению субъекта (портал)"


@dataclass(frozen=True, slots=True)
class PurposeRef:
    """A purpose that may use a field: id, title, basis, whether it rests on consent."""

    id: str
    title: Text
    basis: Text
    consent: bool


@dataclass(frozen=True, slots=True)
class RecipientRef:
    """A recipient class data may go to under a purpose the subject consented to."""

    code: str
    title: Text
    purpose: str
    countries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HeldField:
    """One field the operator holds, with its value and the purposes that may use it."""

    code: str
    title: Text
    value: str
    purposes: tuple[PurposeRef, ...]


@dataclass(frozen=True, slots=True)
class MyData:
    """Everything «Мои данные» shows."""

    subject_id: uuid.UUID
    category: str
    category_title: Text
    status: str
    source: str
    created_at: dt.datetime
    fields: tuple[HeldField, ...]
    recipients: tuple[RecipientRef, ...]
    consented: frozenset[str]


@dataclass(frozen=True, slots=True)
class Rectified:
    """What an edit changed (field codes)."""

    updated: tuple[str, ...]
    erased: tuple[str, ...]


def editable_fields(policy: Policy, category: str) -> tuple[FormField, ...]:
    """The fields a subject of ``category`` may edit (all but the payment provider's)."""
    return form_fields(policy, category=category, purpose=RIGHTS)


def _purposes(
    policy: Policy, category: str, code: str, consented: frozenset[str]
) -> list[PurposeRef]:
    found = []
    for pid, purpose in policy.purposes.items():
        basis = policy.legal_bases[purpose.basis]
        usable = not basis.requires_consent or pid in consented
        if purpose.statutory or not usable or category not in purpose.subject_categories:
            continue
        if code in purpose.fields:
            found.append(PurposeRef(pid, purpose.title, basis.title, basis.requires_consent))
    return found


def _recipients(policy: Policy, consented: frozenset[str]) -> tuple[RecipientRef, ...]:
    return tuple(
        RecipientRef(
            code, policy.recipients[code].title, pid, tuple(policy.recipients[code].countries)
        )
        for pid, purpose in policy.purposes.items()
        if pid in consented
        for code in purpose.transfer_to
        if code in policy.recipients
    )


def my_data(uow: UnitOfWork, *, subject_id: uuid.UUID) -> MyData:
    """Read every field held about the subject (journaled) and what the policy says of it."""
    policy = uow.services.rules.policy
    values = Processing(uow, subject_actor(subject_id), RIGHTS).read(subject_id)
    row = subjects.load(uow.data, subject_id)
    source = uow.data.execute(select(subject.c.source).where(subject.c.id == subject_id)).scalar()
    consented = grants.active_purposes(uow.data, subject_id=subject_id)
    order = [item.field for item in policy.subject_categories[row.category].fields]
    held = tuple(
        HeldField(
            code=code,
            title=policy.fields[code].title,
            value=values[code],
            purposes=tuple(_purposes(policy, row.category, code, consented)),
        )
        for code in order
        if code in values
    )
    return MyData(
        subject_id=subject_id,
        category=row.category,
        category_title=policy.subject_categories[row.category].title,
        status=row.status.value,
        source=source or "",
        created_at=row.created_at,
        fields=held,
        recipients=_recipients(policy, consented),
        consented=consented,
    )


def rectify(uow: UnitOfWork, *, subject_id: uuid.UUID, values: Mapping[str, str]) -> Rectified:
    """Apply the subject's edit: changed fields as уточнение, emptied optional ones as удаление.

    Raises InvalidForm (a mandatory field emptied, a bad value) or EmailUnavailable when the new
    e-mail already signs in to another account.
    """
    policy = uow.services.rules.policy
    category = subjects.load(uow.data, subject_id).category
    fields = editable_fields(policy, category)
    processing = Processing(uow, subject_actor(subject_id), RIGHTS)
    clean = check_form(processing, fields, values, action=Action.UPDATE, subject_id=subject_id)
    current = processing.read(subject_id, [f.code for f in fields])
    changed = {code: value for code, value in clean.items() if current.get(code) != value}
    erased = tuple(code for code in current if code not in clean)
    if "email" in changed and registration.email_taken(
        uow, changed["email"], other_than=subject_id
    ):
        raise EmailUnavailable
    if changed:
        processing.update(subject_id, changed, reason=RECTIFY_REASON)
    if erased:
        processing.erase_fields(subject_id, erased, reason=ERASE_REASON)
    return Rectified(tuple(sorted(changed)), tuple(sorted(erased)))
