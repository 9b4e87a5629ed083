"""Withdrawal from the portal and account deletion: the requests module does the rest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from tests.selfservice.support import CLIENT, entries, register, status, version

from opeka.app import Opeka
from opeka.auth import sessions
from opeka.auth.context import Auth
from opeka.auth.principals import PrincipalKind
from opeka.consent import grants, records, store
from opeka.db.requests import subject_request
from opeka.processing.actor import Actor
from opeka.requests import actions
from opeka.selfservice import closure


def test_withdrawing_one_consent_keeps_the_contract_basis(opeka: Opeka, auth: Auth) -> None:
    done = register(opeka, auth, consents=("2.2.2", "2.2.3"))
    result = closure.withdraw(opeka, subject_id=done.subject_id, purpose="2.2.2", client=CLIENT)
    assert result.outcome.purposes_withdrawn == ("2.2.2",)
    assert result.outcome.remaining_basis
    assert result.closure is None
    with opeka.data_engine.connect() as conn:
        assert grants.active_purposes(conn, subject_id=done.subject_id) == {"2.2.3"}
        last = store.history(conn, subject_id=done.subject_id)[-1]
    assert (last.purpose, last.channel, last.evidence.form_id) == (
        "2.2.2",
        "portal",
        "portal:consents",
    )
    assert status(opeka, done.subject_id) == "active"


def test_withdrawing_the_last_basis_opens_a_request_and_blocks(opeka: Opeka) -> None:
    with opeka.processing(Actor.system("test"), "2.2.8") as p:
        sid, _ = records.collect_with_consent(
            p,
            category="visitor",
            values={"first_name": "Анна", "email": "last-basis@example.org"},
            source="test",
            version=version(opeka, "2.2.8", "visitor"),
            channel="form",
        )
    result = closure.withdraw(opeka, subject_id=sid, purpose="2.2.8", client=CLIENT)
    assert not result.outcome.remaining_basis
    assert result.closure is not None
    assert result.closure.blocked
    assert status(opeka, sid) == "blocked"
    assert _requests(opeka, sid) == [("withdrawal", "portal", "in_progress", "2.2.8")]


def test_closing_the_account_withdraws_all_blocks_and_schedules_destruction(
    opeka: Opeka, auth: Auth
) -> None:
    done = register(opeka, auth, consents=("2.2.2", "2.2.9"))
    with opeka.data_engine.begin() as conn:
        sessions.create(
            conn, auth=auth, kind=PrincipalKind.SUBJECT, principal_id=str(done.subject_id)
        )
    result = closure.close_account(opeka, subject_id=done.subject_id, client=CLIENT)
    assert result.blocked
    assert result.destruction_due is not None
    assert result.destruction_due - dt.date.today() <= dt.timedelta(days=31)
    assert status(opeka, done.subject_id) == "blocked"
    assert _requests(opeka, done.subject_id) == [("withdrawal", "portal", "in_progress", "*")]
    with opeka.data_engine.connect() as conn:
        assert grants.active_purposes(conn, subject_id=done.subject_id) == frozenset()
        pending = actions.for_request(conn, result.request_id)
        live = conn.execute(
            select(sessions.T.c.revoked_at).where(sessions.T.c.principal_id == str(done.subject_id))
        ).all()
    assert [kind for kind, _, _ in pending] == ["destroy"]
    assert live
    assert all(row.revoked_at is not None for row in live)
    withdrawals = [e for e in entries(opeka, done.subject_id) if "отзыв" in e.reason]
    assert withdrawals


def _requests(opeka: Opeka, sid: object) -> list[tuple[str, str, str, str]]:
    with opeka.data_engine.connect() as conn:
        rows = conn.execute(
            select(
                subject_request.c.kind,
                subject_request.c.channel,
                subject_request.c.status,
                subject_request.c.purposes,
            ).where(subject_request.c.subject_id == sid)
        ).all()
    return [(r.kind, r.channel, r.status, r.purposes) for r in rows]
