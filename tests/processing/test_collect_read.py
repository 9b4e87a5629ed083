"""Collect, read, find and update through the spine, and what each journals."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from tests.factories import client_values, visitor_values

from opeka.app import Opeka
from opeka.consent import grants
from opeka.consent.grants import ConsentEvidence
from opeka.db.journal import journal_entry
from opeka.journal.entry import decode
from opeka.policy.errors import (
    FieldNotDeclared,
    FieldNotForPurpose,
    InvalidValue,
    MissingMandatory,
    NoLegalBasis,
    PurposeNotForCategory,
    UnknownPurpose,
)
from opeka.processing import Actor

STAFF = Actor.staff("ivanova")


def journal(opeka: Opeka) -> list[tuple[str, str, str, tuple[str, ...]]]:
    with opeka.data_engine.connect() as conn:
        rows = conn.execute(select(journal_entry.c.entry).order_by(journal_entry.c.seq))
        entries = [decode(r[0]) for r in rows]
    return [(e.action, e.result, e.purpose, e.fields) for e in entries]


def collect_client(opeka: Opeka, i: int = 1) -> uuid.UUID:
    with opeka.processing(STAFF, "2.2.7") as p:
        return p.collect(category="client", values=client_values(i), source="договор")


def test_collect_then_read_returns_normalised_values_and_journals_both(opeka: Opeka) -> None:
    sid = collect_client(opeka)
    with opeka.processing(STAFF, "2.2.7") as p:
        values = p.read(sid)
    assert values["phone"] == "+79990000001"
    assert values["email"] == "client1@example.org"
    assert journal(opeka) == [
        ("сбор", "done", "2.2.7", tuple(sorted(client_values(1)))),
        ("извлечение", "done", "2.2.7", tuple(sorted(client_values(1)))),
    ]


def test_read_without_fields_returns_only_what_the_purpose_may_use(opeka: Opeka) -> None:
    sid = collect_client(opeka)
    with opeka.processing(STAFF, "2.2.3") as p, pytest.raises(NoLegalBasis):
        p.read(sid)
    with opeka.unit_of_work() as uow:
        grants.record(
            uow.data,
            subject_id=sid,
            purposes=["2.2.3"],
            evidence=ConsentEvidence("paper", "форма 7"),
        )
    with opeka.processing(STAFF, "2.2.3") as p:
        assert set(p.read(sid)) == {"email", "organization", "position"}


def test_field_not_allowed_for_purpose_is_refused_naming_the_clause_and_journaled(
    opeka: Opeka,
) -> None:
    sid = collect_client(opeka)
    with pytest.raises(FieldNotForPurpose) as info, opeka.processing(STAFF, "2.2.4") as p:
        p.read(sid, ["position", "email"])
    assert info.value.clause == "2.2, 2.2.4"
    assert "`email` may not be used for purpose 2.2.4" in str(info.value)
    assert journal(opeka)[-1] == ("извлечение", "refused", "2.2.4", ("email", "position"))


def test_field_outside_the_category_is_refused(opeka: Opeka) -> None:
    values = client_values(1) | {"birth_date": "1990-01-01"}
    with pytest.raises(FieldNotDeclared) as info, opeka.processing(STAFF, "2.2.7") as p:
        p.collect(category="client", values=values, source="x")
    assert info.value.clause == "1.1.4"
    assert journal(opeka)[-1][:2] == ("сбор", "refused")


def test_unknown_purpose_is_refused_and_journaled(opeka: Opeka) -> None:
    with pytest.raises(UnknownPurpose), opeka.processing(STAFF, "9.9.9"):
        pass
    assert journal(opeka) == [("использование", "refused", "unknown", ())]


def test_purpose_for_another_category_is_refused(opeka: Opeka) -> None:
    with pytest.raises(PurposeNotForCategory), opeka.processing(STAFF, "2.2.2") as p:
        p.collect(category="client", values=client_values(1), source="x")


def test_missing_mandatory_field_is_refused(opeka: Opeka) -> None:
    values = client_values(1)
    del values["email"]
    with pytest.raises(MissingMandatory, match="email"), opeka.processing(STAFF, "2.2.7") as p:
        p.collect(category="client", values=values, source="x")


def test_consent_purpose_needs_consent_evidence(opeka: Opeka) -> None:
    with pytest.raises(NoLegalBasis), opeka.processing(STAFF, "2.2.8") as p:
        p.collect(category="visitor", values=visitor_values(1), source="форма вопроса")
    with opeka.processing(STAFF, "2.2.8") as p:
        sid = p.collect(
            category="visitor",
            values=visitor_values(1),
            source="форма вопроса",
            consent=ConsentEvidence("form", "question-form v1"),
        )
        assert p.read(sid) == {"email": "visitor1@example.org", "first_name": "Анна"}


@pytest.mark.parametrize("card", ["2200 1234 5678 9019", "4111-1111-1111-1111", "2204123456789015"])
def test_full_card_number_in_any_field_is_refused(opeka: Opeka, card: str) -> None:
    values = client_values(1) | {"position": f"см. карту {card}"}
    with pytest.raises(InvalidValue) as info, opeka.processing(STAFF, "2.2.7") as p:
        p.collect(category="client", values=values, source="x")
    assert info.value.clause == "1.1.3"
    assert card not in str(info.value)


def test_find_by_email_and_phone_returns_only_real_matches(opeka: Opeka) -> None:
    ids = [collect_client(opeka, i) for i in range(1, 6)]
    with opeka.processing(STAFF, "2.2.7") as p:
        assert p.find(email="CLIENT3@Example.org") == [ids[2]]
        assert p.find(phone="8 (999) 000-00-04") == [ids[3]]
        assert p.find(email="nobody@example.org") == []


def test_update_rectifies_and_refreshes_the_index(opeka: Opeka) -> None:
    sid = collect_client(opeka)
    with opeka.processing(STAFF, "2.2.7") as p:
        p.update(sid, {"email": "new@example.org"}, reason="заявление субъекта")
    with opeka.processing(STAFF, "2.2.7") as p:
        assert p.find(email="client1@example.org") == []
        assert p.find(email="new@example.org") == [sid]
    assert ("уточнение", "done", "2.2.7", ("email",)) in journal(opeka)


def test_erase_fields_removes_values(opeka: Opeka) -> None:
    sid = collect_client(opeka)
    with opeka.processing(STAFF, "2.2.7") as p:
        p.erase_fields(sid, ["position"], reason="по просьбе")
    with opeka.processing(STAFF, "2.2.7") as p:
        assert "position" not in p.read(sid)
