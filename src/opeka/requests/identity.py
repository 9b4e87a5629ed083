"""Verifying a requester by a one-time code sent to the e-mail already on file.

:func:`issue_code` makes a 6-digit code for a request matched to a subject and returns it to
the caller, which sends it to the subject's e-mail as stored in the vault (read through the
spine under ``legal.subject_rights``); only a salted SHA-256 of the code is kept. The code lives
15 minutes and allows 5 attempts; a new code replaces the old one. :func:`confirm_code` returns
an outcome instead of raising on a wrong code, so that the caller's unit of work commits the
counted attempt. The short life and the attempt limit are what protect a 6-digit code; its hash
alone would not resist an offline search, and it is deleted once used or expired.

The other two ways of verifying — a logged-in portal session and a staff member who checked a
document — call :func:`opeka.requests.service.verify` directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from enum import StrEnum

from sqlalchemy import delete, insert, select, update

from opeka.db.base import utcnow
from opeka.db.requests import request_code
from opeka.processing.actor import Actor
from opeka.requests import service, store
from opeka.requests.errors import SubjectRequired, TransitionRefused
from opeka.requests.journaling import journal_step
from opeka.requests.kinds import VerificationMethod
from opeka.requests.states import RequestStatus
from opeka.uow import UnitOfWork

__all__ = ["CODE_LIFETIME", "MAX_ATTEMPTS", "CodeCheck", "confirm_code", "issue_code"]

CODE_DIGITS = 6
CODE_LIFETIME = dt.timedelta(minutes=15)
MAX_ATTEMPTS = 5


class CodeCheck(StrEnum):
    """The outcome of a code confirmation."""

    CONFIRMED = "confirmed"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"  # too many wrong attempts: issue a new code
    NO_CODE = "no_code"


def _digest(salt: bytes, request_id: uuid.UUID, code: str) -> bytes:
    return hashlib.sha256(salt + request_id.bytes + code.encode("ascii", "replace")).digest()


def issue_code(
    uow: UnitOfWork, *, request_id: uuid.UUID | str, actor: Actor, now: dt.datetime | None = None
) -> str:
    """A new code for an unverified request matched to a subject (send it; never store it)."""
    request = store.require(uow.data, request_id, lock=True)
    if request.status is not RequestStatus.RECEIVED:
        raise TransitionRefused(
            f"request {request.number} is {request.status}; a code is only for a new request",
            message_ru="код подтверждения направляется только по новому запросу",
            current=request.status,
            target=RequestStatus.VERIFIED,
        )
    if request.subject_id is None:
        raise SubjectRequired(
            f"request {request.number} is not matched to a subject with an e-mail on file",
            message_ru="запрос не связан с субъектом: некуда отправить код",
        )
    now = now or utcnow()
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_bytes(16)
    conn = uow.data
    conn.execute(delete(request_code).where(request_code.c.request_id == request.id))
    conn.execute(
        insert(request_code).values(
            request_id=request.id,
            salt=salt,
            code_hash=_digest(salt, request.id, code),
            issued_at=now,
            expires_at=now + CODE_LIFETIME,
            attempts=0,
        )
    )
    store.add_event(conn, request.id, actor=str(actor), event="code_issued")
    journal_step(
        uow,
        actor=actor,
        number=request.number,
        subject_id=request.subject_id,
        text="код подтверждения личности направлен на адрес из учётных данных",
    )
    return code


def confirm_code(
    uow: UnitOfWork,
    *,
    request_id: uuid.UUID | str,
    code: str,
    actor: Actor,
    now: dt.datetime | None = None,
) -> CodeCheck:
    """Check a code; on success the request is verified (method ``email_code``)."""
    request = store.require(uow.data, request_id, lock=True)
    conn = uow.data
    row = conn.execute(
        select(request_code).where(request_code.c.request_id == request.id).with_for_update()
    ).first()
    if row is None:
        return CodeCheck.NO_CODE
    if (now or utcnow()) > row.expires_at:
        conn.execute(delete(request_code).where(request_code.c.request_id == request.id))
        return CodeCheck.EXPIRED
    if row.attempts >= MAX_ATTEMPTS:
        return CodeCheck.LOCKED
    given = code.strip()
    if not hmac.compare_digest(_digest(row.salt, request.id, given), row.code_hash):
        conn.execute(
            update(request_code)
            .where(request_code.c.request_id == request.id)
            .values(attempts=request_code.c.attempts + 1)
        )
        store.add_event(conn, request.id, actor=str(actor), event="code_failed")
        return CodeCheck.WRONG
    conn.execute(delete(request_code).where(request_code.c.request_id == request.id))
    service.verify(
        uow,
        request_id=request.id,
        method=VerificationMethod.EMAIL_CODE,
        evidence=None,
        actor=actor,
    )
    return CodeCheck.CONFIRMED
