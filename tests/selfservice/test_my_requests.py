"""«Мои запросы»: the subject's requests, newest first, with the deadline in force."""

from __future__ import annotations

import datetime as dt

from tests.selfservice.support import register

from opeka.app import Opeka
from opeka.auth.context import Auth
from opeka.db.base import utcnow
from opeka.processing import Actor
from opeka.requests import extension, service
from opeka.requests.clock import moscow_date, moscow_today
from opeka.requests.kinds import RequestKind
from opeka.requests.states import RequestStatus
from opeka.selfservice.my_requests import STATUS_TITLES, my_requests

STAFF = Actor.staff("operator")


def test_the_subjects_requests_newest_first_with_titles_and_extended_deadline(
    opeka: Opeka, auth: Auth
) -> None:
    sid = register(opeka, auth).subject_id
    other = register(opeka, auth).subject_id
    now = utcnow()
    with opeka.unit_of_work() as uow:
        old = service.open_request(
            uow,
            kind="access",
            channel="paper",
            received_at=now - dt.timedelta(days=3),
            subject_id=sid,
            actor=STAFF,
        )
        new = service.open_request(
            uow, kind="question", channel="portal", received_at=now, subject_id=sid, actor=STAFF
        )
        service.open_request(
            uow, kind="question", channel="portal", received_at=now, subject_id=other, actor=STAFF
        )
        notice = extension.extend(
            uow, request_id=old.id, reason="сбор сведений", actor=STAFF, today=moscow_today()
        )
    with opeka.data_engine.connect() as conn:
        found = my_requests(conn, subject_id=sid)
    assert [r.number for r in found] == [new.number, old.number]
    latest, extended = found
    assert (latest.kind, latest.kind_title.ru, latest.kind_title.en) == (
        RequestKind.QUESTION,
        "вопрос",
        "question",
    )
    assert latest.status_title.ru == "получен"
    assert latest.open
    assert latest.closed is None
    assert not latest.extended
    assert extended.extended
    assert extended.due == notice.extended_due
    assert extended.received == moscow_date(now - dt.timedelta(days=3))


def test_every_status_has_a_russian_and_an_english_title() -> None:
    assert set(STATUS_TITLES) == set(RequestStatus)
    assert STATUS_TITLES[RequestStatus.DONE].ru == "исполнен"
    assert STATUS_TITLES[RequestStatus.DONE].en == "answered"
