"""Portal accounts: found through the spine by e-mail, every refusal path, password changes."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from tests.auth.support import FAST, GOOD_PASSWORD, IP, NOW, OTHER_PASSWORD, at, collect, unique

from opeka.app import Opeka
from opeka.auth import accounts, sessions
from opeka.auth.config import AuthConfig
from opeka.auth.context import Auth
from opeka.auth.errors import (
    AccountExists,
    AccountLocked,
    AccountNotAllowed,
    AccountNotFound,
    InvalidCredentials,
    PasswordRejected,
    TooManyAttempts,
)
from opeka.auth.principals import PrincipalKind
from opeka.auth.ratelimit import Limit
from opeka.db.auth import auth_account, auth_rate_window, auth_reset_token, auth_session
from opeka.db.journal import journal_entry
from opeka.journal.entry import decode
from opeka.processing import Actor

AUTH_TABLES = (auth_account, auth_rate_window, auth_reset_token, auth_session)


def email() -> str:
    return f"{unique('user')}@example.org"


def registered(opeka: Opeka, auth: Auth, address: str | None = None) -> tuple[uuid.UUID, str]:
    address = address or email()
    sid = collect(opeka, "registered", address)
    with opeka.unit_of_work() as uow:
        accounts.create_account(uow, auth=auth, subject_id=sid, password=GOOD_PASSWORD, now=NOW)
    return sid, address


def sign_in(
    opeka: Opeka, auth: Auth, address: str, password: str = GOOD_PASSWORD, *, minutes: float = 0
) -> uuid.UUID:
    return accounts.authenticate_subject(
        opeka, auth=auth, email=address, password=password, ip=unique("ip"), now=at(minutes)
    )


def test_a_registered_subject_signs_in_with_the_e_mail(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    assert sign_in(opeka, auth, address) == sid
    assert sign_in(opeka, auth, f"  {address.upper()} ") == sid


def test_the_account_row_holds_no_e_mail_or_password(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    with opeka.data_engine.connect() as conn:
        row = conn.execute(select(auth_account).where(auth_account.c.subject_id == sid)).one()
    assert address not in repr(tuple(row))
    assert GOOD_PASSWORD not in repr(tuple(row))


def test_the_lookup_is_journaled_as_an_extraction_by_the_portal(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    sign_in(opeka, auth, address)
    with opeka.data_engine.connect() as conn:
        entries = [decode(bytes(r[0])) for r in conn.execute(select(journal_entry.c.entry))]
    mine = [e for e in entries if e.subject_id == sid and e.actor == "system:portal-login"]
    assert [(e.action, e.fields, e.purpose) for e in mine] == [("извлечение", ("email",), "2.2.6")]


def test_only_registered_subjects_get_accounts(opeka: Opeka, auth: Auth) -> None:
    for category in ("visitor", "client"):
        sid = collect(opeka, category, email())
        with pytest.raises(AccountNotAllowed), opeka.unit_of_work() as uow:
            accounts.create_account(uow, auth=auth, subject_id=sid, password=GOOD_PASSWORD)


def test_a_blocked_subject_gets_no_account(opeka: Opeka, auth: Auth) -> None:
    sid = collect(opeka, "registered", email())
    with opeka.processing(Actor.system("test"), "legal.subject_rights") as processing:
        processing.block(sid, reason="test")
    with pytest.raises(AccountNotAllowed), opeka.unit_of_work() as uow:
        accounts.create_account(uow, auth=auth, subject_id=sid, password=GOOD_PASSWORD)


def test_a_second_account_is_refused(opeka: Opeka, auth: Auth) -> None:
    sid, _ = registered(opeka, auth)
    with pytest.raises(AccountExists), opeka.unit_of_work() as uow:
        accounts.create_account(uow, auth=auth, subject_id=sid, password=GOOD_PASSWORD)


def test_the_e_mail_is_refused_as_password(opeka: Opeka, auth: Auth) -> None:
    address = email()
    sid = collect(opeka, "registered", address)
    with pytest.raises(PasswordRejected) as caught, opeka.unit_of_work() as uow:
        accounts.create_account(uow, auth=auth, subject_id=sid, password=address.upper())
    assert caught.value.reason == "equals_login"
    assert address not in str(caught.value)


def test_sign_in_refuses_a_wrong_password(opeka: Opeka, auth: Auth) -> None:
    _, address = registered(opeka, auth)
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, address, OTHER_PASSWORD)


def test_sign_in_refuses_an_unknown_e_mail(opeka: Opeka, auth: Auth) -> None:
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, email())


def test_sign_in_refuses_a_subject_without_an_account(opeka: Opeka, auth: Auth) -> None:
    address = email()
    collect(opeka, "registered", address)
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, address)


def test_sign_in_ignores_a_visitor_with_the_same_e_mail(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    collect(opeka, "visitor", address)
    assert sign_in(opeka, auth, address) == sid


def test_sign_in_refuses_a_blocked_subject(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    with opeka.processing(Actor.system("test"), "legal.subject_rights") as processing:
        processing.block(sid, reason="test")
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, address)


def test_repeated_failures_lock_the_account(opeka: Opeka) -> None:
    auth = Auth.from_opeka(opeka, AuthConfig(password=FAST, lockout_after=2, lockout_seconds=300))
    sid, address = registered(opeka, auth)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            sign_in(opeka, auth, address, OTHER_PASSWORD)
    with pytest.raises(AccountLocked):
        sign_in(opeka, auth, address, minutes=1)
    assert sign_in(opeka, auth, address, minutes=5) == sid


def test_sign_in_is_rate_limited_per_account(opeka: Opeka) -> None:
    auth = Auth.from_opeka(opeka, AuthConfig(password=FAST, login_per_account=Limit(2, 900)))
    _, address = registered(opeka, auth)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            sign_in(opeka, auth, address, OTHER_PASSWORD)
    with pytest.raises(TooManyAttempts):
        sign_in(opeka, auth, address.upper())  # the same account, however it is typed


def test_sign_in_is_rate_limited_per_ip(opeka: Opeka) -> None:
    auth = Auth.from_opeka(opeka, AuthConfig(password=FAST, login_per_ip=Limit(2, 300)))
    sid, address = registered(opeka, auth)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            accounts.authenticate_subject(
                opeka, auth=auth, email=email(), password="x", ip=IP, now=NOW
            )
    with pytest.raises(TooManyAttempts):
        accounts.authenticate_subject(
            opeka, auth=auth, email=address, password=GOOD_PASSWORD, ip=IP, now=NOW
        )
    assert sign_in(opeka, auth, address) == sid


def live_session(opeka: Opeka, auth: Auth, sid: uuid.UUID) -> bytes:
    with opeka.data_engine.begin() as conn:
        return sessions.create(
            conn, auth=auth, kind=PrincipalKind.SUBJECT, principal_id=str(sid)
        ).code


def is_live(opeka: Opeka, auth: Auth, code: bytes) -> bool:
    with opeka.data_engine.connect() as conn:
        return sessions.resolve(conn, auth=auth, code=code) is not None


def test_changing_the_password_ends_every_session(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    code = live_session(opeka, auth, sid)
    with opeka.unit_of_work() as uow:
        accounts.change_password(
            uow,
            auth=auth,
            subject_id=sid,
            current_password=GOOD_PASSWORD,
            new_password=OTHER_PASSWORD,
        )
    assert not is_live(opeka, auth, code)
    assert sign_in(opeka, auth, address, OTHER_PASSWORD) == sid


def test_changing_the_password_needs_the_current_one(opeka: Opeka, auth: Auth) -> None:
    sid, _ = registered(opeka, auth)
    with pytest.raises(InvalidCredentials), opeka.unit_of_work() as uow:
        accounts.change_password(
            uow,
            auth=auth,
            subject_id=sid,
            current_password=OTHER_PASSWORD,
            new_password=OTHER_PASSWORD,
        )


def test_setting_a_password_needs_an_account(opeka: Opeka, auth: Auth) -> None:
    sid = collect(opeka, "registered", email())
    with pytest.raises(AccountNotFound), opeka.unit_of_work() as uow:
        accounts.set_password(uow, auth=auth, subject_id=sid, password=OTHER_PASSWORD)


def test_deleting_the_account_ends_sessions_and_sign_in(opeka: Opeka, auth: Auth) -> None:
    sid, address = registered(opeka, auth)
    code = live_session(opeka, auth, sid)
    with opeka.unit_of_work() as uow:
        assert accounts.delete_account(uow.data, subject_id=sid)
        assert not accounts.has_account(uow.data, subject_id=sid)
    assert not is_live(opeka, auth, code)
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, address)


def test_no_e_mail_ip_or_password_is_written_in_clear(opeka: Opeka) -> None:
    auth = Auth.from_opeka(opeka, AuthConfig(password=FAST, lockout_after=1))
    _, address = registered(opeka, auth)
    ip = "192.0.2.231"
    with pytest.raises(InvalidCredentials):  # counted, and locks the account (logged)
        accounts.authenticate_subject(
            opeka, auth=auth, email=address, password=OTHER_PASSWORD, ip=ip
        )
    with pytest.raises(AccountLocked):
        accounts.authenticate_subject(
            opeka, auth=auth, email=address, password=GOOD_PASSWORD, ip=ip
        )
    with opeka.data_engine.connect() as conn:
        rows = repr([conn.execute(select(t)).all() for t in AUTH_TABLES])
    secrets = (address, ip, OTHER_PASSWORD, GOOD_PASSWORD)
    assert not [secret for secret in secrets if secret in rows]
    if opeka.settings.is_sqlite:  # and nowhere in the files: database, WAL, key store, logs
        files = [p for p in opeka.settings.data_dir.rglob("*") if p.is_file()]
        found = [(p.name, s) for p in files for s in secrets if s.encode() in p.read_bytes()]
        assert found == []
