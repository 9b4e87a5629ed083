"""Acts of destruction: every Order 179 p. 3 field, sealed, numbered, journaled, atomic."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, update
from tests.documents.support import (
    STAFF,
    collect_clients,
    destroy_with_act,
    journal,
    name_of,
)
from tests.requests.support import collect_client, open_request, verify

from opeka.app import Opeka
from opeka.db.documents import destruction_act, destruction_act_subject
from opeka.documents import act_render, acts
from opeka.documents.act_model import METHOD, Act
from opeka.documents.errors import ActNotFound, ActUnreadable, NothingToRecord
from opeka.documents.sealing import ActCipher
from opeka.journal.entry import Action
from opeka.processing import subjects
from opeka.processing.subjects import Status
from opeka.requests.executors import execute_withdrawal
from opeka.requests.journaling import DUTY
from opeka.requests.sweep import sweep
from opeka.settings import Settings

P3_KEYS = {
    "operator",  # а
    "processor",  # б
    "subjects",  # в (with д, и, к per subject)
    "responsible",  # г
    "data_categories",  # д
    "media",  # е
    "information_system",  # ж
    "method",  # з
    "reasons",  # и
    "destruction_dates",  # к
}


def load(opeka: Opeka, number: str) -> Act:
    with opeka.data_engine.connect() as conn:
        return acts.load_act(conn, number, cipher=ActCipher.of(opeka.services))


def test_an_act_holds_every_field_of_order_179_p3(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 1)
    number, _ = destroy_with_act(opeka, sid)
    data = json.loads(act_render.act_json(load(opeka, number)))
    assert set(data) >= P3_KEYS
    policy = opeka.policy
    assert data["number"] == number
    assert data["operator"] == {"name": policy.operator.name, "address": policy.operator.address}
    assert data["processor"] == "не привлекается (политика, п. 1.3)"
    assert data["responsible"]["actor"] == "staff:ivanova"
    assert data["information_system"] == policy.operator.information_system
    assert data["method"] == METHOD
    assert data["reasons"] == [
        {
            "code": "withdrawal",
            "text": "отзыв согласия субъекта (152-ФЗ ст. 21 ч. 5; политика п. 5.3)",
        }
    ]
    assert data["destruction_dates"] == [data["date"]]
    (entry,) = data["subjects"]
    assert entry["identifier"] == name_of(1)
    assert entry["identifier_kind"] == "name"
    assert entry["subject_id"] == str(sid)
    assert "Адрес электронной почты" in entry["categories_ru"]
    assert "Фамилия" in data["data_categories"]
    assert "ст. 21 ч. 5" in entry["reason"]


def test_the_act_keeps_no_destroyed_value_but_the_name(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 2)
    number, _ = destroy_with_act(opeka, sid)
    text = act_render.act_json(load(opeka, number)).decode()
    assert "client2@example.org" not in text
    assert "INV-0000002" not in text
    assert "Пример 2" not in text


def test_without_a_captured_name_the_act_names_the_pseudonymous_id(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 3)
    number, _ = destroy_with_act(opeka, sid, capture=False)
    (subject,) = load(opeka, number).subjects
    assert subject.identifier == str(sid)
    assert not subject.named


def test_one_act_for_many_subjects_destroyed_together(opeka: Opeka) -> None:
    sids = collect_clients(opeka, 4, 5, 6)
    number, _ = destroy_with_act(opeka, *sids)
    act = load(opeka, number)
    assert [s.subject_id for s in act.subjects] == sids
    assert [s.identifier for s in act.subjects] == [name_of(i) for i in (4, 5, 6)]
    with opeka.data_engine.connect() as conn:
        (row,) = acts.list_acts(conn)
    assert (row.number, row.subjects, row.reason_codes) == (number, 3, ("withdrawal",))
    assert row.retain_until == row.act_date.replace(year=row.act_date.year + 3)


def test_act_numbers_run_per_year_and_never_repeat_under_concurrency(opeka: Opeka) -> None:
    sids = collect_clients(opeka, *range(10, 18))
    numbers: list[str] = []
    errors: list[BaseException] = []

    def destroy(chunk: list[uuid.UUID]) -> None:
        try:
            for sid in chunk:
                numbers.append(destroy_with_act(opeka, sid)[0])
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)

    threads = [threading.Thread(target=destroy, args=(sids[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    year = dt.datetime.now(dt.UTC).year
    assert sorted(numbers) == [f"{year}-А-{i:06d}" for i in range(1, 9)]


def test_the_act_rolls_back_with_its_destruction(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 20)

    def crash() -> None:
        with opeka.processing(STAFF, DUTY) as p:
            result = p.destroy(sid, reason_code="withdrawal", capture_identifier=True)
            acts.record_act(p.uow, [result], STAFF)
            raise RuntimeError("crash before commit")

    with pytest.raises(RuntimeError):
        crash()
    with opeka.data_engine.connect() as conn:
        assert acts.list_acts(conn) == []
        assert subjects.load(conn, sid).status is Status.ACTIVE


def test_recording_and_opening_an_act_are_journaled_per_subject(opeka: Opeka) -> None:
    sids = collect_clients(opeka, 21, 22)
    number, _ = destroy_with_act(opeka, *sids)
    with opeka.unit_of_work() as uow:
        acts.issue(uow, number=number, actor=STAFF, what="pdf")
    recorded = [e for e in journal(opeka) if number in e.reason]
    assert [(e.action, e.subject_id) for e in recorded] == [
        (Action.RECORD.value, sids[0]),
        (Action.RECORD.value, sids[1]),
        (Action.EXTRACT.value, sids[0]),
        (Action.EXTRACT.value, sids[1]),
    ]
    assert all(e.purpose == DUTY and name_of(21) not in e.reason for e in recorded)
    assert recorded[0].fields == ("first_name", "last_name")


def test_an_act_without_subjects_is_refused(opeka: Opeka) -> None:
    with pytest.raises(NothingToRecord), opeka.unit_of_work() as uow:
        acts.record_act(uow, [], STAFF)


def test_an_unknown_act_is_not_found(opeka: Opeka) -> None:
    with pytest.raises(ActNotFound):
        load(opeka, "2026-А-999999")


def test_an_entry_moved_to_another_act_does_not_open(opeka: Opeka) -> None:
    first, _ = destroy_with_act(opeka, *collect_clients(opeka, 23))
    second, _ = destroy_with_act(opeka, *collect_clients(opeka, 24))
    with opeka.data_engine.begin() as conn:
        moved = conn.execute(
            select(destruction_act_subject.c.entry).where(
                destruction_act_subject.c.act_number == first
            )
        ).scalar_one()
        conn.execute(
            update(destruction_act_subject)
            .where(destruction_act_subject.c.act_number == second)
            .values(entry=moved)
        )
    with pytest.raises(ActUnreadable):
        load(opeka, second)


def test_acts_are_listed_by_date(opeka: Opeka) -> None:
    first, _ = destroy_with_act(opeka, *collect_clients(opeka, 25))
    second, _ = destroy_with_act(opeka, *collect_clients(opeka, 26))
    old = dt.date(2025, 3, 1)
    with opeka.data_engine.begin() as conn:
        conn.execute(
            update(destruction_act).where(destruction_act.c.number == first).values(act_date=old)
        )
        listed = acts.list_acts(conn)
        recent = acts.list_acts(conn, since=dt.date(2026, 1, 1))
        early = acts.list_acts(conn, until=dt.date(2025, 12, 31))
    assert [r.number for r in listed] == [first, second]
    assert [r.number for r in recent] == [second]
    assert [r.number for r in early] == [first]


def _db_bytes(settings: Settings) -> bytes:
    folder = Path(settings.data_dir)
    return b"".join(p.read_bytes() for p in folder.glob("opeka.db*"))


def test_act_bodies_are_not_in_clear_in_the_database(opeka: Opeka, settings: Settings) -> None:
    sids = collect_clients(opeka, 27, 28)
    destroy_with_act(opeka, *sids)
    names = [name_of(27).encode(), name_of(28).encode()]
    last_names = [n.split()[0] for n in names]
    if settings.is_sqlite:
        blob = _db_bytes(settings)
        assert not any(n in blob for n in names + last_names)
    with opeka.data_engine.connect() as conn:
        stored = [bytes(b) for b in conn.execute(select(destruction_act.c.body)).scalars()]
        stored += [
            bytes(b) for b in conn.execute(select(destruction_act_subject.c.entry)).scalars()
        ]
    assert stored
    assert not any(n in blob for blob in stored for n in names + last_names)


def _withdraw_all(opeka: Opeka, i: int) -> None:
    sid = collect_client(opeka, i)
    row = open_request(
        opeka,
        "withdrawal",
        dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC),
        subject_id=sid,
        purposes=["*"],
    )
    verify(opeka, row.id)
    execute_withdrawal(opeka, request_id=row.id, actor=STAFF)


def test_the_sweep_hook_writes_an_act_per_destruction(opeka: Opeka) -> None:
    for i in (30, 31):
        _withdraw_all(opeka, i)
    report = sweep(opeka, today=dt.date(2026, 3, 1), actor=STAFF, on_destroyed=acts.on_destroyed)
    assert len(report.destroyed) == 2
    with opeka.data_engine.connect() as conn:
        listed = acts.list_acts(conn)
    assert [r.subjects for r in listed] == [1, 1]
    names = {load(opeka, r.number).subjects[0].identifier for r in listed}
    assert names == {name_of(30), name_of(31)}
    first = load(opeka, listed[0].number)
    assert first.header.responsible == "system:requests-sweep"
    assert first.subjects[0].request_number is not None


def test_a_sweep_batch_gathers_a_run_into_acts_of_a_bounded_size(opeka: Opeka) -> None:
    for i in (32, 33, 34):
        _withdraw_all(opeka, i)
    batch = acts.SweepBatch(actor=STAFF, max_subjects=2)
    report = sweep(opeka, today=dt.date(2026, 3, 1), actor=STAFF, on_destroyed=batch)
    assert len(report.destroyed) == 3
    with opeka.data_engine.connect() as conn:
        listed = acts.list_acts(conn)
    assert [r.subjects for r in listed] == [2, 1]
    gathered = load(opeka, listed[0].number)
    assert {s.identifier for s in gathered.subjects} <= {name_of(i) for i in (32, 33, 34)}
    assert gathered.header.responsible == "staff:ivanova"
