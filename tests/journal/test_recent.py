"""The console's view of the journal: newest first, by pages, by subject; size and checkpoint."""

from __future__ import annotations

import uuid

from opeka.app import Opeka
from opeka.db.engine import read_only
from opeka.journal.entry import Action, Record, now_us
from opeka.journal.recent import journal_status, recent_entries
from opeka.ops.scheduler import checkpoint_now


def append(opeka: Opeka, subjects: list[uuid.UUID | None]) -> None:
    with opeka.unit_of_work() as uow:
        for index, subject_id in enumerate(subjects):
            uow.journal(
                Record(
                    time_us=now_us(),
                    actor="staff:test",
                    action=Action.EXTRACT,
                    subject_id=subject_id,
                    fields=("email",),
                    purpose="2.2.7",
                    basis="152-ФЗ ст. 6 ч. 1 п. 5",
                    reason=f"test {index}",
                )
            )


def test_pages_run_newest_first_and_continue_where_they_stopped(opeka: Opeka) -> None:
    append(opeka, [None] * 7)
    with read_only(opeka.data_engine) as conn:
        first = recent_entries(conn, limit=3)
        assert [e.seq for e in first.entries] == [7, 6, 5]
        assert first.next_before == 5
        second = recent_entries(conn, limit=3, before=first.next_before)
        assert [e.seq for e in second.entries] == [4, 3, 2]
        last = recent_entries(conn, limit=3, before=2)
        assert ([e.seq for e in last.entries], last.next_before) == ([1], None)


def test_one_subjects_entries(opeka: Opeka) -> None:
    mine, other = uuid.uuid4(), uuid.uuid4()
    append(opeka, [mine, other, mine, None, mine])
    with read_only(opeka.data_engine) as conn:
        page = recent_entries(conn, limit=2, subject_id=mine)
        assert [e.seq for e in page.entries] == [5, 3]
        rest = recent_entries(conn, limit=2, subject_id=mine, before=page.next_before)
        assert ([e.seq for e in rest.entries], rest.next_before) == ([1], None)


def test_status_counts_entries_and_names_the_newest_checkpoint(opeka: Opeka) -> None:
    with read_only(opeka.data_engine) as conn:
        empty = journal_status(conn)
    assert (empty.entries, empty.checkpoint_size) == (0, None)
    append(opeka, [None] * 4)
    checkpoint_now(opeka)
    append(opeka, [None])
    with read_only(opeka.data_engine) as conn:
        status = journal_status(conn)
    assert (status.entries, status.checkpoint_size) == (5, 4)
    assert status.checkpoint_time is not None
