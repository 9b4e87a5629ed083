"""Journaled reads: extract in a read-only transaction, commit the journal entries in groups.

A read changes nothing but the journal. Giving each read a write transaction of its own queues
every reader behind the database's single writer (SQLite's busy handler sleeps in growing steps,
so contention turns into tail latency) or behind one durable commit each (PostgreSQL). Here the
read runs in a read-only unit of work in a worker thread; its journal records join the group
commit (:mod:`opeka.db.group_commit`) shared with concurrent reads; and the caller gets the values
only once that transaction has committed. So the spine's promise holds — no extraction is answered
without its entry in the journal — while a hundred reads cost one commit. A refused read is
journaled the same way before its error is raised.

    reads = JournaledReads(opeka.services)
    values = await reads.run(lambda uow, defer: Processing(uow, actor, "2.2.7").read(sid))

Small bookkeeping writes a read needs (an API key's "last used" stamp) are passed to ``defer``
and committed in the same group transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy import Connection

from opeka.db.group_commit import AfterCommit, Batcher
from opeka.journal.entry import Record
from opeka.uow import Services, UnitOfWork

R = TypeVar("R")
READ_THREADS = 4
"""Reads at once: they hold the GIL between short queries, so more threads only add switches."""
Write = Callable[[Connection], None]
Defer = Callable[[Write], None]
Work = Callable[[UnitOfWork, Defer], R]


@dataclass(slots=True)
class _Outcome(Generic[R]):
    records: list[Record] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    value: R | None = None
    error: Exception | None = None


@dataclass(frozen=True, slots=True)
class _Entry:
    records: Sequence[Record]
    writes: Sequence[Write]


class JournaledReads:
    """Run reads in read-only units of work and group-commit what they journal."""

    def __init__(
        self, services: Services, *, max_batch: int = 256, threads: int = READ_THREADS
    ) -> None:
        self.services = services
        self.threads = anyio.CapacityLimiter(threads)
        # The journal of a read commits as durably as every other journal entry (the engine's
        # own setting), not with the extra sync per commit the cookie events ask for.
        self.group: Batcher[_Entry] = Batcher(
            services.data_engine, self._apply, max_batch=max_batch, sync_every_commit=False
        )

    async def run(self, work: Work[R]) -> R:
        """Run ``work`` in a worker thread; return its result once its journal is committed.

        Raises what ``work`` raised (after its refusals are committed), or
        :class:`~opeka.db.group_commit.NotCommitted` when the journal could not be written — then
        nothing read is returned.
        """
        outcome: _Outcome[R] = await anyio.to_thread.run_sync(self._run, work, limiter=self.threads)
        if outcome.records or outcome.writes:
            await self.group.submit(_Entry(outcome.records, outcome.writes))
        if outcome.error is not None:
            raise outcome.error
        return outcome.value  # type: ignore[return-value]

    def run_sync(self, work: Work[R]) -> R:
        """:meth:`run` for callers without an event loop: the records commit on their own."""
        outcome: _Outcome[R] = self._run(work)
        if outcome.records or outcome.writes:
            with self.services.data_engine.begin() as conn:
                after = self._apply(conn, [_Entry(outcome.records, outcome.writes)])
            if after is not None:
                after()
        if outcome.error is not None:
            raise outcome.error
        return outcome.value  # type: ignore[return-value]

    def _run(self, work: Work[R]) -> _Outcome[R]:
        outcome: _Outcome[R] = _Outcome()
        uow = UnitOfWork(self.services, read_only=True)
        try:
            try:
                outcome.value = work(uow, outcome.writes.append)
            except Exception as exc:
                outcome.error = exc
                outcome.writes.clear()
            outcome.records = uow.take_records(failed=outcome.error is not None)
        finally:
            uow.close()
        return outcome

    def _apply(self, conn: Connection, entries: Sequence[_Entry]) -> AfterCommit | None:
        """Write a group's bookkeeping and journal records; append the checkpoints after commit."""
        for entry in entries:
            for write in entry.writes:
                write(conn)
        records = sorted((r for e in entries for r in e.records), key=lambda r: r.time_us)
        if not records:
            return None
        notes = self.services.journal.flush(conn, records)
        checkpoints = self.services.checkpoint_file
        return lambda: checkpoints.append(notes)
