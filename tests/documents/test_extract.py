"""The log extract (Order 179 p. 5): the journal's destruction entries with every p. 5 field."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from tests.documents.support import STAFF, collect_clients, destroy_with_act, journal, name_of

from opeka.app import Opeka
from opeka.documents import act_render, acts
from opeka.documents.act_model import ActSubject
from opeka.documents.extract import build_extract
from opeka.journal.entry import Action


@pytest.fixture
def opeka(shared: Opeka) -> Opeka:
    """These tests look only at what they make: one store per backend serves them all."""
    return shared


P5_KEYS = {"subject_identifier", "data_categories", "information_system", "reason", "date"}


def extract_of(opeka: Opeka, number: str) -> dict[str, Any]:
    with opeka.unit_of_work() as uow:
        act = acts.issue(uow, number=number, actor=STAFF, what="json")
    extract = build_extract(opeka.data_engine, act, policy=opeka.policy)
    data: dict[str, Any] = json.loads(act_render.extract_json(extract))
    return data


def test_the_extract_holds_every_field_of_p5_for_each_destruction(opeka: Opeka) -> None:
    sids = collect_clients(opeka, 1, 2)
    number, _ = destroy_with_act(opeka, *sids)
    data = extract_of(opeka, number)
    assert data["act_number"] == number
    entries = data["entries"]
    assert len(entries) == 2
    destroyed = {e.subject_id: e for e in journal(opeka) if e.action == Action.DESTROY.value}
    for entry, sid, i in zip(entries, sids, (1, 2), strict=True):
        assert set(entry) >= P5_KEYS
        assert entry["subject_identifier"] == name_of(i)
        assert entry["information_system"] == opeka.policy.operator.information_system
        assert entry["seq"] == destroyed[sid].seq
        assert entry["reason"] == destroyed[sid].reason
        assert "Адрес электронной почты" in entry["data_categories"]
        assert dt.datetime.fromisoformat(entry["date"]) == destroyed[sid].time


def test_a_subject_without_a_journal_entry_is_shown_as_such(opeka: Opeka) -> None:
    ghost = ActSubject(
        subject_id=uuid.uuid4(),
        identifier="—",
        named=False,
        category="client",
        fields=(),
        data_categories=(),
        categories_ru=(),
        reason_code="withdrawal",
        reason="отзыв согласия",
        destroyed_at=dt.datetime.now(dt.UTC),
    )
    with opeka.unit_of_work() as uow:
        number = acts.write_act(uow, [ghost], actor=STAFF)
    (entry,) = extract_of(opeka, number)["entries"]
    assert entry["seq"] is None
    assert entry["reason"] == "отзыв согласия"
