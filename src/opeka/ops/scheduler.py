"""Periodic jobs run by ``opeka serve``: recovery and the time-based journal checkpoint."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from opeka.app import Opeka
from opeka.auth import maintenance
from opeka.auth.context import Auth
from opeka.mail.factory import build_mailer
from opeka.ops import logs
from opeka.ops.recovery import reconcile
from opeka.requests import notices
from opeka.requests.sweep import sweep_now

log = logs.get("scheduler")


def checkpoint_now(opeka: Opeka) -> int:
    """Sign a checkpoint if the journal grew since the last one; return how many were signed."""
    with opeka.data_engine.begin() as conn:
        notes = opeka.services.journal.flush(conn, [], force=True)
    opeka.services.checkpoint_file.append(notes)
    return len(notes)


def tick(opeka: Opeka) -> None:
    """One round of periodic work: checkpoint, recovery, due requests, expired auth state."""
    signed = checkpoint_now(opeka)
    report = reconcile(opeka)
    swept = sweep_now(opeka)
    notified = notices.send_due(opeka, build_mailer(opeka.settings))
    if notified.sent or notified.failed:
        log.info("periodic: notices sent %d, failed %d", notified.sent, notified.failed)
    with opeka.data_engine.begin() as conn:
        maintenance.purge(conn, auth=Auth.from_opeka(opeka))
    if swept.executed or swept.destroyed or swept.failures:
        log.info(
            "periodic: sweep executed %d, destroyed %d, failed %d",
            len(swept.executed),
            len(swept.destroyed),
            len(swept.failures),
        )
    if signed or report.keys_shredded or report.orphan_keys_removed:
        log.info(
            "periodic: checkpoints=%d keys_shredded=%d orphan_keys=%d",
            signed,
            report.keys_shredded,
            report.orphan_keys_removed,
        )


async def run_periodically(opeka: Opeka, every_seconds: float) -> None:
    """Call :func:`tick` every ``every_seconds`` in a worker thread until cancelled."""
    while True:
        await asyncio.sleep(every_seconds)
        try:
            await asyncio.to_thread(tick, opeka)
        except Exception:  # a failed round is logged and retried next time
            log.exception("periodic round failed")


@contextlib.asynccontextmanager
async def running(opeka: Opeka, every_seconds: float) -> AsyncIterator[None]:
    """Run the periodic jobs for the lifetime of the web application."""
    task = asyncio.create_task(run_periodically(opeka, every_seconds))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
