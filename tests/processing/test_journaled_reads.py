"""Journaled reads: values only after their journal entries commit, grouped; refusals kept."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import Connection, select, update
from tests.factories import client_values

from opeka.app import Opeka
from opeka.db.group_commit import NotCommitted
from opeka.db.journal import journal_entry
from opeka.db.subjects import subject
from opeka.journal.entry import decode
from opeka.journal.verify import verify_journal
from opeka.policy.errors import NoLegalBasis
from opeka.processing import Actor
from opeka.processing.journaled_reads import Defer, Work
from opeka.processing.service import Processing
from opeka.uow import UnitOfWork

STAFF = Actor.staff("ivanova")


def journal(opeka: Opeka) -> list[tuple[str, str, str]]:
    with opeka.data_engine.connect() as conn:
        rows = conn.execute(select(journal_entry.c.entry).order_by(journal_entry.c.seq))
        return [(e.action, e.result, e.purpose) for e in (decode(r[0]) for r in rows)]


def collect_clients(opeka: Opeka, n: int) -> list[uuid.UUID]:
    with opeka.processing(STAFF, "2.2.7") as p:
        return [
            p.collect(category="client", values=client_values(i), source="договор")
            for i in range(1, n + 1)
        ]


def reader(sid: uuid.UUID, purpose: str = "2.2.7") -> Work[dict[str, str]]:
    def work(uow: UnitOfWork, defer: Defer) -> dict[str, str]:
        return Processing(uow, STAFF, purpose).read(sid, ["email"])

    return work


def test_concurrent_reads_return_values_after_one_shared_commit(opeka: Opeka) -> None:
    sids = collect_clients(opeka, 20)

    async def all_reads() -> list[dict[str, str]]:
        return await asyncio.gather(*(opeka.reads.run(reader(s)) for s in sids))

    values = asyncio.run(all_reads())
    assert [v["email"] for v in values] == [f"client{i}@example.org" for i in range(1, 21)]
    assert journal(opeka).count(("извлечение", "done", "2.2.7")) == 20
    assert opeka.reads.commits < 20
    with opeka.data_engine.connect() as conn:
        report = verify_journal(
            conn,
            public_key=opeka.signing_key.public_key(),
            checkpoint_file=opeka.services.checkpoint_file,
        )
    assert report.entries == len(journal(opeka)) == 40


def test_a_refused_read_is_journaled_before_its_error(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 1)
    with pytest.raises(NoLegalBasis):
        asyncio.run(opeka.reads.run(reader(sid, "2.2.3")))
    assert journal(opeka)[-1] == ("извлечение", "refused", "2.2.3")


def test_the_read_takes_no_write_lock_and_changes_nothing_but_the_journal(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 1)

    def sneaky(uow: UnitOfWork, defer: Defer) -> None:
        uow.data.execute(update(subject).where(subject.c.id == sid).values(category="visitor"))

    asyncio.run(opeka.reads.run(sneaky))
    with opeka.data_engine.connect() as conn:
        assert conn.execute(select(subject.c.category).where(subject.c.id == sid)).scalar() == (
            "client"
        )


def test_deferred_writes_commit_with_the_journal(opeka: Opeka) -> None:
    (sid,) = collect_clients(opeka, 1)

    def stamping(uow: UnitOfWork, defer: Defer) -> dict[str, str]:
        defer(lambda conn: _touch(conn, sid))
        return reader(sid)(uow, defer)

    asyncio.run(opeka.reads.run(stamping))
    with opeka.data_engine.connect() as conn:
        assert conn.execute(select(subject.c.source).where(subject.c.id == sid)).scalar() == "x"


def test_no_value_is_returned_when_the_journal_cannot_commit(
    opeka: Opeka, monkeypatch: pytest.MonkeyPatch
) -> None:
    (sid,) = collect_clients(opeka, 1)

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(opeka.services.journal, "flush", broken)
    with pytest.raises(NotCommitted):
        asyncio.run(opeka.reads.run(reader(sid)))


def _touch(conn: Connection, sid: uuid.UUID) -> None:
    conn.execute(update(subject).where(subject.c.id == sid).values(source="x"))
