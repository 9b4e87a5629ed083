"""The unit of work: one transaction on the data, plus the key-store steps ordered around it.

The data, their blind indexes and the journal entries commit together in one transaction of the
data database. The key store is a separate database whose commits cannot join that transaction,
so its steps are ordered to leave only harmless states after a crash:

1. new wrapped keys commit *before* the data (a crash leaves a key without data: unreadable,
   and removed by :func:`opeka.processing.recovery.reconcile`);
2. the data, indexes and journal commit;
3. keys of destroyed subjects are deleted *after* (a crash leaves a destroyed subject whose key
   is still queued in ``key_shred_queue``; the next start finishes the deletion).

A refused operation is journaled even when the unit of work rolls back: its refusal records are
written in a transaction of their own after the rollback.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, Engine, delete, insert

from opeka.db.base import utcnow
from opeka.db.bulk import insert_tuples
from opeka.db.engine import read_only as db_read_only
from opeka.db.keys import subject_key
from opeka.db.subjects import key_shred_queue
from opeka.journal.checkpoints import CheckpointFile
from opeka.journal.entry import Record
from opeka.journal.writer import JournalWriter
from opeka.policy.rules import Rules
from opeka.vault.blind_index import BlindIndexer
from opeka.vault.sealing import Sealer

DestroyHook = Callable[["UnitOfWork", uuid.UUID], None]


@dataclass(frozen=True, slots=True)
class Services:
    """What a unit of work needs, built once by :class:`opeka.app.Opeka`."""

    rules: Rules
    data_engine: Engine
    keys_engine: Engine
    wrapper: AESGCM
    master_key_id: str
    indexer: BlindIndexer
    sealer: Sealer
    journal: JournalWriter
    checkpoint_file: CheckpointFile
    on_destroy: tuple[DestroyHook, ...] = ()
    """Run in the destroying transaction, e.g. to remove the portal account and sessions."""


@dataclass(slots=True)
class _Pending:
    records: list[Record] = field(default_factory=list)
    refusals: list[Record] = field(default_factory=list)
    new_keys: dict[uuid.UUID, bytes] = field(default_factory=dict)
    doomed_keys: list[uuid.UUID] = field(default_factory=list)


class UnitOfWork:
    """Use as a context manager: commits on success, rolls back (keeping refusals) on error."""

    def __init__(self, services: Services, *, read_only: bool = False) -> None:
        self.services = services
        self.read_only = read_only
        self._data: Connection | None = None
        self._keys: Connection | None = None
        self._pending = _Pending()
        self.key_cache: dict[uuid.UUID, AESGCM] = {}
        self.closed = False

    @property
    def data(self) -> Connection:
        """The data connection; its transaction begins on first use."""
        if self._data is None:
            engine = self.services.data_engine
            self._data = db_read_only(engine) if self.read_only else engine.connect()
        return self._data

    @property
    def keys(self) -> Connection:
        """A read connection to the key store."""
        if self._keys is None:
            self._keys = self.services.keys_engine.connect()
        return self._keys

    def journal(self, record: Record) -> None:
        """Queue a record; it is written in the same transaction as the change."""
        self._pending.records.append(record)

    def refuse(self, record: Record) -> None:
        """Queue a refusal; it is written whether or not the unit of work commits."""
        self._pending.refusals.append(record)

    def add_key(self, subject_id: uuid.UUID, wrapped: bytes) -> None:
        """Queue a new wrapped key (committed to the key store before the data)."""
        self._pending.new_keys[subject_id] = wrapped

    def pending_key(self, subject_id: uuid.UUID) -> bytes | None:
        """A wrapped key added in this unit of work and not yet committed."""
        return self._pending.new_keys.get(subject_id)

    def shred_key(self, subject_id: uuid.UUID) -> None:
        """Queue a subject's key for deletion after the data commit (crypto-shredding)."""
        self.data.execute(insert(key_shred_queue).values(subject_id=subject_id, queued_at=utcnow()))
        self._pending.doomed_keys.append(subject_id)
        self._pending.new_keys.pop(subject_id, None)
        self.key_cache.pop(subject_id, None)

    def commit(self) -> None:
        """Commit in the crash-safe order described in the module docstring."""
        pending, self._pending = self._pending, _Pending()
        services = self.services
        self._end_key_reads()
        if pending.new_keys:
            now, key_id = utcnow(), services.master_key_id
            with services.keys_engine.begin() as keys:
                insert_tuples(
                    keys,
                    subject_key,
                    ("subject_id", "wrapped", "master_key_id", "created_at"),
                    [(sid, w, key_id, now) for sid, w in pending.new_keys.items()],
                )
        records = sorted(pending.records + pending.refusals, key=lambda r: r.time_us)
        if self._data is None and not records:
            return
        notes = services.journal.flush(self.data, records) if records else []
        self.data.commit()
        services.checkpoint_file.append(notes)
        if pending.doomed_keys:
            finish_shredding(services, pending.doomed_keys)

    def take_records(self, *, failed: bool) -> list[Record]:
        """End a read-only unit of work: its journal records, to be committed by the caller.

        The reads' transactions end here (nothing was changed); ``failed`` keeps only the
        refusals, as :meth:`rollback` would. A unit of work that queued keys is not a read.
        """
        if not self.read_only:
            raise RuntimeError("take_records ends read-only units of work only")
        pending, self._pending = self._pending, _Pending()
        if pending.new_keys or pending.doomed_keys:
            raise RuntimeError("a read-only unit of work may not create or shred keys")
        self._end_key_reads()
        if self._data is not None:
            self._data.rollback()
        records = pending.refusals if failed else pending.records + pending.refusals
        return sorted(records, key=lambda r: r.time_us)

    def _end_key_reads(self) -> None:
        """Finish the key-store read transaction (a reader would block the key-store writer)."""
        if self._keys is not None:
            self._keys.rollback()

    def rollback(self) -> None:
        """Discard the changes; journal the refusals in a transaction of their own."""
        refusals = self._pending.refusals
        self._pending = _Pending()
        self._end_key_reads()
        if self._data is not None:
            self._data.rollback()
        if refusals:
            with self.services.data_engine.begin() as conn:
                notes = self.services.journal.flush(conn, refusals)
            self.services.checkpoint_file.append(notes)

    def close(self) -> None:
        """Release the connections."""
        for conn in (self._data, self._keys):
            if conn is not None:
                conn.close()
        self._data = self._keys = None
        self.closed = True

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self.commit()
            else:
                self.rollback()
        finally:
            self.close()


def finish_shredding(services: Services, subject_ids: list[uuid.UUID]) -> None:
    """Delete the keys of destroyed subjects, then clear them from the shred queue."""
    with services.keys_engine.begin() as keys:
        keys.execute(delete(subject_key).where(subject_key.c.subject_id.in_(subject_ids)))
    with services.data_engine.begin() as conn:
        conn.execute(delete(key_shred_queue).where(key_shred_queue.c.subject_id.in_(subject_ids)))
