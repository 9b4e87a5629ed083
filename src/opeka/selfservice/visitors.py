"""Forms for visitors without an account (policy 1.1.2): a question (2.2.8) and events (2.2.9).

Each form collects only the visitor fields its purpose may use, and only with the consent to
that purpose's own document: without the tick nothing is collected (the refused collection is
journaled), with it the subject and the consent record are written in one transaction
(:func:`opeka.consent.records.collect_with_consent`).

The question's text is not stored. The vault holds the policy's declared fields only, and a
free text may carry anything, so Opeka forwards it to the operator's mailbox that policy 7 names
(``operator.contact_email``) inside the same unit of work — a failed delivery rolls the
collection back — with the subject's pseudonymous id; the contact details stay in the vault,
where staff read them under purpose 2.2.8 (journaled), and are destroyed with the subject.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from opeka.consent import records
from opeka.consent.store import ConsentRecord
from opeka.journal.entry import Action
from opeka.mail.mailers import Mailer
from opeka.mail.message import OutgoingMail
from opeka.policy.cards import contains_card_number
from opeka.policy.errors import NoLegalBasis
from opeka.policy.schema import Policy
from opeka.processing.actor import Actor
from opeka.processing.service import Processing
from opeka.selfservice.client import Client
from opeka.selfservice.errors import ConsentNotGiven, InvalidQuestion
from opeka.selfservice.events import event
from opeka.selfservice.fields import FormField, check_form, form_fields
from opeka.uow import UnitOfWork

VISITOR = "visitor"
QUESTION_PURPOSE = "2.2.8"
EVENT_PURPOSE = "2.2.9"
FORM_ACTOR = Actor.system("portal-forms")
CHANNEL = "form"
QUESTION_MAX = 4000
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class Submitted:
    """A visitor collected with a consent."""

    subject_id: uuid.UUID
    consent: ConsentRecord


def visitor_fields(policy: Policy, purpose: str) -> tuple[FormField, ...]:
    """The visitor fields ``purpose`` may use, in the category's order."""
    return form_fields(policy, category=VISITOR, purpose=purpose)


def _require_consent(processing: Processing, version: str | None, values: Mapping[str, str]) -> str:
    if version:
        return version
    refusal = NoLegalBasis(
        f"purpose {processing.purpose_id} rests on consent and the box was not ticked",
        clause=processing.purpose.clause,
        message_ru=f"цель {processing.purpose_id} требует согласия: флажок не отмечен",
    )
    processing.refused(Action.COLLECT, None, sorted(c for c, v in values.items() if v), refusal)
    raise ConsentNotGiven


def clean_question(text: str) -> str:
    """The question as sent: line breaks unified, trimmed; refused if empty, long or unsafe."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InvalidQuestion("enter your question", message_ru="введите вопрос")
    if len(text) > QUESTION_MAX:
        raise InvalidQuestion(
            f"the question is too long; shorten it to {QUESTION_MAX} characters",
            message_ru=f"вопрос слишком длинный; сократите его до {QUESTION_MAX} символов",
        )
    if _CONTROL.search(text):
        raise InvalidQuestion(
            "the question holds control characters; type it as plain text",
            message_ru="вопрос содержит управляющие символы; введите его обычным текстом",
        )
    if contains_card_number(text):
        raise InvalidQuestion(
            "the question holds a payment-card number; remove it (policy 1.1.3)",
            message_ru="вопрос содержит номер банковской карты; удалите его (п. 1.1.3 Политики)",
        )
    return text


def question_mail(policy: Policy, subject_id: uuid.UUID, text: str) -> OutgoingMail:
    """The mail that brings a question to the operator's mailbox (policy 7)."""
    purpose = policy.purposes[QUESTION_PURPOSE].title
    body = (
        f"Вопрос с сайта (цель {QUESTION_PURPOSE} «{purpose.ru}»).\n"
        f"Субъект: {subject_id}. Контактные данные — в Opeka (цель {QUESTION_PURPOSE}).\n\n"
        f"{text}\n\n"
        "------------------------------------------------------------------------\n"
        f"A question from the website (purpose {QUESTION_PURPOSE}). Subject: {subject_id}; "
        f"the contact details are in Opeka (purpose {QUESTION_PURPOSE}).\n"
    )
    return OutgoingMail(
        to=str(policy.operator.contact_email),
        subject="Вопрос с сайта / A question from the website",
        text=body,
    )


def ask_question(
    uow: UnitOfWork,
    *,
    mailer: Mailer,
    values: Mapping[str, str],
    question: str,
    consent_version: str | None,
    client: Client,
) -> Submitted:
    """Collect a visitor with the consent to 2.2.8 and forward the question (see the module)."""
    policy = uow.services.rules.policy
    processing = Processing(uow, FORM_ACTOR, QUESTION_PURPOSE)
    version = _require_consent(processing, consent_version, values)
    clean = check_form(processing, visitor_fields(policy, QUESTION_PURPOSE), values)
    text = clean_question(question)
    subject_id, record = records.collect_with_consent(
        processing,
        category=VISITOR,
        values=clean,
        source="портал: вопрос оператору",
        version=version,
        channel=CHANNEL,
        evidence=client.evidence("portal:question"),
        language=client.language,
    )
    mailer.send(question_mail(policy, subject_id, text))
    return Submitted(subject_id, record)


def register_for_event(
    uow: UnitOfWork,
    *,
    event_code: str,
    values: Mapping[str, str],
    consent_version: str | None,
    client: Client,
) -> Submitted:
    """Collect a visitor with the consent to 2.2.9 for one event of the list."""
    chosen = event(event_code)
    policy = uow.services.rules.policy
    processing = Processing(uow, FORM_ACTOR, EVENT_PURPOSE)
    version = _require_consent(processing, consent_version, values)
    clean = check_form(processing, visitor_fields(policy, EVENT_PURPOSE), values)
    subject_id, record = records.collect_with_consent(
        processing,
        category=VISITOR,
        values=clean,
        source=f"портал: регистрация на мероприятие {chosen.code}",
        version=version,
        channel=CHANNEL,
        evidence=client.evidence(f"portal:event:{chosen.code}"),
        language=client.language,
    )
    return Submitted(subject_id, record)
