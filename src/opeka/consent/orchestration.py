"""Use cases that join consent, the spine and requests: collecting, and withdrawing consent.

:func:`collect_subject` collects a new subject with its consent record when the purpose rests on
consent (:func:`opeka.consent.records.collect_with_consent`), and through the spine alone when
it does not — a consent sent for such a purpose is refused rather than silently dropped.

:func:`withdraw_consent` is the use case behind "withdraw" buttons and API calls, in the
caller's unit of work (one transaction):

1. the consents are withdrawn (:func:`opeka.consent.records.withdraw`: records, grants, journal);
   from the commit on, the spine refuses the withdrawn purposes;
2. when the subject keeps a legal basis (another consent, a contract), that is all;
3. otherwise the withdrawal is registered as a request of kind ``withdrawal`` (so that it shows in
   the queue and the register with its term), recorded as verified by the channel that carried
   it, taken into work, the subject is **blocked** through the spine under the statutory purpose,
   and its **destruction is scheduled** on the request's due date (the operator's withdrawal
   term, 30 days at most); the sweep destroys the data then and closes the request.

Step 3 runs only when the withdrawal changed something or the subject was still active, so that
repeating a withdrawal does not register the same request twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from opeka.consent.document_view import document_id as make_document_id
from opeka.consent.errors import DocumentNotForSubject, NotConsentPurpose
from opeka.consent.evidence import Evidence
from opeka.consent.records import collect_with_consent
from opeka.consent.store import ConsentRecord
from opeka.consent.withdrawal import ALL, WithdrawalOutcome, withdraw
from opeka.db.base import utcnow
from opeka.journal.entry import Action
from opeka.policy.errors import PolicyRefusal
from opeka.processing import subjects
from opeka.processing.actor import Actor
from opeka.processing.service import Processing
from opeka.processing.subjects import Status
from opeka.requests import service
from opeka.requests.calendar import ProductionCalendar
from opeka.requests.journaling import DUTY
from opeka.requests.kinds import DEFAULT_CALENDAR, Channel, RequestKind, VerificationMethod
from opeka.requests.store import ALL_PURPOSES, RequestRow

if TYPE_CHECKING:
    from opeka.uow import UnitOfWork

__all__ = ["WithdrawalFollowUp", "collect_subject", "withdraw_consent"]

_CONSENT_CHANNEL = {
    Channel.API: "api",
    Channel.PORTAL: "portal",
    Channel.EMAIL: "email",
    Channel.INTAKE: "email",
}
"""The consent record's channel for a request channel (others are paper)."""


@dataclass(frozen=True, slots=True)
class WithdrawalFollowUp:
    """What withdrawing did: the withdrawal, and the block and request when no basis is left."""

    outcome: WithdrawalOutcome
    request: RequestRow | None = None
    destruction_due: dt.date | None = None

    @property
    def blocked(self) -> bool:
        """Whether the subject was blocked pending destruction."""
        return self.request is not None


def collect_subject(
    processing: Processing,
    *,
    category: str,
    values: Mapping[str, object],
    source: str,
    document_id: str | None = None,
    version: str | None = None,
    channel: str = "api",
    evidence: Evidence | None = None,
) -> tuple[uuid.UUID, ConsentRecord | None]:
    """Collect a subject under ``processing``'s purpose, with its consent when that needs one.

    Without ``version`` a consent-based purpose is refused by the spine (``NoLegalBasis``,
    journaled); ``document_id``, when given, must be the purpose's document for ``category``.
    """
    if not processing.basis.requires_consent:
        if version is not None or document_id is not None:
            raise NotConsentPurpose(
                f"purpose {processing.purpose_id} does not rest on consent; send no consent",
                message_ru=f"цель {processing.purpose_id} не основана на согласии; "
                "согласие не передаётся",
            )
        return processing.collect(category=category, values=values, source=source), None
    if version is None:
        return processing.collect(category=category, values=values, source=source), None
    try:  # the spine's refusal (journaled) comes before "no such consent document"
        processing.rules.check_category(processing.purpose_id, category)
    except PolicyRefusal as exc:
        processing.refused(Action.COLLECT, None, [c for c, v in values.items() if v], exc)
        raise
    expected = make_document_id(processing.purpose_id, category)
    if document_id is not None and document_id != expected:
        raise DocumentNotForSubject(
            f"the consent for purpose {processing.purpose_id} and this category is {expected}",
            message_ru=f"согласие на цель {processing.purpose_id} для этой категории — {expected}",
        )
    return collect_with_consent(
        processing,
        category=category,
        values=values,
        source=source,
        version=version,
        channel=channel,
        evidence=evidence,
    )


def withdraw_consent(
    uow: UnitOfWork,
    *,
    actor: Actor,
    subject_id: uuid.UUID,
    purposes: Collection[str] | Literal["all"],
    channel: Channel,
    verified_by: VerificationMethod,
    evidence: Evidence | None = None,
    now: dt.datetime | None = None,
    calendar: ProductionCalendar = DEFAULT_CALENDAR,
) -> WithdrawalFollowUp:
    """Withdraw a subject's consents and, when no basis remains, block and schedule destruction.

    ``verified_by`` says how the channel established that the subject asked (a portal session,
    the operator's system through the API). Errors are those of the consent and requests
    modules and the spine; nothing is written unless the caller's unit of work commits.
    """
    now = now or utcnow()
    was_active = subjects.load(uow.data, subject_id).status is Status.ACTIVE
    outcome = withdraw(
        uow,
        actor=actor,
        purposes=purposes,
        channel=_CONSENT_CHANNEL.get(channel, "paper"),
        evidence=evidence,
        subject_id=subject_id,
    )
    named = [ALL_PURPOSES] if purposes == ALL else list(dict.fromkeys(purposes))
    changed = bool(outcome.purposes_withdrawn) or was_active
    if outcome.remaining_basis or not changed or not named:
        return WithdrawalFollowUp(outcome)
    request = _register(uow, actor, subject_id, named, channel, verified_by, now, calendar)
    Processing(uow, actor, DUTY).block(
        subject_id, reason=f"запрос {request.number}: отзыв согласия, блокирование до уничтожения"
    )
    service.schedule_destruction(
        uow,
        subject_id=subject_id,
        request_id=request.id,
        reason_code="withdrawal",
        due=request.due_date,
        actor=actor,
    )
    return WithdrawalFollowUp(outcome, request=request, destruction_due=request.due_date)


def _register(
    uow: UnitOfWork,
    actor: Actor,
    subject_id: uuid.UUID,
    purposes: list[str],
    channel: Channel,
    verified_by: VerificationMethod,
    now: dt.datetime,
    calendar: ProductionCalendar,
) -> RequestRow:
    """Open the withdrawal request, record its verification and take it into work."""
    opened = service.open_request(
        uow,
        kind=RequestKind.WITHDRAWAL,
        channel=channel,
        received_at=now,
        subject_id=subject_id,
        purposes=purposes,
        actor=actor,
        now=now,
        calendar=calendar,
    )
    service.verify(
        uow,
        request_id=opened.id,
        method=verified_by,
        evidence="отзыв согласия принят по каналу, где субъект подтвердил личность",
        actor=actor,
    )
    return service.start(uow, request_id=opened.id, actor=actor)
