"""Tampering with the journal is caught, and names the first bad entry."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update
from tests.conftest import make_settings

from opeka.app import Opeka
from opeka.db.engine import read_only
from opeka.db.journal import journal_checkpoint, journal_entry, journal_head
from opeka.journal.entry import Action, Record, now_us
from opeka.journal.errors import JournalCorrupt
from opeka.journal.export import select_entries
from opeka.journal.verify import VerifyReport, verify_journal
from opeka.ops.init import initialise


def append(opeka: Opeka, n: int, *, subject: uuid.UUID | None = None) -> None:
    with opeka.unit_of_work() as uow:
        for i in range(n):
            uow.journal(
                Record(
                    time_us=now_us(),
                    actor="staff:test",
                    action=Action.EXTRACT,
                    subject_id=subject or uuid.uuid4(),
                    fields=("email",),
                    purpose="2.2.7",
                    basis="152-ФЗ ст. 6 ч. 1 п. 5",
                    reason=f"test {i}",
                )
            )


def verify(opeka: Opeka) -> VerifyReport:
    with read_only(opeka.data_engine) as conn:
        return verify_journal(
            conn,
            public_key=opeka.signing_key.public_key(),
            checkpoint_file=opeka.services.checkpoint_file,
        )


@pytest.fixture
def small(make_opeka: Callable[..., Opeka]) -> Opeka:
    return make_opeka(checkpoint_every_entries=10)


def edit(opeka: Opeka, seq: int, **values: object) -> None:
    with opeka.data_engine.begin() as conn:
        conn.execute(update(journal_entry).where(journal_entry.c.seq == seq).values(**values))


def blob(opeka: Opeka, seq: int) -> bytes:
    with opeka.data_engine.connect() as conn:
        return bytes(
            conn.execute(
                select(journal_entry.c.entry).where(journal_entry.c.seq == seq)
            ).scalar_one()
        )


def test_intact_journal_verifies_with_its_count(small: Opeka) -> None:
    append(small, 25)
    report = verify(small)
    assert (report.entries, report.checkpoints, report.newest_checkpoint) == (25, 2, 20)


def test_edited_entry_is_named(small: Opeka) -> None:
    append(small, 25)
    edit(small, 7, entry=blob(small, 7).replace(b"test 6", b"test X"))
    with pytest.raises(JournalCorrupt) as info:
        verify(small)
    assert info.value.seq == 7


def test_edited_newest_entry_is_caught_by_the_head(small: Opeka) -> None:
    append(small, 25)
    edit(small, 25, entry=blob(small, 25).replace(b"test 24", b"test XX"))
    with pytest.raises(JournalCorrupt, match="head"):
        verify(small)


def test_deleted_entry_is_named(small: Opeka) -> None:
    append(small, 25)
    with small.data_engine.begin() as conn:
        conn.execute(delete(journal_entry).where(journal_entry.c.seq == 12))
    with pytest.raises(JournalCorrupt, match="#12 is missing") as info:
        verify(small)
    assert info.value.seq == 12


def test_reordered_entries_are_caught(small: Opeka) -> None:
    append(small, 25)
    a, b = blob(small, 5), blob(small, 6)
    edit(small, 5, entry=b)
    edit(small, 6, entry=a)
    with pytest.raises(JournalCorrupt) as info:
        verify(small)
    assert info.value.seq in (4, 5)


def test_inserted_entry_is_caught(small: Opeka) -> None:
    append(small, 25)
    fake = blob(small, 3)
    with small.data_engine.begin() as conn:
        rows = conn.execute(
            select(journal_entry)
            .where(journal_entry.c.seq >= 10)
            .order_by(journal_entry.c.seq.desc())
        ).all()
        for row in rows:
            conn.execute(
                update(journal_entry).where(journal_entry.c.seq == row.seq).values(seq=row.seq + 1)
            )
        conn.execute(journal_entry.insert().values(seq=10, entry=fake))
    with pytest.raises(JournalCorrupt) as info:
        verify(small)
    assert info.value.seq is not None
    assert info.value.seq <= 10


def test_moving_an_entry_to_another_subject_breaks_the_chain(small: Opeka) -> None:
    # The subject is looked up through an index over the hashed bytes themselves: the only way
    # to hide an entry from a subject's extract is to edit those bytes, which verify catches.
    who = uuid.uuid4()
    append(small, 5, subject=who)
    with read_only(small.data_engine) as conn:
        assert [e.seq for e in select_entries(conn, subject_id=who)] == [1, 2, 3, 4, 5]
    raw = blob(small, 3)
    edit(small, 3, entry=raw[:48] + uuid.uuid4().bytes + raw[64:])
    with read_only(small.data_engine) as conn:
        assert [e.seq for e in select_entries(conn, subject_id=who)] == [1, 2, 4, 5]
    with pytest.raises(JournalCorrupt) as info:
        verify(small)
    assert info.value.seq == 3


def test_truncated_tail_is_caught_against_the_external_checkpoints(small: Opeka) -> None:
    append(small, 25)
    with small.data_engine.begin() as conn:
        conn.execute(delete(journal_entry).where(journal_entry.c.seq > 15))
        conn.execute(delete(journal_checkpoint).where(journal_checkpoint.c.size > 15))
        last = conn.execute(
            select(journal_entry.c.entry).where(journal_entry.c.seq == 15)
        ).scalar_one()
        conn.execute(
            update(journal_head).values(size=15, last_leaf=hashlib.sha256(b"\x00" + last).digest())
        )
    with pytest.raises(JournalCorrupt, match="missing from the database"):
        verify(small)


def test_wholesale_rewrite_is_caught(small: Opeka, make_opeka: Callable[..., Opeka]) -> None:
    append(small, 25)
    # An attacker with the database (not the signing key) builds a fresh journal elsewhere,
    # with a key of their own, and copies its entries and head over the real ones.
    forged = make_opeka(checkpoint_every_entries=10)
    append(forged, 25)
    with forged.data_engine.connect() as src, small.data_engine.begin() as dst:
        entries = [dict(r._mapping) for r in src.execute(select(journal_entry))]
        head = dict(src.execute(select(journal_head)).one()._mapping)
        dst.execute(delete(journal_entry))
        dst.execute(delete(journal_checkpoint))
        dst.execute(journal_entry.insert(), entries)
        dst.execute(update(journal_head).values(**head))
    with pytest.raises(JournalCorrupt, match=r"missing from the database|signature"):
        verify(small)


def test_checkpoint_with_a_forged_signature_is_caught(small: Opeka) -> None:
    append(small, 12)
    with small.data_engine.begin() as conn:
        note = conn.execute(select(journal_checkpoint.c.note)).scalar_one()
        conn.execute(update(journal_checkpoint).values(note=note.replace("\n10\n", "\n11\n")))
    with pytest.raises(JournalCorrupt):
        verify(small)


def test_checkpoint_file_holds_every_checkpoint(small: Opeka) -> None:
    append(small, 35)
    lines = small.settings.checkpoint_file.read_text(encoding="utf-8").splitlines()
    sizes = [int(json.loads(line)["note"].split("\n")[1]) for line in lines]
    assert sizes == [10, 20, 30]


@hsettings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n=st.integers(min_value=2, max_value=40),
    data=st.data(),
)
def test_any_single_byte_flip_in_any_entry_is_caught(
    tmp_path_factory: pytest.TempPathFactory, n: int, data: st.DataObject
) -> None:
    conf = make_settings(tmp_path_factory.mktemp("j"), "sqlite", checkpoint_every_entries=7)
    initialise(conf)
    opeka = Opeka(conf)
    append(opeka, n)
    opeka.data_engine.dispose()
    seq = data.draw(st.integers(min_value=1, max_value=n))
    raw = bytearray(blob(opeka, seq))
    pos = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    raw[pos] ^= data.draw(st.integers(min_value=1, max_value=255))
    edit(opeka, seq, entry=bytes(raw))
    with pytest.raises(JournalCorrupt) as info:
        verify(opeka)
    assert info.value.seq is None or info.value.seq <= seq
    opeka.close()
