"""Staff users: creation, sign-in with every refusal path, password changes, roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from tests.auth.support import FAST, GOOD_PASSWORD, IP, NOW, OTHER_PASSWORD, at, unique

from opeka.app import Opeka
from opeka.auth import sessions, staff
from opeka.auth.config import AuthConfig
from opeka.auth.context import Auth
from opeka.auth.errors import (
    AccountLocked,
    InvalidCredentials,
    InvalidLogin,
    PasswordRejected,
    StaffExists,
    StaffNotFound,
    TooManyAttempts,
    UnknownRole,
)
from opeka.auth.passwords import PasswordParams, hash_password
from opeka.auth.principals import PrincipalKind
from opeka.auth.ratelimit import Limit
from opeka.db.auth import auth_staff


def make(opeka: Opeka, auth: Auth, role: str = "support") -> staff.StaffUser:
    with opeka.unit_of_work() as uow:
        return staff.create_staff(
            uow.data, auth=auth, login=unique("s."), role=role, password=GOOD_PASSWORD, now=NOW
        )


def sign_in(
    opeka: Opeka,
    auth: Auth,
    login: str,
    password: str = GOOD_PASSWORD,
    *,
    ip: str = IP,
    minutes: float = 0,
) -> staff.StaffUser:
    return staff.authenticate_staff(
        opeka.data_engine, auth=auth, login=login, password=password, ip=ip, now=at(minutes)
    )


def own_ip() -> str:
    return unique("198.51.100.")


def test_a_created_staff_user_signs_in(opeka: Opeka, auth: Auth) -> None:
    user = make(opeka, auth)
    signed = sign_in(opeka, auth, user.login.upper(), ip=own_ip())
    assert signed.id == user.id
    assert signed.last_login_at == NOW
    assert (signed.role, signed.active, signed.failed_logins) == ("support", True, 0)


def test_the_password_is_stored_only_as_an_argon2id_hash(opeka: Opeka, auth: Auth) -> None:
    user = make(opeka, auth)
    with opeka.data_engine.connect() as conn:
        stored = conn.execute(select(auth_staff.c.password_hash).where(auth_staff.c.id == user.id))
        hashed = stored.scalar_one()
    assert hashed.startswith("$argon2id$")
    assert GOOD_PASSWORD not in hashed


def test_create_refuses_a_bad_login(opeka: Opeka, auth: Auth) -> None:
    for login in ("Ivanova Anna", "a", "anna@example.org", "x" * 65):
        with pytest.raises(InvalidLogin), opeka.unit_of_work() as uow:
            staff.create_staff(
                uow.data, auth=auth, login=login, role="support", password=GOOD_PASSWORD
            )


def test_create_refuses_a_role_the_policy_lacks(opeka: Opeka, auth: Auth) -> None:
    with pytest.raises(UnknownRole, match="privacy_officer"), opeka.unit_of_work() as uow:
        staff.create_staff(
            uow.data, auth=auth, login=unique("r."), role="root", password=GOOD_PASSWORD
        )


def test_create_refuses_a_taken_login(opeka: Opeka, auth: Auth) -> None:
    user = make(opeka, auth)
    with pytest.raises(StaffExists), opeka.unit_of_work() as uow:
        staff.create_staff(
            uow.data, auth=auth, login=user.login, role="support", password=GOOD_PASSWORD
        )


def test_create_refuses_a_weak_password(opeka: Opeka, auth: Auth) -> None:
    login = unique("w.")
    with pytest.raises(PasswordRejected), opeka.unit_of_work() as uow:
        staff.create_staff(uow.data, auth=auth, login=login, role="support", password=login)


def test_sign_in_refuses_a_wrong_password(opeka: Opeka, auth: Auth) -> None:
    user = make(opeka, auth)
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, user.login, OTHER_PASSWORD, ip=own_ip())
    with opeka.data_engine.connect() as conn:
        assert staff.get(conn, staff_id=user.id).failed_logins == 1  # counted despite the error


def test_sign_in_refuses_an_unknown_login_alike(opeka: Opeka, auth: Auth) -> None:
    with pytest.raises(InvalidCredentials) as unknown:
        sign_in(opeka, auth, unique("nobody."), ip=own_ip())
    with pytest.raises(InvalidCredentials) as malformed:
        sign_in(opeka, auth, "not a login!", ip=own_ip())
    assert str(unknown.value) == str(malformed.value) == "wrong login or password"


def test_sign_in_refuses_a_deactivated_user(opeka: Opeka, auth: Auth) -> None:
    user = make(opeka, auth)
    with opeka.unit_of_work() as uow:
        assert not staff.deactivate(uow.data, staff_id=user.id).active
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, user.login, ip=own_ip())


def test_repeated_failures_lock_the_account(opeka: Opeka) -> None:
    auth = Auth.from_opeka(opeka, AuthConfig(password=FAST, lockout_after=3, lockout_seconds=600))
    user = make(opeka, auth)
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            sign_in(opeka, auth, user.login, OTHER_PASSWORD, ip=own_ip())
    with pytest.raises(AccountLocked) as locked:
        sign_in(opeka, auth, user.login, ip=own_ip(), minutes=1)  # even the right password
    assert locked.value.until == at(10)
    assert locked.value.retry_after == 9 * 60
    assert isinstance(locked.value, TooManyAttempts)
    assert sign_in(opeka, auth, user.login, ip=own_ip(), minutes=10).id == user.id
    with opeka.data_engine.connect() as conn:
        after = staff.get(conn, staff_id=user.id)
    assert (after.failed_logins, after.locked_until) == (0, None)


def test_sign_in_is_rate_limited_per_ip(opeka: Opeka) -> None:
    auth = Auth.from_opeka(opeka, AuthConfig(password=FAST, login_per_ip=Limit(3, 300)))
    ip = own_ip()
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            sign_in(opeka, auth, unique("guess."), ip=ip)
    user = make(opeka, auth)
    with pytest.raises(TooManyAttempts) as limited:
        sign_in(opeka, auth, user.login, ip=ip)  # the right password does not help
    assert limited.value.retry_after >= 1
    assert not isinstance(limited.value, AccountLocked)
    assert sign_in(opeka, auth, user.login, ip=own_ip()).id == user.id


def test_sign_in_is_rate_limited_per_account(opeka: Opeka) -> None:
    auth = Auth.from_opeka(opeka, AuthConfig(password=FAST, login_per_account=Limit(2, 900)))
    user = make(opeka, auth)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            sign_in(opeka, auth, user.login, OTHER_PASSWORD, ip=own_ip())
    with pytest.raises(TooManyAttempts):
        sign_in(opeka, auth, user.login, ip=own_ip())
    assert sign_in(opeka, auth, user.login, ip=own_ip(), minutes=30).id == user.id


def test_a_good_sign_in_clears_the_account_counter(opeka: Opeka) -> None:
    auth = Auth.from_opeka(opeka, AuthConfig(password=FAST, login_per_account=Limit(2, 900)))
    user = make(opeka, auth)
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, user.login, OTHER_PASSWORD, ip=own_ip())
    sign_in(opeka, auth, user.login, ip=own_ip())
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, user.login, OTHER_PASSWORD, ip=own_ip())
    assert sign_in(opeka, auth, user.login, ip=own_ip()).id == user.id


def test_sign_in_is_rate_limited_globally(opeka: Opeka) -> None:
    auth = Auth.from_opeka(opeka, AuthConfig(password=FAST, login_global=Limit(1, 60)))
    when = 60 * 24 * 400  # a window of its own (the global key is shared by the module)
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, unique("a."), ip=own_ip(), minutes=when)
    with pytest.raises(TooManyAttempts):
        sign_in(opeka, auth, unique("b."), ip=own_ip(), minutes=when)


def test_a_hash_with_old_parameters_is_upgraded_at_sign_in(opeka: Opeka, auth: Auth) -> None:
    user = make(opeka, auth)
    old = hash_password(
        GOOD_PASSWORD, params=PasswordParams(time_cost=1, memory_cost=16, parallelism=1)
    )
    with opeka.data_engine.begin() as conn:
        conn.execute(update(auth_staff).where(auth_staff.c.id == user.id).values(password_hash=old))
    sign_in(opeka, auth, user.login, ip=own_ip())
    with opeka.data_engine.connect() as conn:
        stored = conn.execute(select(auth_staff.c.password_hash).where(auth_staff.c.id == user.id))
        new = stored.scalar_one()
    assert new != old
    assert new.startswith("$argon2id$v=19$m=8,t=1,p=1$")


def live_session(opeka: Opeka, auth: Auth, user: staff.StaffUser) -> bytes:
    with opeka.data_engine.begin() as conn:
        made = sessions.create(conn, auth=auth, kind=PrincipalKind.STAFF, principal_id=str(user.id))
    return made.code


def is_live(opeka: Opeka, auth: Auth, code: bytes) -> bool:
    with opeka.data_engine.connect() as conn:
        return sessions.resolve(conn, auth=auth, code=code) is not None


def test_changing_the_password_ends_every_session(opeka: Opeka, auth: Auth) -> None:
    user = make(opeka, auth)
    code = live_session(opeka, auth, user)
    with opeka.unit_of_work() as uow:
        staff.change_password(
            uow.data,
            auth=auth,
            staff_id=user.id,
            current_password=GOOD_PASSWORD,
            new_password=OTHER_PASSWORD,
        )
    assert not is_live(opeka, auth, code)
    assert sign_in(opeka, auth, user.login, OTHER_PASSWORD, ip=own_ip()).id == user.id
    with pytest.raises(InvalidCredentials):
        sign_in(opeka, auth, user.login, GOOD_PASSWORD, ip=own_ip())


def test_changing_the_password_needs_the_current_one(opeka: Opeka, auth: Auth) -> None:
    user = make(opeka, auth)
    code = live_session(opeka, auth, user)
    with pytest.raises(InvalidCredentials), opeka.unit_of_work() as uow:
        staff.change_password(
            uow.data,
            auth=auth,
            staff_id=user.id,
            current_password=OTHER_PASSWORD,
            new_password=OTHER_PASSWORD,
        )
    assert is_live(opeka, auth, code)


def test_a_new_password_must_meet_the_policy(opeka: Opeka, auth: Auth) -> None:
    user = make(opeka, auth)
    with pytest.raises(PasswordRejected), opeka.unit_of_work() as uow:
        staff.set_password(uow.data, auth=auth, staff_id=user.id, password="short")


def test_deactivation_ends_every_session(opeka: Opeka, auth: Auth) -> None:
    user = make(opeka, auth)
    code = live_session(opeka, auth, user)
    with opeka.unit_of_work() as uow:
        staff.deactivate(uow.data, staff_id=user.id)
    assert not is_live(opeka, auth, code)


def test_set_role_takes_only_the_policy_roles(opeka: Opeka, auth: Auth) -> None:
    user = make(opeka, auth)
    with opeka.unit_of_work() as uow:
        assert (
            staff.set_role(uow.data, auth=auth, staff_id=user.id, role="auditor").role == "auditor"
        )
    with pytest.raises(UnknownRole), opeka.unit_of_work() as uow:
        staff.set_role(uow.data, auth=auth, staff_id=user.id, role="superuser")


def test_unknown_staff_are_not_found(opeka: Opeka, auth: Auth) -> None:
    with opeka.unit_of_work() as uow:
        with pytest.raises(StaffNotFound):
            staff.get(uow.data, staff_id=10**9)
        with pytest.raises(StaffNotFound):
            staff.get_by_login(uow.data, login=unique("ghost."))
        with pytest.raises(StaffNotFound):
            staff.deactivate(uow.data, staff_id=10**9)


def test_list_staff_shows_users_by_login(opeka: Opeka, auth: Auth) -> None:
    made = {make(opeka, auth).login for _ in range(2)}
    with opeka.data_engine.connect() as conn:
        logins = [user.login for user in staff.list_staff(conn)]
    assert made <= set(logins)
    assert logins == sorted(logins)
