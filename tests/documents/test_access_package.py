"""The access package: values read through the spine, what the policy says of them, consents."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from tests.documents.support import STAFF, collect_clients, journal, pdf_title_holds
from tests.factories import client_values
from tests.requests.support import msk, open_request

from opeka.app import Opeka
from opeka.consent import grants, registry
from opeka.consent import store as consent_store
from opeka.consent.evidence import Evidence
from opeka.consent.grants import ConsentEvidence
from opeka.consent.registry import PublishedDocument
from opeka.consent.store import ConsentRecord, Event
from opeka.documents import access_package
from opeka.documents.access_package import AccessPackage
from opeka.documents.errors import WrongPurpose
from opeka.journal.entry import Action
from opeka.policy.errors import SubjectDestroyed
from opeka.requests.journaling import DUTY


@pytest.fixture
def opeka(shared: Opeka) -> Opeka:
    """These tests look only at what they make: one store per backend serves them all."""
    return shared


def consent_to_transfer(opeka: Opeka, sid: uuid.UUID) -> PublishedDocument:
    """The client consents to 2.2.5 (transfer to rights holders) under its published document."""
    with opeka.unit_of_work() as uow:
        registry.publish(uow.data, opeka.policy)
        document = registry.current(uow.data, "consent:2.2.5:client")
        assert document is not None
        grants.record(
            uow.data, subject_id=sid, purposes=["2.2.5"], evidence=ConsentEvidence("form", "f")
        )
        consent_store.append(
            uow.data,
            ConsentRecord(
                id=uuid.uuid4(),
                subject_id=sid,
                visitor_id=None,
                event=Event.GIVEN,
                purpose="2.2.5",
                document_id=document.id,
                document_version=document.version,
                text_hash=document.text_hash,
                channel="portal",
                evidence=Evidence(form_id="portal:consents"),
                language="ru",
                actor="subject:x",
                recorded_at=dt.datetime.now(dt.UTC),
            ),
        )
    return document


def build(opeka: Opeka, sid: uuid.UUID) -> AccessPackage:
    with opeka.processing(STAFF, DUTY) as p:
        return access_package.build(p, sid)


def test_the_package_holds_values_purposes_bases_and_retention(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 1)
    package = build(opeka, sid)
    values = {v.code: v for v in package.values}
    assert values["email"].value == client_values(1)["email"]
    assert values["email"].title == "Адрес электронной почты"
    assert "2.2.7" in values["email"].purposes
    assert "2.2.5" not in values["email"].purposes  # no consent to transfer
    purposes = {p.id: p for p in package.purposes}
    assert purposes["2.2.7"].in_use
    assert purposes["2.2.7"].basis_article == "152-ФЗ ст. 6 ч. 1 п. 5"
    assert purposes["2.2.7"].retention == "До исполнения обязательств"
    assert not purposes["2.2.5"].in_use
    assert DUTY not in purposes
    assert package.recipients == ()
    assert package.source == "договор"
    assert "3.3" in package.cross_border


def test_recipients_and_consents_appear_for_a_consented_transfer(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 2)
    document = consent_to_transfer(opeka, sid)
    package = build(opeka, sid)
    assert {r.code for r in package.recipients} == {"rights_holder", "distributor", "reseller"}
    assert all(r.countries == ("RU",) for r in package.recipients)
    (consent,) = package.consents
    assert (consent.document_version, consent.text_hash, consent.event) == (
        document.version,
        document.text_hash,
        "given",
    )
    assert "2.2.5" in {v for held in package.values for v in held.purposes}


def test_open_requests_are_listed(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 3)
    row = open_request(opeka, "access", msk(2026, 3, 1), subject_id=sid)
    (listed,) = build(opeka, sid).open_requests
    assert (listed.number, listed.kind, listed.status) == (
        row.number,
        "предоставление сведений",
        "получен",
    )


def test_building_the_package_is_a_journaled_extraction(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 4)
    build(opeka, sid)
    read = journal(opeka)[-1]
    assert (read.action, read.subject_id, read.purpose) == (Action.EXTRACT.value, sid, DUTY)
    assert "email" in read.fields
    assert "пакет сведений" in read.reason


def test_the_package_is_built_only_under_the_statutory_purpose(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 5)
    with pytest.raises(WrongPurpose), opeka.processing(STAFF, "2.2.7") as p:
        access_package.build(p, sid)


def test_a_destroyed_subject_has_no_package(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 6)
    with opeka.processing(STAFF, DUTY) as p:
        p.destroy(sid, reason_code="withdrawal")
    with pytest.raises(SubjectDestroyed):
        build(opeka, sid)


def test_json_and_pdf_renders(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 7)
    consent_to_transfer(opeka, sid)
    package = build(opeka, sid)
    data = json.loads(access_package.to_json(package))
    assert data["format"] == "opeka-access-package/1"
    assert data["subject_id"] == str(sid)
    assert {"values", "purposes", "recipients", "consents", "open_requests"} <= set(data)
    pdf = access_package.to_pdf(package)
    assert pdf.startswith(b"%PDF-")
    assert pdf_title_holds(pdf, "Сведения об обработке")
    assert "AccessPackage(" in repr(package)
    assert client_values(7)["email"] not in repr(package)
