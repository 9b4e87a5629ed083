"""Password reset: a single-use token, 30 minutes, only its hash stored; every refusal path."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from tests.auth.support import GOOD_PASSWORD, NOW, at, collect, unique

from opeka.app import Opeka
from opeka.auth import accounts, reset, sessions
from opeka.auth.context import Auth
from opeka.auth.errors import (
    InvalidCredentials,
    PasswordRejected,
    ResetTokenExpired,
    ResetTokenInvalid,
    ResetTokenUsed,
)
from opeka.auth.keys import sha256
from opeka.auth.principals import PrincipalKind
from opeka.db.auth import auth_reset_token

NEW_PASSWORD = "Fresh-start-2027"


def registered(opeka: Opeka, auth: Auth) -> tuple[uuid.UUID, str]:
    address = f"{unique('reset')}@example.org"
    sid = collect(opeka, "registered", address)
    with opeka.unit_of_work() as uow:
        accounts.create_account(uow, auth=auth, subject_id=sid, password=GOOD_PASSWORD, now=NOW)
    return sid, address


def request(opeka: Opeka, auth: Auth, address: str, minutes: float = 0) -> str:
    token = reset.request_reset(opeka, auth=auth, email=address, now=at(minutes))
    assert token is not None
    return token


def consume(
    opeka: Opeka, auth: Auth, token: str, minutes: float = 1, password: str = NEW_PASSWORD
) -> uuid.UUID:
    return reset.consume_reset(
        opeka, auth=auth, token=token, new_password=password, now=at(minutes)
    )


def sign_in(opeka: Opeka, auth: Auth, address: str, password: str) -> uuid.UUID:
    return accounts.authenticate_subject(
        opeka, auth=auth, email=address, password=password, ip=unique("ip"), now=at(2)
    )


def test_a_reset_sets_the_new_password(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    assert consume(opeka, auth, request(opeka, auth, address)) == sid
    assert sign_in(opeka, auth, address, NEW_PASSWORD) == sid
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, address, GOOD_PASSWORD)


def test_only_the_hash_of_the_token_is_stored(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    token = request(opeka, auth, address)
    with opeka.data_engine.connect() as conn:
        rows = conn.execute(
            select(auth_reset_token).where(auth_reset_token.c.subject_id == sid)
        ).all()
    assert [bytes(r.token_sha256) for r in rows] == [sha256(token)]
    assert rows[0].expires_at == at(30)


def test_no_token_for_an_e_mail_without_an_account(opeka: Opeka, auth: Auth) -> None:
    address = f"{unique('noacc')}@example.org"
    assert reset.request_reset(opeka, auth=auth, email=address, now=NOW) is None
    collect(opeka, "registered", address)
    assert reset.request_reset(opeka, auth=auth, email=address, now=NOW) is None


def test_an_unknown_token_is_refused(opeka: Opeka, auth: Auth) -> None:
    with pytest.raises(ResetTokenInvalid) as caught:
        consume(opeka, auth, "x" * 43)
    assert type(caught.value) is ResetTokenInvalid
    for token in ("", "y" * 101):
        with pytest.raises(ResetTokenInvalid):
            consume(opeka, auth, token)


def test_an_expired_token_is_refused(opeka: Opeka, auth: Auth) -> None:
    _, address = registered(opeka, auth)
    token = request(opeka, auth, address)
    with pytest.raises(ResetTokenExpired):
        consume(opeka, auth, token, minutes=30)


def test_a_used_token_is_refused(opeka: Opeka, auth: Auth) -> None:
    _, address = registered(opeka, auth)
    token = request(opeka, auth, address)
    consume(opeka, auth, token)
    with pytest.raises(ResetTokenUsed):
        consume(opeka, auth, token, password="Another-one-2028")


def test_a_newer_request_supersedes_the_older_token(opeka: Opeka, auth: Auth) -> None:
    _, address = registered(opeka, auth)
    older = request(opeka, auth, address)
    newer = request(opeka, auth, address, minutes=1)
    with pytest.raises(ResetTokenUsed):
        consume(opeka, auth, older, minutes=2)
    consume(opeka, auth, newer, minutes=2)


def test_a_rejected_password_leaves_the_token_usable(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    token = request(opeka, auth, address)
    with pytest.raises(PasswordRejected):
        consume(opeka, auth, token, password=address)
    assert consume(opeka, auth, token) == sid


def test_requests_per_account_are_limited_silently(opeka: Opeka, auth: Auth) -> None:
    _, address = registered(opeka, auth)
    for minute in range(3):
        request(opeka, auth, address, minutes=minute)
    assert reset.request_reset(opeka, auth=auth, email=address, now=at(3)) is None
    assert reset.request_reset(opeka, auth=auth, email=address, now=at(61)) is not None


def test_a_reset_ends_every_session(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    with opeka.data_engine.begin() as conn:
        code = sessions.create(
            conn, auth=auth, kind=PrincipalKind.SUBJECT, principal_id=str(sid)
        ).code
    consume(opeka, auth, request(opeka, auth, address))
    with opeka.data_engine.connect() as conn:
        assert sessions.resolve(conn, auth=auth, code=code) is None


def test_purge_deletes_tokens_a_day_past_expiry(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    request(opeka, auth, address)
    mine = select(auth_reset_token).where(auth_reset_token.c.subject_id == sid)
    with opeka.data_engine.begin() as conn:
        reset.purge_expired(conn, now=at(30 + 24 * 60 - 1))
        assert conn.execute(mine).first() is not None
        reset.purge_expired(conn, now=at(30 + 24 * 60 + 1))
        assert conn.execute(mine).first() is None
