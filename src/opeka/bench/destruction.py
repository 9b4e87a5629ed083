"""Destruction at scale: one subject end to end with its act, and a sweep of due subjects.

Both take an initialised :class:`~opeka.app.Opeka` holding the bench's imported clients
(:func:`opeka.bench.measure.run_backend` makes one) and return table rows:

* :func:`destroy_with_act` — p50/p95/p99 of one subject's destruction end to end: values and
  index entries deleted, key shredded after the commit, journal entries, and the act of
  destruction (name captured, sealed, numbered) in the same unit of work. Goal p50 ≤ 20 ms,
  i.e. ≥ 35× faster than Fides' ≈ 0.7 s for a two-collection erasure.
* :func:`sweep_throughput` — destruction of ``count`` subjects scheduled as due today through
  the requests module, then one sweep (claim, destroy, act, mark done per subject): subjects/s.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable

from sqlalchemy import func, select

from opeka.app import Opeka
from opeka.bench.results import Result
from opeka.db.engine import read_only
from opeka.db.subjects import subject
from opeka.documents import acts
from opeka.processing.actor import Actor
from opeka.processing.subjects import Status
from opeka.requests.clock import moscow_today
from opeka.requests.journaling import DUTY
from opeka.requests.scheduling import schedule_destruction
from opeka.requests.sweep import sweep

__all__ = ["destroy_with_act", "measure", "sweep_throughput"]

STAFF = Actor.staff("bench")
SWEEPER = Actor.system("requests-sweep")
FIDES_ERASURE_S = 0.7
SCHEDULE_BATCH = 1000
Log = Callable[[str], None]


def _active(opeka: Opeka, count: int) -> tuple[int, list[uuid.UUID]]:
    """The number of subjects, and ``count`` random active ones."""
    with read_only(opeka.data_engine) as conn:
        total = conn.execute(select(func.count()).select_from(subject)).scalar_one()
        query = (
            select(subject.c.id)
            .where(subject.c.status == Status.ACTIVE.value)
            .order_by(func.random())
            .limit(count)
        )
        return int(total), list(conn.execute(query).scalars())


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return pick(0.5), pick(0.95), pick(0.99)


def destroy_with_act(opeka: Opeka, backend: str, *, count: int, log: Log) -> Result:
    """Time ``count`` single-subject destructions, each with its act, in one unit of work."""
    log(f"  {count} destructions with acts")
    total, ids = _active(opeka, count)
    samples: list[float] = []
    for sid in ids:
        start = time.perf_counter()
        with opeka.processing(STAFF, DUTY) as p:
            result = p.destroy(sid, reason_code="withdrawal", capture_identifier=True)
            acts.record_act(p.uow, [result], STAFF)
        samples.append(time.perf_counter() - start)
    p50, p95, p99 = percentiles(samples)
    return Result(
        f"destroy one subject at {total:,} with its act (p50 / p95 / p99)",
        backend,
        f"{p50 * 1000:.2f} / {p95 * 1000:.2f} / {p99 * 1000:.2f} ms "
        f"({FIDES_ERASURE_S / p50:,.0f}× Fides)",
        "p50 ≤ 20 ms (≥ 35× Fides ≈ 0.7 s)",
        p50 <= 0.020,
    )


def _schedule(opeka: Opeka, ids: list[uuid.UUID], due: dt.date) -> None:
    for start in range(0, len(ids), SCHEDULE_BATCH):
        with opeka.unit_of_work() as uow:
            for sid in ids[start : start + SCHEDULE_BATCH]:
                schedule_destruction(
                    uow,
                    subject_id=sid,
                    request_id=None,
                    reason_code="retention_expired",
                    due=due,
                    actor=STAFF,
                )


def sweep_throughput(opeka: Opeka, backend: str, *, count: int, log: Log) -> Result:
    """Schedule ``count`` destructions due today, then time one sweep performing them."""
    today = moscow_today()
    _, ids = _active(opeka, count)
    log(f"  scheduling {len(ids):,} destructions, then one sweep")
    _schedule(opeka, ids, today)
    start = time.perf_counter()
    report = sweep(opeka, today=today, actor=SWEEPER, on_destroyed=acts.for_sweep(SWEEPER))
    elapsed = time.perf_counter() - start
    destroyed = sum(item.destroyed for item in report.destroyed)
    if report.failures or destroyed != len(ids):
        raise RuntimeError(
            f"sweep destroyed {destroyed} of {len(ids)} ({len(report.failures)} failed)"
        )
    return Result(
        f"sweep destroying {destroyed:,} due subjects, acts included",
        backend,
        f"{destroyed / elapsed:,.0f} subjects/s ({elapsed:.1f} s)",
        "",
        None,
    )


def measure(
    opeka: Opeka, backend: str, *, destroys: int = 200, sweep_subjects: int = 10_000, log: Log
) -> list[Result]:
    """Both measurements, in this order (the sweep takes subjects the first left active)."""
    return [
        destroy_with_act(opeka, backend, count=destroys, log=log),
        sweep_throughput(opeka, backend, count=sweep_subjects, log=log),
    ]
