"""Verification by a one-time code sent to the e-mail on file: hash only, expiry, attempts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from tests.requests.support import NOW, STAFF, collect_client, load, msk, open_request, verify

from opeka.app import Opeka
from opeka.db.requests import request_code
from opeka.requests.errors import SubjectRequired, TransitionRefused
from opeka.requests.identity import (
    CODE_LIFETIME,
    MAX_ATTEMPTS,
    CodeCheck,
    confirm_code,
    issue_code,
)
from opeka.requests.states import RequestStatus
from opeka.requests.store import RequestRow


def matched_request(opeka: Opeka, i: int) -> RequestRow:
    sid = collect_client(opeka, 100 + i)
    return open_request(opeka, "access", msk(2026, 3, 2), subject_id=sid, channel="portal")


def issue(opeka: Opeka, row: RequestRow) -> str:
    with opeka.unit_of_work() as uow:
        return issue_code(uow, request_id=row.id, actor=STAFF, now=NOW)


def confirm(opeka: Opeka, row: RequestRow, code: str, now: dt.datetime = NOW) -> CodeCheck:
    with opeka.unit_of_work() as uow:
        return confirm_code(uow, request_id=row.id, code=code, actor=STAFF, now=now)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_right_code_verifies_the_request_and_is_then_gone(shared: Opeka) -> None:
    row = matched_request(shared, 1)
    code = issue(shared, row)
    assert len(code) == 6
    assert code.isdigit()
    with shared.data_engine.connect() as conn:
        stored = conn.execute(select(request_code)).all()
    assert code.encode() not in repr(stored).encode()
    assert confirm(shared, row, f" {code} ") is CodeCheck.CONFIRMED
    verified = load(shared, row.id)
    assert verified.status is RequestStatus.VERIFIED
    assert verified.verification_method == "email_code"
    assert confirm(shared, row, code) is CodeCheck.NO_CODE


def test_a_wrong_code_is_counted_and_the_count_is_kept(shared: Opeka) -> None:
    row = matched_request(shared, 2)
    code = issue(shared, row)
    assert confirm(shared, row, wrong(code)) is CodeCheck.WRONG
    with shared.data_engine.connect() as conn:
        attempts = conn.execute(
            select(request_code.c.attempts).where(request_code.c.request_id == row.id)
        ).scalar_one()
    assert attempts == 1
    assert load(shared, row.id).status is RequestStatus.RECEIVED


def test_too_many_wrong_codes_lock_even_the_right_one(shared: Opeka) -> None:
    row = matched_request(shared, 3)
    code = issue(shared, row)
    for _ in range(MAX_ATTEMPTS):
        assert confirm(shared, row, wrong(code)) is CodeCheck.WRONG
    assert confirm(shared, row, code) is CodeCheck.LOCKED
    fresh = issue(shared, row)  # a new code starts over
    assert confirm(shared, row, fresh) is CodeCheck.CONFIRMED


def test_an_expired_code_is_refused(shared: Opeka) -> None:
    row = matched_request(shared, 4)
    code = issue(shared, row)
    later = NOW + CODE_LIFETIME + dt.timedelta(seconds=1)
    assert confirm(shared, row, code, later) is CodeCheck.EXPIRED
    assert confirm(shared, row, code) is CodeCheck.NO_CODE


def test_a_code_needs_a_matched_subject(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 3, 2), channel="portal")
    with pytest.raises(SubjectRequired), shared.unit_of_work() as uow:
        issue_code(uow, request_id=row.id, actor=STAFF)


def test_a_code_for_a_verified_request_is_refused(shared: Opeka) -> None:
    row = matched_request(shared, 5)
    verify(shared, row.id)
    with pytest.raises(TransitionRefused), shared.unit_of_work() as uow:
        issue_code(uow, request_id=row.id, actor=STAFF)
