"""Withdrawing consent: the withdrawal records, the grants withdrawn, the journal, the outcome.

From the commit of a withdrawal on, :meth:`Processing.read` for the withdrawn purposes is
refused with ``NoLegalBasis`` (the spine reads the grants). The withdrawal neither blocks the
subject nor creates a destruction request: it returns a :class:`WithdrawalOutcome`, and the
caller does both when ``remaining_basis`` is false (the rule is in :mod:`opeka.consent.basis`).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final, Literal

from opeka.consent import events, grants, store
from opeka.consent.basis import remaining_basis
from opeka.consent.errors import NotConsentPurpose
from opeka.consent.evidence import Evidence
from opeka.consent.store import ConsentRecord, Event
from opeka.db.base import utcnow
from opeka.policy.schema import Policy
from opeka.processing import subjects
from opeka.processing.actor import Actor

if TYPE_CHECKING:
    from opeka.uow import UnitOfWork

ALL: Final = "all"
"""``withdraw(purposes=ALL)``: consent to processing withdrawn as a whole (policy 5.3)."""


@dataclass(frozen=True, slots=True)
class WithdrawalOutcome:
    """What a withdrawal did, and whether any legal basis is left for the subject."""

    purposes_withdrawn: tuple[str, ...]
    remaining_basis: bool
    records: tuple[ConsentRecord, ...]


def withdraw(
    uow: UnitOfWork,
    *,
    actor: Actor,
    purposes: Collection[str] | Literal["all"],
    channel: str,
    evidence: Evidence | None = None,
    subject_id: uuid.UUID | None = None,
    visitor_id: uuid.UUID | None = None,
    language: str = "ru",
) -> WithdrawalOutcome:
    """Withdraw consents (some purposes, or ``ALL``): records, grants, journal; see the module.

    Purposes without a consent in force are skipped (a second click changes nothing); a purpose
    that does not rest on consent is refused with :class:`NotConsentPurpose`.
    """
    events.check_inputs(channel, language)
    if (subject_id is None) == (visitor_id is None):
        raise ValueError("give exactly one of subject_id, visitor_id")
    if isinstance(purposes, str) and purposes != ALL:
        raise ValueError(f"purposes must be a collection of purpose ids or {ALL!r}")
    policy = uow.services.rules.policy
    withdrew_all = purposes == ALL
    if not withdrew_all:
        _check_consent_purposes(uow, actor, subject_id, policy, purposes)
    in_force = store.active(store.history(uow.data, subject_id=subject_id, visitor_id=visitor_id))
    category = None
    if subject_id is not None:
        category = subjects.load(uow.data, subject_id).category
        active = set(grants.active_purposes(uow.data, subject_id=subject_id))
    else:
        active = set(in_force)
    targets = sorted(active if withdrew_all else active & set(purposes))
    template = ConsentRecord(
        id=uuid.uuid4(),
        subject_id=subject_id,
        visitor_id=visitor_id,
        event=Event.WITHDRAWN,
        purpose="",
        document_id=None,
        document_version=None,
        text_hash=None,
        channel=channel,
        evidence=evidence or Evidence(),
        language=language,
        actor=str(actor),
        recorded_at=utcnow(),
    )
    written = tuple(_withdraw_one(uow, template, p, in_force.get(p)) for p in targets)
    left = active - set(targets)
    if category is None:  # a visitor's consent id: no subject, so no basis beyond its consents
        return WithdrawalOutcome(tuple(targets), not withdrew_all and bool(left), written)
    remaining = remaining_basis(
        policy, category=category, active_consents=left, withdrew_all=withdrew_all
    )
    return WithdrawalOutcome(tuple(targets), remaining, written)


def _withdraw_one(
    uow: UnitOfWork, template: ConsentRecord, purpose: str, given: ConsentRecord | None
) -> ConsentRecord:
    """Append the withdrawal of ``purpose`` (naming the consent it ends), withdraw the grant."""
    record = replace(
        template,
        id=uuid.uuid4(),
        purpose=purpose,
        document_id=given.document_id if given else None,
        document_version=given.document_version if given else None,
        text_hash=given.text_hash if given else None,
    )
    store.append(uow.data, record)
    if record.subject_id is not None:
        grants.withdraw(uow.data, subject_id=record.subject_id, purpose=purpose)
    events.journal(uow, record)
    return record


def _check_consent_purposes(
    uow: UnitOfWork,
    actor: Actor,
    subject_id: uuid.UUID | None,
    policy: Policy,
    wanted: Collection[str],
) -> None:
    for pid in wanted:
        purpose = policy.purposes.get(pid)
        basis = policy.legal_bases.get(purpose.basis) if purpose is not None else None
        if basis is None or not basis.requires_consent:
            shown = pid if purpose is not None else ""  # never echo an unknown input
            exc = NotConsentPurpose(
                f"purpose {shown or '(unknown)'} does not rest on consent; nothing to withdraw",
                message_ru=f"цель {shown or '(неизвестная)'} не основана на согласии; "
                "отзывать нечего",
            )
            events.refuse(uow, actor, subject_id, shown, exc, basis=events.BASIS_WITHDRAWN)
            raise exc
