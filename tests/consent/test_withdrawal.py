"""Withdrawing consent: reads refused at once through the spine; what basis remains."""

from __future__ import annotations

import pytest
from tests.cli.support import journal_entries
from tests.consent.support import (
    STAFF,
    give,
    last_refusal,
    new_client,
    new_visitor,
    read_email,
    stored,
    withdraw,
)

from opeka.app import Opeka
from opeka.consent import grants, records
from opeka.consent.errors import (
    NotConsentPurpose,
)
from opeka.consent.records import ALL
from opeka.policy.errors import NoLegalBasis
from opeka.processing.service import Processing


def test_withdrawal_refuses_reads_for_that_purpose_at_once_and_keeps_others(
    published: Opeka,
) -> None:
    sid = new_client(published)
    give(published, sid, "consent:2.2.8:client")
    give(published, sid, "consent:2.2.3:client")
    with published.unit_of_work() as uow:
        outcome = records.withdraw(
            uow, actor=STAFF, subject_id=sid, purposes=["2.2.8"], channel="email"
        )
        with pytest.raises(NoLegalBasis):  # the same transaction already refuses
            Processing(uow, STAFF, "2.2.8").read(sid, ["email"])
    assert outcome.purposes_withdrawn == ("2.2.8",)
    assert outcome.remaining_basis is True
    with pytest.raises(NoLegalBasis):
        read_email(published, sid, "2.2.8")
    assert read_email(published, sid, "2.2.3") == {"email": "client1@example.org"}
    assert read_email(published, sid, "2.2.7") == {"email": "client1@example.org"}
    refused = [e for e in journal_entries(published) if e.result == "refused"][-1]
    assert (refused.action, refused.purpose) == ("извлечение", "2.2.8")


def test_withdrawing_the_last_consent_of_a_client_leaves_the_contract_basis(
    published: Opeka,
) -> None:
    sid = new_client(published)
    give(published, sid, "consent:2.2.8:client")
    outcome = withdraw(published, sid, ["2.2.8"])
    assert outcome.purposes_withdrawn == ("2.2.8",)
    assert outcome.remaining_basis is True


def test_withdrawing_the_last_consent_of_a_visitor_leaves_no_basis(published: Opeka) -> None:
    sid = new_visitor(published)
    give(published, sid, "consent:2.2.8:visitor")
    give(published, sid, "consent:2.2.9:visitor")
    assert withdraw(published, sid, ["2.2.9"]).remaining_basis is True  # 2.2.8 is still given
    outcome = withdraw(published, sid, ["2.2.8"])
    assert outcome.purposes_withdrawn == ("2.2.8",)
    assert outcome.remaining_basis is False


def test_withdrawing_all_consent_means_no_basis_even_for_a_client(published: Opeka) -> None:
    sid = new_client(published)
    give(published, sid, "consent:2.2.8:client")
    give(published, sid, "consent:2.2.3:client")
    outcome = withdraw(published, sid, ALL)
    assert outcome.purposes_withdrawn == ("2.2.3", "2.2.8")
    assert outcome.remaining_basis is False
    with published.data_engine.connect() as conn:
        assert grants.active_purposes(conn, subject_id=sid) == frozenset()


def test_withdrawing_twice_changes_nothing_the_second_time(published: Opeka) -> None:
    sid = new_client(published)
    give(published, sid, "consent:2.2.8:client")
    withdraw(published, sid, ["2.2.8"])
    again = withdraw(published, sid, ["2.2.8"])
    assert again.purposes_withdrawn == ()
    assert len(stored(published, sid)) == 2


def test_a_consent_granted_without_a_record_is_withdrawn_with_a_record_naming_no_document(
    published: Opeka,
) -> None:
    sid = new_client(published)
    with published.unit_of_work() as uow:
        grants.record(
            uow.data,
            subject_id=sid,
            purposes=["2.2.3"],
            evidence=grants.ConsentEvidence("import", "CRM"),
        )
    outcome = withdraw(published, sid, ["2.2.3"])
    assert outcome.purposes_withdrawn == ("2.2.3",)
    assert outcome.records[0].document_id is None


def test_withdrawing_a_purpose_that_does_not_rest_on_consent_is_refused(
    published: Opeka,
) -> None:
    sid = new_client(published)
    give(published, sid, "consent:2.2.8:client")
    with pytest.raises(NotConsentPurpose):
        withdraw(published, sid, ["2.2.8", "2.2.7"])
    assert last_refusal(published) == "not_consent_purpose"
    with pytest.raises(NotConsentPurpose) as info:
        withdraw(published, sid, ["ivan@example.org"])
    assert "ivan" not in str(info.value)
    assert read_email(published, sid, "2.2.8")  # nothing was withdrawn
    with pytest.raises(ValueError, match="collection of purpose ids"):
        withdraw(published, sid, "2.2.8")  # type: ignore[arg-type]
