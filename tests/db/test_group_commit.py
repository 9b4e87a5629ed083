"""Group commit: every acknowledged item is committed; failures are never acknowledged."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, Table, func, insert, select

from opeka.app import Opeka
from opeka.db import group_commit as batcher_module
from opeka.db.group_commit import Batcher, NotCommitted

ITEMS = Table("batcher_item", MetaData(), Column("n", Integer(), primary_key=True))


@pytest.fixture
def table(opeka: Opeka) -> Table:
    ITEMS.create(opeka.data_engine)
    return ITEMS


def store(conn: Connection, items: Sequence[int]) -> None:
    conn.execute(insert(ITEMS), [{"n": n} for n in items])


def stored(opeka: Opeka) -> set[int]:
    with opeka.data_engine.connect() as conn:
        return set(conn.execute(select(ITEMS.c.n)).scalars())


async def submit_all(batcher: Batcher[int], items: list[int]) -> list[BaseException | None]:
    return await asyncio.gather(*(batcher.submit(n) for n in items), return_exceptions=True)


def test_concurrent_items_are_all_committed_in_fewer_transactions(
    opeka: Opeka, table: Table
) -> None:
    batcher: Batcher[int] = Batcher(opeka.data_engine, store)
    results = asyncio.run(submit_all(batcher, list(range(200))))
    assert results == [None] * 200
    assert stored(opeka) == set(range(200))
    assert batcher.items == 200
    assert batcher.commits < 200


def test_a_failed_commit_is_never_acknowledged(opeka: Opeka, table: Table) -> None:
    def broken(conn: Connection, items: Sequence[int]) -> None:
        store(conn, items)
        raise RuntimeError("disk full")

    batcher: Batcher[int] = Batcher(opeka.data_engine, broken)
    results = asyncio.run(submit_all(batcher, [1, 2, 3]))
    assert all(isinstance(r, NotCommitted) for r in results)
    assert stored(opeka) == set()


def test_a_bad_item_fails_alone(opeka: Opeka, table: Table) -> None:
    def picky(conn: Connection, items: Sequence[int]) -> None:
        if 13 in items:
            raise ValueError("unlucky")
        store(conn, items)

    batcher: Batcher[int] = Batcher(opeka.data_engine, picky)
    results = asyncio.run(submit_all(batcher, list(range(10, 20))))
    assert [type(r).__name__ for r in results].count("NotCommitted") == 1
    assert isinstance(results[3], NotCommitted)
    assert stored(opeka) == set(range(10, 20)) - {13}


def test_unbatched_mode_commits_each_item_alone(opeka: Opeka, table: Table) -> None:
    batcher: Batcher[int] = Batcher(opeka.data_engine, store, max_batch=1)
    assert asyncio.run(submit_all(batcher, list(range(20)))) == [None] * 20
    assert batcher.commits == 20
    assert stored(opeka) == set(range(20))


def test_unbatched_mode_does_not_acknowledge_a_failure(opeka: Opeka, table: Table) -> None:
    def broken(conn: Connection, items: Sequence[int]) -> None:
        raise RuntimeError("disk full")

    batcher: Batcher[int] = Batcher(opeka.data_engine, broken, max_batch=1)
    with pytest.raises(NotCommitted):
        asyncio.run(batcher.submit(1))


def test_batches_are_capped(opeka: Opeka, table: Table) -> None:
    batcher: Batcher[int] = Batcher(opeka.data_engine, store, max_batch=8)
    asyncio.run(submit_all(batcher, list(range(100))))
    assert batcher.commits >= 100 // 8
    assert stored(opeka) == set(range(100))


def test_the_writer_stops_when_idle_and_starts_again(
    opeka: Opeka, table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batcher_module, "IDLE_SECONDS", 0.05)
    batcher: Batcher[int] = Batcher(opeka.data_engine, store)
    asyncio.run(batcher.submit(1))
    deadline = time.monotonic() + 5
    while batcher._writer is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert batcher._writer is None
    asyncio.run(batcher.submit(2))  # a new event loop, a new writer
    assert stored(opeka) == {1, 2}


def test_sqlite_connections_go_back_with_the_engine_durability(opeka: Opeka, table: Table) -> None:
    batcher: Batcher[int] = Batcher(opeka.data_engine, store, max_batch=1)
    asyncio.run(batcher.submit(1))
    if opeka.settings.is_sqlite:
        with opeka.data_engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    with opeka.data_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ITEMS)).scalar() == 1


def test_prepare_sees_each_batch_before_its_transaction(opeka: Opeka, table: Table) -> None:
    seen: list[tuple[int, ...]] = []

    def prepare(items: Sequence[int]) -> None:
        assert stored(opeka).isdisjoint(items)  # nothing of the batch is committed yet
        seen.append(tuple(items))

    batcher: Batcher[int] = Batcher(opeka.data_engine, store, prepare=prepare)
    assert asyncio.run(submit_all(batcher, list(range(50)))) == [None] * 50
    assert sorted(n for batch in seen for n in batch) == list(range(50))
    assert stored(opeka) == set(range(50))


def test_a_failed_prepare_fails_its_batch_and_stores_nothing(opeka: Opeka, table: Table) -> None:
    def prepare(items: Sequence[int]) -> None:
        raise RuntimeError("cannot read")

    batcher: Batcher[int] = Batcher(opeka.data_engine, store, prepare=prepare)
    results = asyncio.run(submit_all(batcher, [1, 2, 3]))
    assert all(isinstance(r, NotCommitted) for r in results)
    assert stored(opeka) == set()
