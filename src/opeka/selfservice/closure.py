"""Withdrawing consent from the portal, and deleting the account (policy 5.3).

Withdrawing one consent is recorded at once (:func:`opeka.consent.records.withdraw`). When no
legal basis remains (:mod:`opeka.consent.basis`) — always the case for a withdrawal of every
consent, which is what deleting the account is — the subject must be blocked and destroyed
within the policy's term, which is the requests module's work: a withdrawal request is opened
through the portal channel, verified by the signed-in session, and executed at once
(:func:`opeka.requests.executors.execute_withdrawal`: the consents withdrawn with this form's
evidence, the subject blocked through the spine, destruction scheduled; the sweep destroys on
the due date).

These functions take the wired :class:`~opeka.app.Opeka`, not a unit of work: the steps commit
one after another, as the executor runs in a unit of work of its own. A crash between them
leaves a verified request, which the requests sweep executes (``verified_automatic``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from opeka.auth import sessions
from opeka.auth.principals import PrincipalKind
from opeka.consent import records
from opeka.consent.withdrawal import WithdrawalOutcome
from opeka.db.base import utcnow
from opeka.processing import subjects
from opeka.processing.actor import Actor
from opeka.requests import executors, service
from opeka.requests.executors import Withdraw
from opeka.requests.kinds import Channel, RequestKind, VerificationMethod
from opeka.requests.store import ALL_PURPOSES
from opeka.selfservice import consents
from opeka.selfservice.client import Client
from opeka.uow import UnitOfWork

if TYPE_CHECKING:
    from opeka.app import Opeka

EXECUTOR = Actor.system("portal-requests")
DELETE_FORM_ID = "portal:delete-account"


@dataclass(frozen=True, slots=True)
class Closure:
    """The withdrawal request opened for the subject and what executing it did."""

    request_id: uuid.UUID
    number: str
    blocked: bool
    destruction_due: dt.date | None


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A consent withdrawn from the portal, and the request it led to (if no basis was left)."""

    outcome: WithdrawalOutcome
    closure: Closure | None


def _with_evidence(client: Client, form_id: str) -> Withdraw:
    """The executor's withdrawal step, recording the portal form's evidence as the subject's."""

    def run(
        uow: UnitOfWork,
        *,
        actor: Actor,
        subject_id: uuid.UUID,
        purposes: Collection[str] | Literal["all"],
        channel: str,
    ) -> WithdrawalOutcome:
        return records.withdraw(
            uow,
            actor=consents.subject_actor(subject_id),
            purposes=purposes,
            channel="portal",
            evidence=client.evidence(form_id),
            subject_id=subject_id,
            language=client.language,
        )

    return run


def open_withdrawal(
    opeka: Opeka,
    *,
    subject_id: uuid.UUID,
    purposes: Sequence[str],
    client: Client,
    form_id: str,
    now: dt.datetime | None = None,
) -> Closure:
    """Open, verify (signed-in session) and execute a withdrawal request of the subject."""
    actor = consents.subject_actor(subject_id)
    with opeka.unit_of_work() as uow:
        opened = service.open_request(
            uow,
            kind=RequestKind.WITHDRAWAL,
            channel=Channel.PORTAL,
            received_at=now or utcnow(),
            subject_id=subject_id,
            purposes=purposes,
            actor=actor,
            now=now,
        )
        service.verify(
            uow,
            request_id=opened.id,
            method=VerificationMethod.PORTAL_SESSION,
            evidence=None,
            actor=actor,
        )
    done = executors.execute_withdrawal(
        opeka, request_id=opened.id, actor=EXECUTOR, withdraw=_with_evidence(client, form_id)
    )
    return Closure(opened.id, opened.number, done.blocked, done.destruction_due)


def withdraw(
    opeka: Opeka,
    *,
    subject_id: uuid.UUID,
    purpose: str,
    client: Client,
) -> Withdrawal:
    """Withdraw one consent; open the closing request when no legal basis is left."""
    with opeka.unit_of_work() as uow:
        category = subjects.load(uow.data, subject_id).category
        consents.offer(uow.data, opeka.policy, category=category, purpose=purpose)
        outcome = records.withdraw(
            uow,
            actor=consents.subject_actor(subject_id),
            purposes=[purpose],
            channel="portal",
            evidence=client.evidence(consents.FORM_ID),
            subject_id=subject_id,
            language=client.language,
        )
    if outcome.remaining_basis or not outcome.purposes_withdrawn:
        return Withdrawal(outcome, None)
    closure = open_withdrawal(
        opeka,
        subject_id=subject_id,
        purposes=outcome.purposes_withdrawn,
        client=client,
        form_id=consents.FORM_ID,
    )
    return Withdrawal(outcome, closure)


def close_account(opeka: Opeka, *, subject_id: uuid.UUID, client: Client) -> Closure:
    """Delete the account: withdraw every consent, block, schedule destruction, end sessions."""
    closure = open_withdrawal(
        opeka,
        subject_id=subject_id,
        purposes=[ALL_PURPOSES],
        client=client,
        form_id=DELETE_FORM_ID,
    )
    with opeka.data_engine.begin() as conn:
        sessions.revoke_all(conn, kind=PrincipalKind.SUBJECT, principal_id=str(subject_id))
    return closure
