"""Giving consent: the record, the grant and the journal entry together; each refusal."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.cli.support import journal_entries
from tests.consent.support import (
    EVIDENCE,
    POSITION,
    POSITION_EDITED,
    STAFF,
    current_version,
    edited_policy,
    give,
    last_refusal,
    new_client,
    read_email,
    stored,
)
from tests.factories import visitor_values

from opeka.app import Opeka
from opeka.consent import grants, records, registry, store
from opeka.consent.errors import (
    DocumentNotForSubject,
    DocumentSuperseded,
    UnknownDocument,
)
from opeka.consent.evidence import Evidence
from opeka.consent.records import ALL
from opeka.db.consents import consent_record
from opeka.db.subjects import consent_grant
from opeka.policy.errors import NoLegalBasis, SubjectDestroyed
from opeka.policy.loader import load_policy
from opeka.processing import Actor


def test_give_records_the_consent_grants_the_purpose_and_journals_it(published: Opeka) -> None:
    sid = new_client(published)
    with pytest.raises(NoLegalBasis):
        read_email(published, sid, "2.2.8")
    record = give(published, sid, "consent:2.2.8:client")
    assert read_email(published, sid, "2.2.8") == {"email": "client1@example.org"}
    with published.data_engine.connect() as conn:
        document = registry.current(conn, "consent:2.2.8:client")
        assert grants.active_purposes(conn, subject_id=sid) == {"2.2.8"}
    assert document is not None
    assert stored(published, sid) == [record]
    assert (record.document_version, record.text_hash) == (document.version, document.text_hash)
    assert record.evidence == Evidence(
        "question-form", "203.0.113.0/24", EVIDENCE.user_agent_sha256
    )
    entry = [e for e in journal_entries(published) if e.action == "запись"][-1]
    assert (entry.subject_id, entry.purpose, entry.result) == (sid, "2.2.8", "done")
    assert entry.basis == "152-ФЗ ст. 9 ч. 1, 3"
    assert f"запись {record.id}" in entry.reason
    assert "client1" not in entry.reason


def test_a_visitor_consent_id_gets_a_record_without_a_grant(published: Opeka) -> None:
    visitor = uuid.uuid4()
    with published.unit_of_work() as uow:
        record = records.give(
            uow,
            actor=Actor.system("site-form"),
            visitor_id=visitor,
            document_id="consent:2.2.9:visitor",
            version=current_version(published, "consent:2.2.9:visitor"),
            channel="form",
        )
    assert record.principal == ("visitor", visitor)
    with published.data_engine.connect() as conn:
        assert store.history(conn, visitor_id=visitor) == [record]
    outcome = withdraw_visitor(published, visitor)
    assert outcome.purposes_withdrawn == ("2.2.9",)
    assert outcome.remaining_basis is False


def withdraw_visitor(opeka: Opeka, visitor: uuid.UUID) -> records.WithdrawalOutcome:
    with opeka.unit_of_work() as uow:
        return records.withdraw(
            uow, actor=Actor.system("site-form"), visitor_id=visitor, purposes=ALL, channel="form"
        )


def test_collect_with_consent_creates_subject_grant_and_record_in_one_unit(
    published: Opeka,
) -> None:
    version = current_version(published, "consent:2.2.8:visitor")
    with published.processing(STAFF, "2.2.8") as p:
        sid, record = records.collect_with_consent(
            p,
            category="visitor",
            values=visitor_values(7),
            source="форма вопроса",
            version=version,
            channel="form",
            evidence=EVIDENCE,
        )
    assert record.subject_id == sid
    assert read_email(published, sid, "2.2.8") == {"email": "visitor7@example.org"}
    assert stored(published, sid) == [record]
    actions = [(e.action, e.subject_id) for e in journal_entries(published)][-3:]
    assert actions[:2] == [("сбор", sid), ("запись", sid)]


def test_give_to_an_unpublished_document_is_refused(published: Opeka) -> None:
    sid = new_client(published)
    with published.unit_of_work() as uow, pytest.raises(UnknownDocument):
        records.give(
            uow,
            actor=STAFF,
            subject_id=sid,
            document_id="consent:2.2.8:client",
            version="1999.1+deadbeef",
            channel="portal",
        )
    assert last_refusal(published) == "unknown_document"
    assert stored(published, sid) == []


def test_give_online_to_a_superseded_version_is_refused_but_paper_may_carry_it(
    published: Opeka, tmp_path: Path
) -> None:
    sid = new_client(published)
    old = current_version(published, "consent:2.2.8:client")
    with published.unit_of_work() as uow:
        registry.publish(uow.data, load_policy(edited_policy(tmp_path, POSITION, POSITION_EDITED)))
    doc = "consent:2.2.8:client"
    with published.unit_of_work() as uow, pytest.raises(DocumentSuperseded):
        records.give(
            uow, actor=STAFF, subject_id=sid, document_id=doc, version=old, channel="portal"
        )
    assert last_refusal(published) == "document_superseded"
    with published.unit_of_work() as uow:
        records.give(
            uow, actor=STAFF, subject_id=sid, document_id=doc, version=old, channel="paper"
        )
    with published.data_engine.connect() as conn:
        assert registry.reconsent_needed(conn) == [(sid, "2.2.8")]


def test_give_to_another_categorys_document_is_refused(published: Opeka) -> None:
    sid = new_client(published)
    with pytest.raises(DocumentNotForSubject):
        give(published, sid, "consent:2.2.8:visitor")
    assert last_refusal(published) == "document_not_for_subject"


def test_give_for_a_destroyed_subject_is_refused(published: Opeka) -> None:
    sid = new_client(published)
    with published.processing(STAFF, "legal.subject_rights") as p:
        p.destroy(sid, reason_code="withdrawal")
    with pytest.raises(SubjectDestroyed):
        give(published, sid, "consent:2.2.8:client")
    assert last_refusal(published) == "subject_destroyed: policy §5.3"


def test_give_on_an_unknown_channel_is_refused(published: Opeka) -> None:
    sid = new_client(published)
    with pytest.raises(ValueError, match="channel must be one of"):
        give(published, sid, "consent:2.2.8:client", channel="carrier-pigeon")


def test_give_with_a_malformed_document_id_is_refused_without_echoing_it(
    published: Opeka,
) -> None:
    sid = new_client(published)
    with published.unit_of_work() as uow, pytest.raises(ValueError) as info:
        records.give(
            uow,
            actor=STAFF,
            subject_id=sid,
            document_id="consent:2.2.8:<script>",
            version="x",
            channel="portal",
        )
    assert "<script>" not in str(info.value)


def test_giving_again_adds_a_record_but_no_second_active_grant(published: Opeka) -> None:
    sid = new_client(published)
    give(published, sid, "consent:2.2.8:client")
    give(published, sid, "consent:2.2.8:client")
    assert len(stored(published, sid)) == 2
    with published.data_engine.connect() as conn:
        count = conn.execute(
            select(func.count())
            .select_from(consent_grant)
            .where(consent_grant.c.subject_id == sid, consent_grant.c.withdrawn_at.is_(None))
        ).scalar_one()
        rows = conn.execute(select(func.count()).select_from(consent_record)).scalar_one()
    assert (count, rows) == (1, 2)
