"""The notices' outbox: each request event that calls for a notice is e-mailed exactly once."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.factories import client_values
from tests.requests.support import STAFF, collect_client, msk

from opeka.app import Opeka
from opeka.db.base import utcnow
from opeka.mail.mailers import MemoryMailer
from opeka.mail.message import OutgoingMail
from opeka.requests import notices, service
from opeka.requests.notices import send_due
from opeka.requests.store import RequestRow


class BrokenMailer:
    """A mailer whose server is down."""

    def send(self, message: OutgoingMail) -> None:
        raise ConnectionRefusedError("smtp down")


def recent() -> dt.datetime:
    return utcnow() - dt.timedelta(hours=1)


def open_request(
    opeka: Opeka, kind: str, received: dt.datetime, *, subject_id: uuid.UUID | None = None
) -> RequestRow:
    with opeka.unit_of_work() as uow:
        return service.open_request(
            uow,
            kind=kind,
            channel="paper",
            received_at=received,
            subject_id=subject_id,
            purposes=(),
            actor=STAFF,
        )


def test_a_received_request_is_notified_once_to_the_address_on_file(opeka: Opeka) -> None:
    sid = collect_client(opeka, 1)
    row = open_request(opeka, "access", recent(), subject_id=sid)
    mailer = MemoryMailer()
    assert send_due(opeka, mailer).sent == 1
    (mail,) = mailer.sent
    assert mail.to == client_values(1)["email"]
    assert row.number in mail.text
    assert send_due(opeka, mailer).sent == 0  # marked: never twice
    assert len(mailer.sent) == 1


def test_a_refusal_is_notified_with_its_reason(opeka: Opeka) -> None:
    sid = collect_client(opeka, 2)
    row = open_request(opeka, "access", recent(), subject_id=sid)
    with opeka.unit_of_work() as uow:
        service.refuse(uow, request_id=row.id, reason="запрос повторный, ст. 14 ч. 5", actor=STAFF)
    mailer = MemoryMailer()
    assert send_due(opeka, mailer).sent == 2  # received, then refused
    assert "ст. 14 ч. 5" in mailer.sent[-1].text


def test_a_failed_send_is_retried_then_given_up(opeka: Opeka) -> None:
    sid = collect_client(opeka, 3)
    open_request(opeka, "access", recent(), subject_id=sid)
    for _ in range(notices.MAX_ATTEMPTS):
        assert send_due(opeka, BrokenMailer()).failed == 1
    assert send_due(opeka, BrokenMailer()).failed == 0  # attempts exhausted
    assert send_due(opeka, MemoryMailer()).sent == 0


def test_a_request_without_a_subject_is_skipped(opeka: Opeka) -> None:
    open_request(opeka, "access", recent())
    mailer = MemoryMailer()
    assert send_due(opeka, mailer).skipped == 1
    assert mailer.sent == []


def test_old_events_are_not_replayed(opeka: Opeka) -> None:
    sid = collect_client(opeka, 4)
    open_request(opeka, "access", msk(2026, 1, 12), subject_id=sid)
    later = utcnow() + notices.HORIZON + dt.timedelta(days=1)
    assert send_due(opeka, MemoryMailer(), now=later).sent == 0
