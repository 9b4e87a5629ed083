"""Registration: an account resting on the contract, with only the consents ticked."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.selfservice.support import (
    CLIENT,
    PASSWORD,
    email,
    entries,
    person,
    register,
    subject_count,
    version,
)

from opeka.app import Opeka
from opeka.auth import accounts
from opeka.auth.context import Auth
from opeka.auth.errors import PasswordRejected
from opeka.consent import grants, store
from opeka.db.subjects import subject
from opeka.processing.actor import Actor
from opeka.selfservice import registration
from opeka.selfservice.errors import EmailUnavailable, InvalidForm, PasswordMismatch


def test_registration_collects_under_the_contract_without_any_consent(
    opeka: Opeka, auth: Auth
) -> None:
    done = register(opeka, auth)
    with opeka.data_engine.connect() as conn:
        row = conn.execute(select(subject).where(subject.c.id == done.subject_id)).one()
        assert (row.category, row.status, row.source) == (
            "registered",
            "active",
            "портал: регистрация",
        )
        assert accounts.has_account(conn, subject_id=done.subject_id)
        assert grants.active_purposes(conn, subject_id=done.subject_id) == frozenset()
    collect = [e for e in entries(opeka, done.subject_id) if e.action == "сбор"]
    assert [(e.actor, e.purpose) for e in collect] == [(f"subject:{done.subject_id}", "2.2.7")]


def test_each_ticked_consent_is_recorded_separately_with_evidence(opeka: Opeka, auth: Auth) -> None:
    done = register(opeka, auth, consents=("2.2.5", "2.2.2"))
    assert [r.purpose for r in done.consents] == ["2.2.2", "2.2.5"]
    with opeka.data_engine.connect() as conn:
        records = store.history(conn, subject_id=done.subject_id)
        active = grants.active_purposes(conn, subject_id=done.subject_id)
    assert active == {"2.2.2", "2.2.5"}
    for record in records:
        assert record.channel == "portal"
        assert record.evidence.form_id == "portal:register"
        assert record.evidence.ip_prefix == "203.0.113.0/24"
        assert record.evidence.user_agent_sha256 is not None
        assert record.document_version == version(opeka, record.purpose)


def test_an_invalid_form_collects_nothing(opeka: Opeka, auth: Auth) -> None:
    before = subject_count(opeka)
    with pytest.raises(InvalidForm) as caught:
        register(opeka, auth, values=person(phone="12"))
    assert set(caught.value.errors) == {"phone"}
    assert subject_count(opeka) == before


def test_passwords_must_match(opeka: Opeka, auth: Auth) -> None:
    with opeka.unit_of_work() as uow, pytest.raises(PasswordMismatch):
        registration.register(
            uow,
            auth=auth,
            values=person(),
            password=PASSWORD,
            password_repeat=PASSWORD + "x",
            consent_versions={},
            client=CLIENT,
        )


def test_a_weak_password_is_refused_before_anything_is_collected(opeka: Opeka, auth: Auth) -> None:
    before = subject_count(opeka)
    with opeka.unit_of_work() as uow, pytest.raises(PasswordRejected):
        registration.register(
            uow,
            auth=auth,
            values=person(),
            password="short",
            password_repeat="short",
            consent_versions={},
            client=CLIENT,
        )
    assert subject_count(opeka) == before


def test_an_email_with_an_account_cannot_register_again(opeka: Opeka, auth: Auth) -> None:
    address = email("twice")
    register(opeka, auth, values=person(address))
    before = subject_count(opeka)
    with pytest.raises(EmailUnavailable):
        register(opeka, auth, values=person(address.upper()))
    assert subject_count(opeka) == before
    refused = [e for e in entries(opeka, None) if e.actor == "system:portal-register"]
    assert refused[-1].result == "refused"
    assert "адрес уже используется" in refused[-1].reason
    assert address not in refused[-1].reason


def test_a_visitor_with_the_same_email_does_not_block_registration(
    opeka: Opeka, auth: Auth
) -> None:
    address = email("visitor")
    with opeka.processing(Actor.system("test"), "2.2.6") as p:
        p.collect(category="visitor", values={"first_name": "Анна", "email": address}, source="t")
    assert register(opeka, auth, values=person(address)).subject_id
