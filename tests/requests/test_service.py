"""Opening, matching and verifying requests; what is stored (structured fields only)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select
from tests.factories import client_values
from tests.requests.support import (
    DOCUMENT,
    NOW,
    STAFF,
    collect_client,
    journal,
    load,
    msk,
    open_request,
    reasons,
    verify,
)

from opeka.app import Opeka
from opeka.db.requests import request_event, scheduled_action, subject_request
from opeka.processing.errors import SubjectNotFound
from opeka.requests import service
from opeka.requests.errors import (
    IdentifiersInText,
    InvalidPurposes,
    InvalidRequest,
    ReceivedInFuture,
    TransitionRefused,
)
from opeka.requests.kinds import VerificationMethod
from opeka.requests.states import RequestStatus


def test_numbers_are_sequential_per_year_of_registration(shared: Opeka) -> None:
    first = open_request(shared, "access", msk(2026, 2, 2))
    second = open_request(shared, "question", msk(2026, 2, 3))
    year, serial = first.number.split("-")
    assert (year, len(serial)) == ("2026", 6)
    assert second.number == f"2026-{int(serial) + 1:06d}"
    with shared.unit_of_work() as uow:
        next_year = service.open_request(
            uow,
            kind="access",
            channel="email",
            received_at=msk(2026, 12, 30),
            subject_id=None,
            actor=STAFF,
            now=msk(2027, 1, 11),
        )
    assert next_year.number == "2027-000001"


def test_a_paper_request_keeps_its_real_receipt_date_and_deadline(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2025, 12, 26, 17, 5), channel="paper")
    assert row.received_at == msk(2025, 12, 26, 17, 5)
    assert row.due_date == dt.date(2026, 1, 21)
    assert row.registered_by == "staff:ivanova"
    assert reasons(shared, row.number) == [
        f"запрос {row.number}: зарегистрирован (access, paper), срок 2026-01-21"
    ]


def test_an_unverified_request_keeps_the_deadline_from_receipt(shared: Opeka) -> None:
    row = open_request(shared, "rectification", msk(2026, 2, 20))
    assert row.verified_at is None
    verified = verify(shared, row.id)  # verified days later: the term still runs from receipt
    assert verified.due_date == row.due_date == dt.date(2026, 3, 4)


def test_unknown_kind_is_refused(shared: Opeka) -> None:
    with pytest.raises(InvalidRequest, match="unknown kind"):
        open_request(shared, "complaint", msk(2026, 2, 2))


def test_unknown_channel_is_refused(shared: Opeka) -> None:
    with pytest.raises(InvalidRequest, match="unknown channel"):
        open_request(shared, "access", msk(2026, 2, 2), channel="fax")


def test_a_receipt_in_the_future_is_refused(shared: Opeka) -> None:
    with pytest.raises(ReceivedInFuture):
        open_request(shared, "access", NOW + dt.timedelta(hours=1))


def test_an_unknown_subject_is_refused(shared: Opeka) -> None:
    with pytest.raises(SubjectNotFound):
        open_request(shared, "access", msk(2026, 2, 2), subject_id=uuid.uuid4())


def test_a_withdrawal_needs_purposes(shared: Opeka) -> None:
    with pytest.raises(InvalidPurposes, match=r"2\.2\.8"):
        open_request(shared, "withdrawal", msk(2026, 2, 2))


def test_a_withdrawal_of_a_purpose_without_consent_is_refused(shared: Opeka) -> None:
    with pytest.raises(InvalidPurposes):
        open_request(shared, "withdrawal", msk(2026, 2, 2), purposes=["2.2.7"])


def test_other_kinds_name_no_purposes(shared: Opeka) -> None:
    with pytest.raises(InvalidPurposes):
        open_request(shared, "access", msk(2026, 2, 2), purposes=["2.2.8"])


def test_a_stop_demand_may_not_name_the_statutory_purpose(shared: Opeka) -> None:
    with pytest.raises(InvalidPurposes):
        open_request(shared, "stop_processing", msk(2026, 2, 2), purposes=["legal.subject_rights"])


def test_purposes_are_kept_in_policy_order_without_duplicates(shared: Opeka) -> None:
    row = open_request(shared, "withdrawal", msk(2026, 2, 2), purposes=["2.2.9", "2.2.8", "2.2.9"])
    assert row.purposes == ("2.2.8", "2.2.9")
    every = open_request(shared, "withdrawal", msk(2026, 2, 2), purposes=["*"])
    assert every.all_purposes
    stop = open_request(shared, "stop_processing", msk(2026, 2, 2), purposes=["2.2.3"])
    assert stop.purposes == ("2.2.3",)


def test_a_document_number_in_the_evidence_is_refused_and_nothing_changes(
    shared: Opeka,
) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    with pytest.raises(IdentifiersInText), shared.unit_of_work() as uow:
        service.verify(
            uow,
            request_id=row.id,
            method="staff_document",
            evidence="паспорт 4512 345678 проверен",
            actor=STAFF,
        )
    assert load(shared, row.id).status is RequestStatus.RECEIVED


def test_a_staff_confirmation_needs_evidence(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    with pytest.raises(InvalidRequest, match="empty"), shared.unit_of_work() as uow:
        service.verify(uow, request_id=row.id, method="staff_document", evidence="", actor=STAFF)


def test_an_unknown_verification_method_is_refused(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    with pytest.raises(InvalidRequest, match="verification method"), shared.unit_of_work() as uow:
        service.verify(uow, request_id=row.id, method="sms", evidence=DOCUMENT, actor=STAFF)


def test_a_portal_session_verifies_without_a_note(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2), channel="portal")
    with shared.unit_of_work() as uow:
        done = service.verify(
            uow,
            request_id=row.id,
            method=VerificationMethod.PORTAL_SESSION,
            evidence=None,
            actor=STAFF,
        )
    assert done.verification_method == "portal_session"
    assert done.verification_evidence == "вход в личный кабинет"


def test_matching_links_the_subject_and_journals_it(shared: Opeka) -> None:
    sid = collect_client(shared, 1)
    row = open_request(shared, "access", msk(2026, 2, 2))
    with shared.unit_of_work() as uow:
        matched = service.match(uow, request_id=row.number, subject_id=sid, actor=STAFF)
    assert matched.subject_id == sid
    entry = next(e for e in journal(shared) if e.reason == f"запрос {row.number}: указан субъект")
    assert entry.subject_id == sid


def test_matching_after_the_request_is_taken_into_work_is_refused(shared: Opeka) -> None:
    sid = collect_client(shared, 2)
    row = open_request(shared, "access", msk(2026, 2, 2))
    verify(shared, row.id)
    with shared.unit_of_work() as uow:
        service.start(uow, request_id=row.id, actor=STAFF)
    with pytest.raises(TransitionRefused), shared.unit_of_work() as uow:
        service.match(uow, request_id=row.id, subject_id=sid, actor=STAFF)


def test_an_unknown_destruction_reason_is_refused(shared: Opeka) -> None:
    sid = collect_client(shared, 3)
    with pytest.raises(ValueError, match="withdrawal"), shared.unit_of_work() as uow:
        service.schedule_destruction(
            uow,
            subject_id=sid,
            request_id=None,
            reason_code="because",
            due=dt.date(2026, 3, 2),
            actor=STAFF,
        )


def test_request_tables_hold_no_personal_data(shared: Opeka) -> None:
    values = client_values(4)
    sid = collect_client(shared, 4)
    row = open_request(shared, "rectification", msk(2026, 2, 2), subject_id=sid)
    verify(shared, row.id)
    with shared.unit_of_work() as uow:
        service.start(uow, request_id=row.id, actor=STAFF)
        service.complete(uow, request_id=row.id, result="данные уточнены", actor=STAFF)
        service.schedule_destruction(
            uow,
            subject_id=sid,
            request_id=row.id,
            reason_code="demand",
            due=dt.date(2026, 3, 2),
            actor=STAFF,
        )
    with shared.data_engine.connect() as conn:
        dump = repr(
            [
                conn.execute(select(t)).all()
                for t in (subject_request, request_event, scheduled_action)
            ]
        )
    for value in values.values():
        assert value not in dump
