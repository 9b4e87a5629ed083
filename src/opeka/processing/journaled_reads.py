"""Journaled reads: extract in a read-only transaction, commit the journal entries in groups.

A read changes nothing but the journal. Giving each read a write transaction of its own queues
every reader behind the database's single writer (SQLite's busy handler sleeps in growing steps,
so contention turns into tail latency) or behind one durable commit each (PostgreSQL). Here reads
wait in a queue; a lane — one thread — takes the burst that has gathered, runs each read in a
read-only unit of work, one after the other, then commits all their journal records in one
transaction (:mod:`opeka.db.group_commit`), and only then are the callers answered: no extraction
is answered without its entry in the journal. A refused read is journaled the same way before its
error is raised. Serving a burst from one thread, while the event loop waits, spares the
interpreter-lock hand-offs that a thread per read costs on every database call (measured: half
the CPU per read, twice the throughput on SQLite). SQLite gets one lane; a database across the
network gets :data:`NETWORK_LANES`, since its reads mostly wait for round trips.

    reads = JournaledReads(opeka.services)
    values = await reads.run(lambda uow, defer: Processing(uow, actor, "2.2.7").read(sid))

Small bookkeeping writes a read needs (an API key's "last used" stamp) are passed to ``defer``
and committed in the same group transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy import Connection

from opeka.db.group_commit import AfterCommit, Batcher
from opeka.journal.entry import Record
from opeka.uow import Services, UnitOfWork

R = TypeVar("R")
NETWORK_LANES = 4
"""Lanes on a database over the network, whose reads mostly wait for round trips."""
Write = Callable[[Connection], None]
Defer = Callable[[Write], None]
Work = Callable[[UnitOfWork, Defer], R]


@dataclass(slots=True)
class _Outcome(Generic[R]):
    records: list[Record] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    value: R | None = None
    error: Exception | None = None


@dataclass(slots=True)
class _Job(Generic[R]):
    work: Work[R]
    outcome: _Outcome[R] | None = None


class JournaledReads:
    """Run reads in read-only units of work and group-commit what they journal."""

    def __init__(
        self, services: Services, *, max_batch: int = 64, lanes: int | None = None
    ) -> None:
        self.services = services
        if lanes is None:
            lanes = 1 if services.data_engine.dialect.name == "sqlite" else NETWORK_LANES
        # A lane is one thread that reads a burst of requests one after the other, then commits
        # their entries together: no thread per read, so no hand-offs of the interpreter lock
        # between readers. The journal commits as durably as every other journal entry.
        self.lanes: list[Batcher[_Job[object]]] = [
            Batcher(
                services.data_engine,
                self._apply,
                max_batch=max_batch,
                sync_every_commit=False,
                prepare=self._prepare,
            )
            for _ in range(lanes)
        ]
        self._next = itertools.count()

    @property
    def commits(self) -> int:
        """Transactions committed so far, over every lane."""
        return sum(lane.commits for lane in self.lanes)

    async def run(self, work: Work[R]) -> R:
        """Run ``work``; return its result once its journal entries are committed.

        Raises what ``work`` raised (after its refusals are committed), or
        :class:`~opeka.db.group_commit.NotCommitted` when the journal could not be written — then
        nothing read is returned.
        """
        job: _Job[R] = _Job(work)
        lane = self.lanes[next(self._next) % len(self.lanes)]
        await lane.submit(job)  # type: ignore[arg-type]
        assert job.outcome is not None  # prepared before the commit it waited for
        if job.outcome.error is not None:
            raise job.outcome.error
        return job.outcome.value  # type: ignore[return-value]

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

    def _prepare(self, jobs: Sequence[_Job[object]]) -> None:
        """Run each job's reading (in the batch's thread, before its transaction)."""
        for job in jobs:
            if job.outcome is None:  # each read runs once, whatever happens to its commit
                job.outcome = self._run(job.work)

    def _apply(self, conn: Connection, jobs: Sequence[_Job[object]]) -> AfterCommit | None:
        """Write a group's bookkeeping and journal records; append the checkpoints after commit."""
        outcomes = [job.outcome for job in jobs if job.outcome is not None]
        for outcome in outcomes:
            for write in outcome.writes:
                write(conn)
        records = sorted((r for o in outcomes for r in o.records), key=lambda r: r.time_us)
        if not records:
            return None
        notes = self.services.journal.flush(conn, records)
        checkpoints = self.services.checkpoint_file
        return lambda: checkpoints.append(notes)
