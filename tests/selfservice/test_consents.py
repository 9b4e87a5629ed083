"""Consents in the portal: offers, states, giving, receipts of one's own records only."""

from __future__ import annotations

import uuid

import pytest
from tests.selfservice.support import CLIENT, register, version

from opeka.app import Opeka
from opeka.auth.context import Auth
from opeka.consent import receipts, registry, signing
from opeka.consent.store import Event
from opeka.selfservice import consents
from opeka.selfservice.errors import NotOwnRecord, UnknownConsent


def test_every_consent_purpose_of_the_category_is_offered_as_its_own_document(
    opeka: Opeka,
) -> None:
    with opeka.data_engine.connect() as conn:
        offered = consents.offers(conn, opeka.policy, category="registered")
    assert [o.purpose for o in offered] == ["2.2.2", "2.2.3", "2.2.5", "2.2.8", "2.2.9"]
    for item in offered:
        assert item.document_id == f"consent:{item.purpose}:registered"
        assert item.version == version(opeka, item.purpose)
        assert item.html.startswith("<article")


def test_a_purpose_without_consent_is_not_offered(opeka: Opeka) -> None:
    with opeka.data_engine.connect() as conn, pytest.raises(UnknownConsent):
        consents.offer(conn, opeka.policy, category="registered", purpose="2.2.7")


def test_states_follow_giving_and_withdrawing(opeka: Opeka, auth: Auth) -> None:
    done = register(opeka, auth, consents=("2.2.2",))
    with opeka.unit_of_work() as uow:
        consents.give(
            uow,
            subject_id=done.subject_id,
            purpose="2.2.3",
            version=version(opeka, "2.2.3"),
            client=CLIENT,
        )
    with opeka.data_engine.connect() as conn:
        found = {
            s.offer.purpose: s
            for s in consents.states(conn, opeka.policy, subject_id=done.subject_id)
        }
    assert found["2.2.2"].given
    assert found["2.2.3"].given
    assert not found["2.2.5"].given
    assert found["2.2.5"].latest is None
    assert found["2.2.3"].latest is not None
    assert found["2.2.3"].latest.event is Event.GIVEN
    assert found["2.2.3"].latest.evidence.form_id == "portal:consents"


def test_the_receipt_of_ones_own_record_verifies(opeka: Opeka, auth: Auth) -> None:
    done = register(opeka, auth, consents=("2.2.9",))
    key = signing.signing_key(opeka.settings.keys_dir)
    with opeka.data_engine.connect() as conn:
        receipt = consents.receipt(
            conn,
            policy=opeka.policy,
            signing_key=key,
            subject_id=done.subject_id,
            record_id=done.consents[0].id,
        )
        summary = receipts.verify_receipt(receipt, key.public_key(), registry.hash_lookup(conn))
    assert summary.record_id == str(done.consents[0].id)


def test_someone_elses_receipt_is_not_found(opeka: Opeka, auth: Auth) -> None:
    owner = register(opeka, auth, consents=("2.2.9",))
    other = register(opeka, auth)
    key = signing.signing_key(opeka.settings.keys_dir)
    with opeka.data_engine.connect() as conn:
        for record_id in (owner.consents[0].id, uuid.uuid4()):
            with pytest.raises(NotOwnRecord):
                consents.receipt(
                    conn,
                    policy=opeka.policy,
                    signing_key=key,
                    subject_id=other.subject_id,
                    record_id=record_id,
                )
