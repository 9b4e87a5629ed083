"""Notices to the requester: the right template per event, the address read journaled, and a
failure to send never undoing the request."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import pytest
from tests.factories import client_values
from tests.requests.support import (
    STAFF,
    collect_client,
    journal,
    load,
    msk,
    open_request,
    verify,
)

from opeka.app import Opeka
from opeka.journal.entry import Action
from opeka.mail.errors import DeliveryFailed
from opeka.mail.mailers import MemoryMailer
from opeka.mail.message import OutgoingMail
from opeka.requests import extension, notify, service
from opeka.requests.journaling import DUTY
from opeka.requests.notify import NotifyEvent
from opeka.requests.states import RequestStatus


@pytest.fixture
def opeka(shared: Opeka) -> Opeka:
    """These tests look only at what they make: one store per backend serves them all."""
    return shared


RECEIVED = msk(2026, 3, 1)


class FailingMailer:
    """A mailer whose server is down."""

    def send(self, message: OutgoingMail) -> None:
        raise DeliveryFailed("mail delivery failed: ConnectionRefusedError")


def opened(opeka: Opeka, i: int = 1, *, subject: bool = True) -> uuid.UUID:
    sid = collect_client(opeka, i) if subject else None
    return open_request(opeka, "access", RECEIVED, subject_id=sid).id


def advance(opeka: Opeka, request_id: uuid.UUID, event: NotifyEvent) -> None:
    """Bring the request to the state the event reports."""
    with opeka.unit_of_work() as uow:
        if event is NotifyEvent.EXTENDED:
            extension.extend(
                uow,
                request_id=request_id,
                reason="нужны сведения из архива договоров",
                actor=STAFF,
                today=dt.date(2026, 3, 2),
            )
        elif event is NotifyEvent.REFUSED:
            service.refuse(
                uow, request_id=request_id, reason="152-ФЗ ст. 14 ч. 8 <п. 4>", actor=STAFF
            )
    if event is NotifyEvent.DONE:
        verify(opeka, request_id)
        with opeka.unit_of_work() as uow:
            service.start(uow, request_id=request_id, actor=STAFF)
            service.complete(
                uow, request_id=request_id, result="сведения выданы в кабинете", actor=STAFF
            )


SUBJECTS = {
    NotifyEvent.RECEIVED: "получен / Request No.",
    NotifyEvent.EXTENDED: "продлён / Request No.",
    NotifyEvent.DONE: "исполнен / Request No.",
    NotifyEvent.REFUSED: "Отказ по запросу",
}
TEXTS = {
    NotifyEvent.RECEIVED: "Мы ответим не позднее",
    NotifyEvent.EXTENDED: "Мотивированное уведомление о продлении срока",
    NotifyEvent.DONE: "Результат: сведения выданы в кабинете",
    NotifyEvent.REFUSED: "Основание отказа: 152-ФЗ ст. 14 ч. 8 ‹п. 4›",
}


@pytest.mark.parametrize("event", list(NotifyEvent))
def test_each_event_sends_its_template_to_the_address_on_file(
    opeka: Opeka, event: NotifyEvent
) -> None:
    request_id = opened(opeka)
    advance(opeka, request_id, event)
    mailer = MemoryMailer()
    assert notify.notify(opeka, request_id=request_id, event=event, mailer=mailer)
    (mail,) = mailer.sent
    number = load(opeka, request_id).number
    assert mail.to == client_values(1)["email"]
    assert number in mail.subject
    assert SUBJECTS[event] in mail.subject
    assert TEXTS[event] in mail.text
    assert mail.text.index("Здравствуйте") < mail.text.index("Hello")
    assert client_values(1)["last_name"] not in mail.text
    assert client_values(1)["email"] not in mail.text


def test_the_extension_notice_carries_the_new_term_and_reason(opeka: Opeka) -> None:
    request_id = opened(opeka)
    advance(opeka, request_id, NotifyEvent.EXTENDED)
    mailer = MemoryMailer()
    notify.notify(opeka, request_id=request_id, event="extended", mailer=mailer)
    row = load(opeka, request_id)
    assert row.extended_due_date is not None
    text = mailer.sent[0].text
    assert f"{row.extended_due_date:%d.%m.%Y}" in text
    assert "Причина продления: нужны сведения из архива договоров" in text
    assert "ч. 3 ст. 14" in text


def test_reading_the_address_is_journaled(opeka: Opeka) -> None:
    request_id = opened(opeka)
    notify.notify(opeka, request_id=request_id, event="received", mailer=MemoryMailer())
    read = journal(opeka)[-1]
    number = load(opeka, request_id).number
    assert (read.action, read.fields, read.purpose) == (Action.EXTRACT.value, ("email",), DUTY)
    assert read.actor == "system:requests-notify"
    assert read.reason == f"уведомление по запросу {number} (получен)"


def test_a_failing_mailer_leaves_the_request_and_logs_no_address(
    opeka: Opeka, caplog: pytest.LogCaptureFixture
) -> None:
    request_id = opened(opeka)
    with (
        caplog.at_level(logging.INFO, logger="opeka"),
        notify.Outbox(opeka, FailingMailer()) as outbox,
        opeka.unit_of_work() as uow,
    ):
        service.refuse(uow, request_id=request_id, reason="нет оснований", actor=STAFF)
        outbox.add(request_id=request_id, event="refused")
    assert load(opeka, request_id).status is RequestStatus.REFUSED
    assert "DeliveryFailed" in caplog.text
    assert client_values(1)["email"] not in caplog.text


def test_the_outbox_sends_after_the_commit_and_drops_on_an_error(opeka: Opeka) -> None:
    request_id = opened(opeka)
    mailer = MemoryMailer()

    def failing_request() -> None:
        with notify.Outbox(opeka, mailer) as outbox, opeka.unit_of_work() as uow:
            service.refuse(uow, request_id=request_id, reason="нет оснований", actor=STAFF)
            outbox.add(request_id=request_id, event="refused")
            raise RuntimeError("the request fails")

    with pytest.raises(RuntimeError):
        failing_request()
    assert mailer.sent == []
    assert load(opeka, request_id).status is RequestStatus.RECEIVED
    with notify.Outbox(opeka, mailer) as outbox, opeka.unit_of_work() as uow:
        service.refuse(uow, request_id=request_id, reason="нет оснований", actor=STAFF)
        outbox.add(request_id=request_id, event="refused")
        assert mailer.sent == []  # nothing leaves before the commit
    assert len(mailer.sent) == 1


def test_without_a_subject_there_is_no_address_and_no_mail(opeka: Opeka) -> None:
    request_id = opened(opeka, subject=False)
    before = len(journal(opeka))
    mailer = MemoryMailer()
    assert not notify.notify(opeka, request_id=request_id, event="received", mailer=mailer)
    assert mailer.sent == []
    assert len(journal(opeka)) == before


def test_a_destroyed_subject_is_notified_only_if_composed_before(opeka: Opeka) -> None:
    request_id = opened(opeka, 2)
    sid = load(opeka, request_id).subject_id
    assert sid is not None
    mailer = MemoryMailer()
    with opeka.processing(STAFF, DUTY) as p:
        notice = notify.compose(p.uow, request_id=request_id, event="received")
        p.destroy(sid, reason_code="demand")
    assert notice is not None
    assert notify.deliver(notice, mailer)
    assert mailer.sent[0].to == client_values(2)["email"]
    assert not notify.notify(opeka, request_id=request_id, event="received", mailer=mailer)
    assert len(mailer.sent) == 1


def test_an_unknown_request_is_logged_not_raised(opeka: Opeka) -> None:
    mailer = MemoryMailer()
    assert not notify.notify(opeka, request_id=uuid.uuid4(), event="done", mailer=mailer)
    assert mailer.sent == []
