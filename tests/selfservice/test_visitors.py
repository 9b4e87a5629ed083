"""Visitor forms: nothing collected without the tick; with it, subject and consent together."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from tests.selfservice.support import CLIENT, email, entries, subject_count, version

from opeka.app import Opeka
from opeka.consent import grants
from opeka.db.subjects import subject
from opeka.mail.errors import DeliveryFailed
from opeka.mail.mailers import MemoryMailer
from opeka.mail.message import OutgoingMail
from opeka.selfservice import visitors
from opeka.selfservice.errors import ConsentNotGiven, InvalidForm, InvalidQuestion, UnknownEvent


def _visitor(address: str | None = None) -> dict[str, str]:
    return {"first_name": "Анна", "last_name": "Смирнова", "email": address or email("v")}


def test_a_question_collects_the_visitor_with_consent_and_mails_the_operator(
    opeka: Opeka,
) -> None:
    mailer = MemoryMailer()
    with opeka.unit_of_work() as uow:
        done = visitors.ask_question(
            uow,
            mailer=mailer,
            values=_visitor("asker@example.org"),
            question="Когда будет счёт?\nСпасибо.",
            consent_version=version(opeka, "2.2.8", "visitor"),
            client=CLIENT,
        )
    with opeka.data_engine.connect() as conn:
        row = conn.execute(select(subject).where(subject.c.id == done.subject_id)).one()
        assert grants.active_purposes(conn, subject_id=done.subject_id) == {"2.2.8"}
    assert (row.category, row.source) == ("visitor", "портал: вопрос оператору")
    assert done.consent.channel == "form"
    assert done.consent.evidence.form_id == "portal:question"
    (mail,) = mailer.sent
    assert mail.to == opeka.policy.operator.contact_email
    assert str(done.subject_id) in mail.text
    assert "Когда будет счёт?\nСпасибо." in mail.text
    assert "asker@example.org" not in mail.text


def test_without_the_tick_nothing_is_collected_and_the_refusal_is_journaled(
    opeka: Opeka,
) -> None:
    before = subject_count(opeka)
    mailer = MemoryMailer()
    with opeka.unit_of_work() as uow, pytest.raises(ConsentNotGiven):
        visitors.ask_question(
            uow,
            mailer=mailer,
            values=_visitor(),
            question="Вопрос",
            consent_version=None,
            client=CLIENT,
        )
    assert subject_count(opeka) == before
    assert mailer.sent == []
    refusal = [e for e in entries(opeka, None) if e.actor == "system:portal-forms"][-1]
    assert (refusal.action, refusal.result, refusal.purpose) == ("сбор", "refused", "2.2.8")
    assert refusal.reason.startswith("no_legal_basis")


def test_a_failed_delivery_collects_nothing(opeka: Opeka) -> None:
    class Down:
        def send(self, message: OutgoingMail) -> None:
            raise DeliveryFailed("smtp down")

    before = subject_count(opeka)
    with pytest.raises(DeliveryFailed), opeka.unit_of_work() as uow:
        visitors.ask_question(
            uow,
            mailer=Down(),
            values=_visitor(),
            question="Вопрос",
            consent_version=version(opeka, "2.2.8", "visitor"),
            client=CLIENT,
        )
    assert subject_count(opeka) == before


def test_a_bad_field_collects_nothing(opeka: Opeka) -> None:
    before = subject_count(opeka)
    with opeka.unit_of_work() as uow, pytest.raises(InvalidForm):
        visitors.ask_question(
            uow,
            mailer=MemoryMailer(),
            values={"first_name": "Анна", "email": "not-an-address"},
            question="Вопрос",
            consent_version=version(opeka, "2.2.8", "visitor"),
            client=CLIENT,
        )
    assert subject_count(opeka) == before


def test_event_registration_records_the_event_in_the_source(opeka: Opeka) -> None:
    with opeka.unit_of_work() as uow:
        done = visitors.register_for_event(
            uow,
            event_code="licensing-day-2026",
            values=_visitor() | {"city": "Москва"},
            consent_version=version(opeka, "2.2.9", "visitor"),
            client=CLIENT,
        )
    with opeka.data_engine.connect() as conn:
        source = conn.execute(
            select(subject.c.source).where(subject.c.id == done.subject_id)
        ).scalar()
    assert source == "портал: регистрация на мероприятие licensing-day-2026"
    assert done.consent.purpose == "2.2.9"
    assert done.consent.evidence.form_id == "portal:event:licensing-day-2026"


def test_an_unknown_event_is_refused(opeka: Opeka) -> None:
    with opeka.unit_of_work() as uow, pytest.raises(UnknownEvent):
        visitors.register_for_event(
            uow,
            event_code="no-such-event",
            values=_visitor(),
            consent_version=version(opeka, "2.2.9", "visitor"),
            client=CLIENT,
        )


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 4001, "bad\x00byte", "карта 4111 1111 1111 1111, срок 12/27"],
    ids=["empty", "blank", "long", "control", "card"],
)
def test_a_bad_question_is_refused(text: str) -> None:
    with pytest.raises(InvalidQuestion) as caught:
        visitors.clean_question(text)
    if len(text.strip()) > 5:
        assert text.strip() not in caught.value.message_ru


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=300))
def test_a_clean_question_keeps_its_words(text: str) -> None:
    try:
        cleaned = visitors.clean_question(text)
    except InvalidQuestion:
        return
    assert cleaned == text.replace("\r\n", "\n").replace("\r", "\n").strip()
