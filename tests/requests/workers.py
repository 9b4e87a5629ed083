"""Bodies of the worker processes of the concurrency tests (kept light: spawned children import
this module, not the test module with pytest)."""

from __future__ import annotations

import datetime as dt
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from opeka.app import Opeka
from opeka.processing import Actor
from opeka.requests import service
from opeka.requests.clock import MOSCOW
from opeka.requests.sweep import sweep
from opeka.settings import Settings

TIMEOUT = 60.0
SWEEP_DAY = dt.date(2026, 2, 9)
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=MOSCOW)

Report = tuple[list[str], list[str]]
"""What a worker reports: its results, and the errors it met (type names)."""


def sweeper(settings: Settings, start: Barrier, results: Queue[Report]) -> None:
    """One sweeper: report the subjects it destroyed."""
    opeka = Opeka(settings)
    try:
        start.wait(timeout=TIMEOUT)
        report = sweep(opeka, today=SWEEP_DAY, actor=Actor.system("requests-sweep"))
        destroyed = [str(item.subject_id) for item in report.destroyed if item.destroyed]
        results.put((destroyed, [f.error for f in report.failures]))
    finally:
        opeka.close()


def registrar(settings: Settings, start: Barrier, results: Queue[Report], n: int) -> None:
    """One registrar: open ``n`` requests, report their numbers."""
    opeka = Opeka(settings)
    numbers = []
    try:
        start.wait(timeout=TIMEOUT)
        for _ in range(n):
            with opeka.unit_of_work() as uow:
                row = service.open_request(
                    uow,
                    kind="access",
                    channel="email",
                    received_at=NOW,
                    subject_id=None,
                    actor=Actor.staff("ivanova"),
                    now=NOW,
                )
            numbers.append(row.number)
        results.put((numbers, []))
    finally:
        opeka.close()
