"""Registration in the portal: a registered user (policy 1.1.3) with an account and consents.

The account rests on the contract (purpose 2.2.7, 152-FZ art. 6 p. 1 (5)): the data are
collected under it, so no consent is needed to register, and the mandatory fields are the
category's (1.1.1). Each consent the person ticked is recorded separately (156-FZ), to the
version shown. Everything runs in the caller's unit of work, in this order: validation, the
password policy, the e-mail check (refused without saying whether an account has it), then the
collection, consents, account and nothing else — a failure leaves nothing behind but the
refusal in the journal.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from opeka.auth import accounts
from opeka.auth.context import Auth
from opeka.auth.passwords import check_policy
from opeka.consent.store import ConsentRecord
from opeka.journal.entry import Action, Record, Result, now_us
from opeka.policy.schema import Policy
from opeka.processing.actor import Actor
from opeka.processing.service import Processing
from opeka.selfservice import consents
from opeka.selfservice.client import Client
from opeka.selfservice.errors import EmailUnavailable, PasswordMismatch
from opeka.selfservice.fields import FormField, check_form, form_fields
from opeka.uow import UnitOfWork

CATEGORY = "registered"
PURPOSE = "2.2.7"
SOURCE = "портал: регистрация"
FORM_ID = "portal:register"
REGISTER_ACTOR = Actor.system("portal-register")
LOOKUP_PURPOSE = accounts.PURPOSE


@dataclass(frozen=True, slots=True)
class Registered:
    """A new account: the subject's pseudonymous id and the consents given with it."""

    subject_id: uuid.UUID
    consents: tuple[ConsentRecord, ...]


def registration_fields(policy: Policy) -> tuple[FormField, ...]:
    """The fields the registration form asks for."""
    return form_fields(policy, category=CATEGORY, purpose=PURPOSE)


def register(
    uow: UnitOfWork,
    *,
    auth: Auth,
    values: Mapping[str, str],
    password: str,
    password_repeat: str,
    consent_versions: Mapping[str, str],
    client: Client,
) -> Registered:
    """Create a registered subject with a portal account (see the module docstring).

    ``consent_versions`` maps each ticked purpose to the document version the form showed.
    Raises InvalidForm, PasswordMismatch, PasswordRejected, EmailUnavailable, or a consent
    error when a shown version was superseded meanwhile.
    """
    system = Processing(uow, REGISTER_ACTOR, PURPOSE)
    clean = check_form(system, registration_fields(uow.services.rules.policy), values)
    if password != password_repeat:
        raise PasswordMismatch
    check_policy(password, identifiers=(clean["email"],))
    _refuse_taken(uow, clean["email"])
    sealed = system.seal(system.prepare(category=CATEGORY, values=clean))
    own = Processing(uow, consents.subject_actor(sealed.subject_id), PURPOSE)
    (subject_id,) = own.collect_sealed([sealed], source=SOURCE)
    given = consents.give_many(
        uow,
        subject_id=subject_id,
        versions=consent_versions,
        client=client,
        form_id=FORM_ID,
    )
    accounts.create_account(uow, auth=auth, subject_id=subject_id, password=password)
    return Registered(subject_id, given)


def email_taken(uow: UnitOfWork, email: str, *, other_than: uuid.UUID | None = None) -> bool:
    """Whether a portal account (other than ``other_than``'s) signs in with ``email``."""
    found = Processing(uow, REGISTER_ACTOR, LOOKUP_PURPOSE).find(email=email)
    return any(
        sid != other_than and accounts.has_account(uow.data, subject_id=sid) for sid in found
    )


def _refuse_taken(uow: UnitOfWork, email: str) -> None:
    if not email_taken(uow, email):
        return
    uow.refuse(
        Record(
            time_us=now_us(),
            actor=str(REGISTER_ACTOR),
            action=Action.COLLECT,
            subject_id=None,
            fields=("email",),
            purpose=PURPOSE,
            basis=uow.services.rules.basis(uow.services.rules.purpose(PURPOSE)).article,
            reason="регистрация отклонена: адрес уже используется учётной записью",
            result=Result.REFUSED,
        )
    )
    raise EmailUnavailable
