"""Several processes at once: sweepers never destroy a subject twice; numbers never repeat.

Each worker is a separate OS process (``spawn``) with its own :class:`Opeka`, started together
at a barrier (bodies in :mod:`tests.requests.workers`). Sweepers claim actions with
``FOR UPDATE SKIP LOCKED`` (PostgreSQL); numbers come from a per-year counter row locked until
commit (both backends).
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable
from multiprocessing.queues import Queue

import pytest
from tests.requests import workers
from tests.requests.support import (
    STAFF,
    collect_client,
    collect_visitor,
    journal,
    msk,
    open_request,
    verify,
)

from opeka.app import Opeka
from opeka.requests import service

WORKERS = 2
PER_WORKER = 4
SUBJECTS = 8
WITHDRAWALS = 4


def run(target: Callable[..., None], *args: object) -> list[workers.Report]:
    """Run ``WORKERS`` processes of ``target`` at a barrier; collect what each reports."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(WORKERS)
    results: Queue[workers.Report] = context.Queue()
    settings, *rest = args
    processes = [
        context.Process(target=target, args=(settings, start, results, *rest), daemon=True)
        for _ in range(WORKERS)
    ]
    for process in processes:
        process.start()
    try:
        collected = [results.get(timeout=workers.TIMEOUT) for _ in processes]
    finally:
        for process in processes:
            process.join(workers.TIMEOUT)
            if process.is_alive():
                process.kill()
    assert [p.exitcode for p in processes] == [0] * WORKERS
    return collected


@pytest.mark.postgres
def test_concurrent_sweepers_execute_and_destroy_each_exactly_once(opeka: Opeka) -> None:
    if opeka.settings.is_sqlite:
        pytest.skip("SQLite serialises writers; SKIP LOCKED concerns PostgreSQL")
    scheduled = [collect_client(opeka, i) for i in range(SUBJECTS)]
    with opeka.unit_of_work() as uow:
        for sid in scheduled:
            service.schedule_destruction(
                uow,
                subject_id=sid,
                request_id=None,
                reason_code="withdrawal",
                due=workers.SWEEP_DAY,
                actor=STAFF,
            )
    withdrawing = [collect_visitor(opeka, i, ("2.2.8",)) for i in range(WITHDRAWALS)]
    numbers = []
    for sid in withdrawing:  # verified, not executed: both sweepers will reach for them
        row = open_request(opeka, "withdrawal", msk(2026, 1, 5), subject_id=sid, purposes=["*"])
        verify(opeka, row.id)
        numbers.append(row.number)

    reported = run(workers.sweeper, opeka.settings)

    assert [errors for _, errors in reported] == [[]] * WORKERS
    destroyed = Counter(sid for batch, _ in reported for sid in batch)
    assert destroyed == Counter(str(sid) for sid in [*scheduled, *withdrawing])
    entries = journal(opeka)
    assert Counter(e.subject_id for e in entries if e.action == "уничтожение") == Counter(
        [*scheduled, *withdrawing]
    )
    started = Counter(
        e.reason.split(":")[0] for e in entries if "verified → in_progress" in e.reason
    )
    assert started == Counter(f"запрос {n}" for n in numbers)


def test_concurrent_registrations_get_distinct_consecutive_numbers(opeka: Opeka) -> None:
    reported = run(workers.registrar, opeka.settings, PER_WORKER)
    numbers = sorted(n for batch, _ in reported for n in batch)
    assert numbers == [f"2026-{i:06d}" for i in range(1, WORKERS * PER_WORKER + 1)]
    for batch, _ in reported:
        assert batch == sorted(batch)  # each process sees its own numbers grow
