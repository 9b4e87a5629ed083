"""Group commit: concurrent writes share one transaction; each caller resumes after the commit.

``await batcher.submit(item)`` returns only once the transaction holding ``item`` has committed,
so a request answered 2xx is durable; if the commit fails, it raises the caller's ``failure``
exception (by default :class:`NotCommitted`) and the request is answered with an error (the sender
may retry). A writer thread takes every queued
item (up to ``max_batch``) into one transaction; while it commits, new items queue up for the
next one, so the batch size follows the load with no added delay. A failed batch is retried
item by item, so that one bad item fails alone. ``prepare``, when given, runs first on the whole
batch in the writer thread, outside the transaction (journaled reads do their reading there, so
that a burst of requests is served by one thread). ``apply`` may return an action to run once the
transaction has committed (e.g. appending signed checkpoints to a file).

Used by the cookie consent-event and page-view endpoints and by journaled reads
(:mod:`opeka.processing.journaled_reads`).

With ``sync_every_commit`` (the default) the writer's SQLite connection commits with
``synchronous=FULL`` (the WAL is synced at every commit, so a power cut cannot lose an
acknowledged event); grouping makes that affordable. Without it the connection keeps the
engine's own setting, the one every other transaction of Opeka commits with (WAL,
``synchronous=NORMAL``: an acknowledged commit survives a crash of the process).
PostgreSQL commits durably by default. The writer keeps its connection only while items keep
coming, and its thread ends after a second without work (started again on demand), so an idle
batcher holds nothing.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")
AfterCommit = Callable[[], None]
Apply = Callable[[Connection, Sequence[T]], AfterCommit | None]
Prepare = Callable[[Sequence[T]], None]
IDLE_SECONDS = 1.0
log = logging.getLogger("opeka.db")


class NotCommitted(Exception):
    """The transaction holding an item could not be committed; the item is not stored."""


_Queued = tuple[T, asyncio.Future[None], asyncio.AbstractEventLoop]


class Batcher(Generic[T]):
    """Commit items submitted concurrently in shared transactions on ``engine``."""

    def __init__(
        self,
        engine: Engine,
        apply: Apply[T],
        *,
        max_batch: int = 512,
        failure: Callable[[], Exception] = NotCommitted,
        sync_every_commit: bool = True,
        prepare: Prepare[T] | None = None,
    ) -> None:
        self.engine = engine
        self.apply = apply
        self.prepare = prepare
        self.failure = failure
        self.sync_every_commit = sync_every_commit
        self.max_batch = max_batch
        self.commits = 0
        self.items = 0
        self._queue: queue.SimpleQueue[_Queued[T]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._writer: threading.Thread | None = None
        self._conn: Connection | None = None  # the writer's, while items keep coming

    async def submit(self, item: T) -> None:
        """Queue ``item``; return when it is committed, or raise ``failure()``.

        With ``max_batch=1`` every item commits alone, concurrently (the unbatched baseline).
        """
        if self.max_batch == 1:
            if await asyncio.to_thread(self._process, [item]):
                raise self.failure()
            return
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        self._queue.put((item, done, loop))
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write, name="opeka-batcher")
                self._writer.daemon = True
                self._writer.start()
        await done

    def _write(self) -> None:
        """The writer thread: commit whatever is queued, then wake its waiters."""
        while True:
            try:
                batch = [self._queue.get(timeout=IDLE_SECONDS)]
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._writer = None
                        return
                continue
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            failed = self._process([item for item, _, _ in batch])
            if self._queue.empty():  # nothing more for now: hand the connection back first
                self._release()
            self._wake(batch, failed)

    def _wake(self, batch: list[_Queued[T]], failed: set[int]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[None], bool]]]
        by_loop = defaultdict(list)
        for index, (_, done, loop) in enumerate(batch):
            by_loop[loop].append((done, index not in failed))
        for loop, outcomes in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle, outcomes, self.failure)
            except RuntimeError:  # the loop is closed: nobody is waiting any more
                log.warning("a batch committed after its event loop closed")

    def _process(self, items: list[T]) -> set[int]:
        """Prepare ``items`` (outside any transaction), commit them; the indexes that failed."""
        if self.prepare is not None:
            try:
                self.prepare(items)
            except Exception:
                log.exception("a batch could not be prepared")
                return set(range(len(items)))
        return self._commit_all(items)

    def _commit_all(self, items: list[T]) -> set[int]:
        """Commit ``items`` together, or one by one if that fails; the indexes that failed."""
        try:
            self._commit(items)
            return set()
        except Exception:
            if len(items) == 1:
                log.exception("a batch of 1 could not be committed")
                return {0}
        failed: set[int] = set()
        for index, item in enumerate(items):
            try:
                self._commit([item])
            except Exception:
                log.exception("an item could not be committed")
                failed.add(index)
        return failed

    def _commit(self, items: Sequence[T]) -> None:
        writer = threading.current_thread() is self._writer
        conn = self._conn if writer else None
        if conn is None:
            conn = _open(self.engine, full_sync=self.sync_every_commit)
            if writer:
                self._conn = conn
        try:
            with conn.begin():
                after = self.apply(conn, items)
        except Exception:
            if writer:
                self._release()
            raise
        finally:
            if not writer:
                _close(conn, full_sync=self.sync_every_commit)
        self.commits += 1
        self.items += len(items)
        if after is not None:
            try:
                after()
            except Exception:  # committed already: report, and do not fail the items
                log.exception("an after-commit action failed")

    def _release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            _close(conn, full_sync=self.sync_every_commit)


def _settle(
    outcomes: list[tuple[asyncio.Future[None], bool]], failure: Callable[[], Exception]
) -> None:
    """Resolve the waiters of a committed batch (on their event loop)."""
    for done, ok in outcomes:
        if done.done():  # the caller went away (cancelled)
            continue
        if ok:
            done.set_result(None)
        else:
            done.set_exception(failure())


def _open(engine: Engine, *, full_sync: bool) -> Connection:
    conn = engine.connect()
    if full_sync and conn.dialect.name == "sqlite":
        conn.connection.driver_connection.execute("PRAGMA synchronous=FULL")  # type: ignore[union-attr]
    return conn


def _close(conn: Connection, *, full_sync: bool) -> None:
    """Give a connection back to the pool with the engine's own durability setting."""
    try:
        if full_sync and conn.dialect.name == "sqlite":
            conn.connection.driver_connection.execute("PRAGMA synchronous=NORMAL")  # type: ignore[union-attr]
    except Exception:
        conn.invalidate()
    conn.close()
