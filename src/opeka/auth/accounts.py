"""Portal accounts of registered subjects (policy 1.1.3): the login is the subject's e-mail.

The e-mail lives in the vault, so an account is found through the spine: purpose 2.2.6 ("a safe
and convenient website", the authentication purpose, whose fields include the e-mail) finds the
subjects with that e-mail (journaled as an extraction by ``system:portal-login``), and the one
active registered subject among them that has an account is the holder. Zero or several such
subjects: the sign-in fails like a wrong password. A blocked subject cannot sign in (2.2.6 is
not allowed while blocked).

The table holds only the pseudonymous subject id, the argon2id hash and the lockout state.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, exists, insert, select, update

from opeka.auth import attempts, sessions
from opeka.auth.context import Auth
from opeka.auth.errors import AccountExists, AccountNotAllowed, AccountNotFound, InvalidCredentials
from opeka.auth.passwords import check_policy
from opeka.auth.principals import PrincipalKind
from opeka.db.auth import auth_account, auth_reset_token
from opeka.db.base import utcnow
from opeka.db.subjects import subject
from opeka.policy.values import email_index_form
from opeka.processing import subjects
from opeka.processing.actor import Actor
from opeka.processing.service import Processing
from opeka.processing.subjects import Status
from opeka.uow import UnitOfWork

PURPOSE = "2.2.6"
ACCOUNT_CATEGORY = "registered"
REALM = "portal"
LOGIN_ACTOR = Actor.system("portal-login")
ACCOUNT_ACTOR = Actor.system("portal-account")
T = auth_account

if TYPE_CHECKING:
    from opeka.app import Opeka


def has_account(conn: Connection, *, subject_id: uuid.UUID) -> bool:
    """Whether the subject has a portal account."""
    return bool(conn.execute(select(exists().where(T.c.subject_id == subject_id))).scalar())


def _email(uow: UnitOfWork, subject_id: uuid.UUID) -> str:
    """The subject's e-mail, read through the spine (for the password policy)."""
    values = Processing(uow, ACCOUNT_ACTOR, PURPOSE).read(subject_id, ["email"])
    return values.get("email", "")


def create_account(
    uow: UnitOfWork,
    *,
    auth: Auth,
    subject_id: uuid.UUID,
    password: str,
    now: dt.datetime | None = None,
) -> None:
    """Give an active registered subject a portal account with ``password``."""
    now = now or utcnow()
    row = subjects.load(uow.data, subject_id)
    if row.category != ACCOUNT_CATEGORY or row.status is not Status.ACTIVE:
        raise AccountNotAllowed
    if has_account(uow.data, subject_id=subject_id):
        raise AccountExists
    check_policy(password, identifiers=(_email(uow, subject_id),))
    uow.data.execute(
        insert(T).values(
            subject_id=subject_id,
            password_hash=auth.passwords.hash(password),
            failed_logins=0,
            password_changed_at=now,
            created_at=now,
        )
    )


def find_account(opeka: Opeka, *, email: str, actor: Actor = LOGIN_ACTOR) -> attempts.Holder | None:
    """The one active registered subject with this e-mail that has an account, or None."""
    with opeka.processing(actor, PURPOSE) as processing:
        found = processing.find(email=email)
        if not found:
            return None
        rows = processing.uow.data.execute(
            select(T.c.subject_id, T.c.password_hash, T.c.locked_until)
            .join(subject, subject.c.id == T.c.subject_id)
            .where(
                T.c.subject_id.in_(found),
                subject.c.category == ACCOUNT_CATEGORY,
                subject.c.status == Status.ACTIVE.value,
            )
        ).all()
    if len(rows) != 1:
        return None
    (sid, hashed, locked_until) = rows[0]
    return attempts.Holder(T, "subject_id", sid, hashed, locked_until)


def authenticate_subject(
    opeka: Opeka,
    *,
    auth: Auth,
    email: str,
    password: str,
    ip: str,
    now: dt.datetime | None = None,
) -> uuid.UUID:
    """Check a portal sign-in; the subject's id. Commits its own counters (see attempts).

    Raises :class:`InvalidCredentials`, :class:`TooManyAttempts` or :class:`AccountLocked`.
    """
    holder = attempts.sign_in(
        opeka.data_engine,
        auth=auth,
        realm=REALM,
        account=email_index_form(email)[:254],
        ip=ip,
        password=password,
        find=lambda: find_account(opeka, email=email),
        now=now or utcnow(),
    )
    return uuid.UUID(str(holder.key))


def change_password(
    uow: UnitOfWork,
    *,
    auth: Auth,
    subject_id: uuid.UUID,
    current_password: str,
    new_password: str,
    now: dt.datetime | None = None,
) -> None:
    """Change one's own password (the current one is checked); ends every session."""
    hashed = uow.data.execute(
        select(T.c.password_hash).where(T.c.subject_id == subject_id)
    ).scalar()
    if hashed is None or not auth.passwords.verify(hashed, current_password).valid:
        raise InvalidCredentials
    set_password(uow, auth=auth, subject_id=subject_id, password=new_password, now=now)


def set_password(
    uow: UnitOfWork,
    *,
    auth: Auth,
    subject_id: uuid.UUID,
    password: str,
    now: dt.datetime | None = None,
) -> None:
    """Set a new password (change or reset): clears the lock and ends every session."""
    now = now or utcnow()
    if not has_account(uow.data, subject_id=subject_id):
        raise AccountNotFound
    check_policy(password, identifiers=(_email(uow, subject_id),))
    uow.data.execute(
        update(T)
        .where(T.c.subject_id == subject_id)
        .values(
            password_hash=auth.passwords.hash(password),
            password_changed_at=now,
            failed_logins=0,
            locked_until=None,
        )
    )
    sessions.revoke_all(uow.data, kind=PrincipalKind.SUBJECT, principal_id=str(subject_id), now=now)


def delete_account(
    conn: Connection, *, subject_id: uuid.UUID, now: dt.datetime | None = None
) -> bool:
    """Remove a subject's account, its reset tokens and sessions (e.g. on destruction)."""
    sessions.revoke_all(conn, kind=PrincipalKind.SUBJECT, principal_id=str(subject_id), now=now)
    conn.execute(delete(auth_reset_token).where(auth_reset_token.c.subject_id == subject_id))
    return bool(conn.execute(delete(T).where(T.c.subject_id == subject_id)).rowcount)
