"""Staff users of the console: login, policy role, argon2id hash, active flag, lockout.

Logins are 2–64 characters of ``a-z0-9._-`` (they appear in the journal as ``staff:<login>``,
so they must not be e-mails or names of subjects). Roles are the policy's ``roles``.
Passwords are never logged or returned.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from opeka.auth import attempts, sessions
from opeka.auth.context import Auth
from opeka.auth.errors import (
    InvalidCredentials,
    InvalidLogin,
    StaffExists,
    StaffNotFound,
    UnknownRole,
)
from opeka.auth.passwords import check_policy
from opeka.auth.principals import PrincipalKind
from opeka.db.auth import auth_staff
from opeka.db.base import utcnow
from opeka.db.engine import read_only

LOGIN = re.compile(r"^[a-z0-9._-]{2,64}$")
REALM = "staff"
T = auth_staff


@dataclass(frozen=True, slots=True)
class StaffUser:
    """A staff user as the console sees it (no hash)."""

    id: int
    login: str
    role: str
    active: bool
    failed_logins: int
    locked_until: dt.datetime | None
    password_changed_at: dt.datetime
    created_at: dt.datetime
    last_login_at: dt.datetime | None


def _user(row: Row[tuple[object, ...]]) -> StaffUser:
    return StaffUser(
        id=row.id,
        login=row.login,
        role=row.role,
        active=row.active,
        failed_logins=row.failed_logins,
        locked_until=row.locked_until,
        password_changed_at=row.password_changed_at,
        created_at=row.created_at,
        last_login_at=row.last_login_at,
    )


def normalize_login(login: str) -> str:
    """The stored form of a login (stripped, lower-case)."""
    return login.strip().lower()


def _check_role(auth: Auth, role: str) -> None:
    if role not in auth.policy.roles:
        known = ", ".join(sorted(auth.policy.roles)) or "none"
        raise UnknownRole(
            f"unknown role `{role}`; the policy's roles: {known}",
            message_ru=f"неизвестная роль `{role}`; роли политики: {known}",
        )


def create_staff(
    conn: Connection,
    *,
    auth: Auth,
    login: str,
    role: str,
    password: str,
    now: dt.datetime | None = None,
) -> StaffUser:
    """Add a staff user (checks the login, the role and the password policy)."""
    now = now or utcnow()
    login = normalize_login(login)
    if not LOGIN.match(login):
        raise InvalidLogin
    _check_role(auth, role)
    check_policy(password, identifiers=(login,))
    hashed = auth.passwords.hash(password)
    values = {
        "login": login,
        "role": role,
        "password_hash": hashed,
        "active": True,
        "failed_logins": 0,
        "password_changed_at": now,
        "created_at": now,
    }
    try:
        with conn.begin_nested():
            conn.execute(insert(T).values(values))
    except IntegrityError:
        raise StaffExists from None
    return get_by_login(conn, login=login)


def get(conn: Connection, *, staff_id: int) -> StaffUser:
    """The staff user with this id, or :class:`StaffNotFound`."""
    row = conn.execute(select(T).where(T.c.id == staff_id)).first()
    if row is None:
        raise StaffNotFound
    return _user(row)


def get_by_login(conn: Connection, *, login: str) -> StaffUser:
    """The staff user with this login, or :class:`StaffNotFound`."""
    row = conn.execute(select(T).where(T.c.login == normalize_login(login))).first()
    if row is None:
        raise StaffNotFound
    return _user(row)


def list_staff(conn: Connection) -> list[StaffUser]:
    """Every staff user, by login."""
    return [_user(row) for row in conn.execute(select(T).order_by(T.c.login))]


def authenticate_staff(
    engine: Engine,
    *,
    auth: Auth,
    login: str,
    password: str,
    ip: str,
    now: dt.datetime | None = None,
) -> StaffUser:
    """Check a staff sign-in (rate limits, lockout, constant-ish time); commits its counters.

    Raises :class:`InvalidCredentials`, :class:`TooManyAttempts` or :class:`AccountLocked`.
    """
    now = now or utcnow()
    login = normalize_login(login)[:64]

    def find() -> attempts.Holder | None:
        if not LOGIN.match(login):
            return None
        with read_only(engine) as conn:
            row = conn.execute(select(T).where(T.c.login == login)).first()
        if row is None:
            return None
        return attempts.Holder(T, "id", row.id, row.password_hash, row.locked_until, row.active)

    holder = attempts.sign_in(
        engine, auth=auth, realm=REALM, account=login, ip=ip, password=password, find=find, now=now
    )
    with read_only(engine) as conn:
        return get(conn, staff_id=int(holder.key))


def change_password(
    conn: Connection,
    *,
    auth: Auth,
    staff_id: int,
    current_password: str,
    new_password: str,
    now: dt.datetime | None = None,
) -> None:
    """Change one's own password (the current one is checked); ends every session."""
    row = conn.execute(select(T.c.password_hash).where(T.c.id == staff_id)).first()
    if row is None or not auth.passwords.verify(row.password_hash, current_password).valid:
        raise InvalidCredentials
    set_password(conn, auth=auth, staff_id=staff_id, password=new_password, now=now)


def set_password(
    conn: Connection,
    *,
    auth: Auth,
    staff_id: int,
    password: str,
    now: dt.datetime | None = None,
) -> None:
    """Set a password (an administrator's reset); clears the lock; ends every session."""
    now = now or utcnow()
    user = get(conn, staff_id=staff_id)
    check_policy(password, identifiers=(user.login,))
    conn.execute(
        update(T)
        .where(T.c.id == staff_id)
        .values(
            password_hash=auth.passwords.hash(password),
            password_changed_at=now,
            failed_logins=0,
            locked_until=None,
        )
    )
    sessions.revoke_all(conn, kind=PrincipalKind.STAFF, principal_id=str(staff_id), now=now)


def set_role(conn: Connection, *, auth: Auth, staff_id: int, role: str) -> StaffUser:
    """Give a staff user another of the policy's roles."""
    _check_role(auth, role)
    get(conn, staff_id=staff_id)
    conn.execute(update(T).where(T.c.id == staff_id).values(role=role))
    return get(conn, staff_id=staff_id)


def deactivate(conn: Connection, *, staff_id: int, now: dt.datetime | None = None) -> StaffUser:
    """Stop a staff user from signing in; ends every session (the row stays, for the journal)."""
    get(conn, staff_id=staff_id)
    conn.execute(update(T).where(T.c.id == staff_id).values(active=False))
    sessions.revoke_all(conn, kind=PrincipalKind.STAFF, principal_id=str(staff_id), now=now)
    return get(conn, staff_id=staff_id)
