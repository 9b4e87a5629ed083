"""Server-side sessions: live, refused when unknown, revoked, expired, idle or replayed."""

from __future__ import annotations

import os

from sqlalchemy import select
from tests.auth.support import NOW, at, unique

from opeka.app import Opeka
from opeka.auth import sessions
from opeka.auth.context import Auth
from opeka.auth.keys import sha256
from opeka.auth.principals import PrincipalKind
from opeka.auth.sessions import NewSession
from opeka.db.auth import auth_session

UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
STAFF = PrincipalKind.STAFF
SUBJECT = PrincipalKind.SUBJECT


def new(
    opeka: Opeka, auth: Auth, kind: PrincipalKind = STAFF, principal: str | None = None
) -> NewSession:
    with opeka.data_engine.begin() as conn:
        return sessions.create(
            conn,
            auth=auth,
            kind=kind,
            principal_id=principal or unique("p"),
            user_agent=UA,
            now=NOW,
        )


def resolve(opeka: Opeka, auth: Auth, code: bytes, **kwargs: object) -> sessions.Session | None:
    kwargs.setdefault("user_agent", UA)
    kwargs.setdefault("now", at(1))
    with opeka.data_engine.begin() as conn:
        return sessions.resolve(conn, auth=auth, code=code, **kwargs)  # type: ignore[arg-type]


def test_a_new_session_resolves(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth)
    found = resolve(opeka, auth, made.code)
    assert found == made.session
    assert found.login_at == NOW
    assert found.expires_at == at(10 * 60)  # staff: 10 hours absolute


def test_only_the_hash_of_the_code_is_stored(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth)
    with opeka.data_engine.connect() as conn:
        stored = [bytes(r[0]) for r in conn.execute(select(auth_session.c.code_sha256))]
    assert made.code not in stored
    assert len(stored[0]) == 32


def test_an_unknown_code_is_refused(opeka: Opeka, auth: Auth) -> None:
    assert resolve(opeka, auth, os.urandom(32)) is None


def test_a_revoked_session_is_refused(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth)
    with opeka.data_engine.begin() as conn:
        assert sessions.revoke(conn, code=made.code, now=at(1))
        assert not sessions.revoke(conn, code=made.code, now=at(1))
    assert resolve(opeka, auth, made.code) is None


def test_a_session_past_its_absolute_timeout_is_refused(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth, SUBJECT)
    with opeka.data_engine.begin() as conn:  # used every half hour: never idle
        for minutes in range(30, 24 * 60, 30):
            sessions.touch(conn, auth=auth, code=made.code, now=at(minutes))
    assert resolve(opeka, auth, made.code, now=at(24 * 60 - 1)) is not None
    assert resolve(opeka, auth, made.code, now=at(24 * 60)) is None


def test_an_idle_session_is_refused(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth)
    assert resolve(opeka, auth, made.code, now=at(29)) is not None
    assert resolve(opeka, auth, made.code, now=at(30)) is None


def test_touching_keeps_a_session_alive(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth)
    with opeka.data_engine.begin() as conn:
        sessions.touch(conn, auth=auth, code=made.code, now=at(20))
    found = resolve(opeka, auth, made.code, now=at(45))
    assert found is not None
    assert found.last_seen_at == at(20)


def test_touching_writes_at_most_once_a_minute(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth)
    with opeka.data_engine.begin() as conn:
        sessions.touch(conn, auth=auth, code=made.code, now=at(0, seconds=30))
    found = resolve(opeka, auth, made.code)
    assert found is not None
    assert found.last_seen_at == NOW


def test_another_user_agent_is_refused(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth)
    assert resolve(opeka, auth, made.code, user_agent="curl/8.0") is None
    assert resolve(opeka, auth, made.code, user_agent=None) is None


def test_revoke_all_ends_every_session_of_the_principal_but_the_kept_one(
    opeka: Opeka, auth: Auth
) -> None:
    principal = unique("42")
    one, two, kept = (new(opeka, auth, principal=principal) for _ in range(3))
    bystander = new(opeka, auth)
    other_kind = new(opeka, auth, SUBJECT, principal=principal)
    with opeka.data_engine.begin() as conn:
        ended = sessions.revoke_all(
            conn, kind=STAFF, principal_id=principal, keep=kept.code, now=at(1)
        )
    assert ended == 2
    assert resolve(opeka, auth, one.code) is None
    assert resolve(opeka, auth, two.code) is None
    assert resolve(opeka, auth, kept.code) is not None
    assert resolve(opeka, auth, bystander.code) is not None
    assert resolve(opeka, auth, other_kind.code) is not None


def test_a_cookie_resolves_to_its_session(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth, SUBJECT)
    with opeka.data_engine.begin() as conn:
        found = sessions.resolve_cookie(
            conn, auth=auth, value=made.cookie_value(auth), kind=SUBJECT, user_agent=UA, now=at(1)
        )
    assert found == (made.session, made.code)


def test_a_cookie_of_the_other_kind_is_refused(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth, SUBJECT)
    with opeka.data_engine.begin() as conn:
        found = sessions.resolve_cookie(
            conn, auth=auth, value=made.cookie_value(auth), kind=STAFF, user_agent=UA, now=at(1)
        )
    assert found is None


def test_a_cookie_with_another_sign_in_time_is_refused(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth, SUBJECT)
    forged = auth.cookies.seal(kind=SUBJECT, code=made.code, login_at=at(5))
    with opeka.data_engine.begin() as conn:
        found = sessions.resolve_cookie(
            conn, auth=auth, value=forged, kind=SUBJECT, user_agent=UA, now=at(6)
        )
    assert found is None


def test_a_tampered_cookie_is_refused(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth, SUBJECT)
    value = made.cookie_value(auth)
    tampered = value[:10] + ("A" if value[10] != "A" else "B") + value[11:]
    with opeka.data_engine.begin() as conn:
        found = sessions.resolve_cookie(
            conn, auth=auth, value=tampered, kind=SUBJECT, user_agent=UA, now=at(1)
        )
    assert found is None


def test_purge_deletes_dead_sessions_and_keeps_live_ones(opeka: Opeka, auth: Auth) -> None:
    live, revoked, idle = (new(opeka, auth) for _ in range(3))
    with opeka.data_engine.begin() as conn:
        sessions.revoke(conn, code=revoked.code, now=at(1))
        sessions.touch(conn, auth=auth, code=live.code, now=at(20))
        sessions.purge_expired(conn, auth=auth, now=at(35))
    with opeka.data_engine.begin() as conn:
        left = {bytes(r[0]) for r in conn.execute(select(auth_session.c.code_sha256))}

    assert sha256(live.code) in left
    assert sha256(revoked.code) not in left
    assert sha256(idle.code) not in left


def test_the_repr_of_a_new_session_hides_the_code(opeka: Opeka, auth: Auth) -> None:
    made = new(opeka, auth)
    assert made.code.hex() not in repr(made)
    assert repr(made.code) not in repr(made)
