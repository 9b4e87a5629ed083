"""Appending to the journal inside the caller's transaction.

Records are buffered by the unit of work and written by :meth:`JournalWriter.flush` just before
the commit, in the same transaction as the change they describe. ``flush`` locks the single head
row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite transactions are already serialised by
``BEGIN IMMEDIATE``), so that sequence numbers stay strictly ordered and the chain unbroken with
several writing processes. It signs a checkpoint every N entries or T seconds; the notes it
returns are appended to the external checkpoint file after the commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, bindparam, insert, select, update

from opeka.db.bulk import insert_tuples
from opeka.db.journal import journal_checkpoint, journal_entry, journal_head
from opeka.journal import checkpoints
from opeka.journal.entry import GENESIS, Record, encode, now_us
from opeka.journal.errors import JournalNotInitialised
from opeka.journal.merkle import CompactRange

HEAD_ID = 1
_HEAD = select(journal_head).where(journal_head.c.id == HEAD_ID).with_for_update()
_MOVE_HEAD = (
    update(journal_head)
    .where(journal_head.c.id == HEAD_ID)
    .values(
        size=bindparam("new_size"),
        last_leaf=bindparam("new_leaf"),
        compact_range=bindparam("new_range"),
        checkpoint_size=bindparam("cp_size"),
        checkpoint_time_us=bindparam("cp_time"),
    )
)


@dataclass(frozen=True, slots=True)
class CheckpointPolicy:
    """When to sign a checkpoint: after ``every_entries`` entries or ``every_seconds``."""

    every_entries: int = 1024
    every_seconds: float = 60.0


class JournalWriter:
    """Writes journal entries and checkpoints; holds no state between transactions."""

    def __init__(self, *, signer: Ed25519PrivateKey, origin: str, policy: CheckpointPolicy) -> None:
        self._signer = signer
        self._origin = origin
        self._policy = policy

    def initialise(self, conn: Connection) -> bool:
        """Create the head row of an empty journal; False if it already exists."""
        if conn.execute(select(journal_head.c.id)).first() is not None:
            return False
        conn.execute(
            insert(journal_head).values(
                id=HEAD_ID,
                size=0,
                last_leaf=GENESIS,
                compact_range=CompactRange().to_bytes(),
                checkpoint_size=0,
                checkpoint_time_us=now_us(),
            )
        )
        return True

    def flush(
        self, conn: Connection, records: Sequence[Record], *, force: bool = False
    ) -> list[str]:
        """Append ``records``; return the notes of checkpoints signed on the way."""
        if not records and not force:
            return []
        head = conn.execute(_HEAD).first()
        if head is None:
            raise JournalNotInitialised("the journal is not initialised; run `opeka init`")
        tree = CompactRange.from_bytes(head.compact_range)
        size, prev = head.size, head.last_leaf
        cp_size, cp_time = head.checkpoint_size, head.checkpoint_time_us
        rows: list[tuple[int, bytes]] = []
        notes: list[tuple[int, int, str]] = []
        sha256 = hashlib.sha256
        for record in records:
            size += 1
            blob = encode(record, seq=size, prev_leaf=prev)
            prev = sha256(b"\x00" + blob).digest()
            tree.append(prev)
            rows.append((size, blob))
            if size % self._policy.every_entries == 0:  # aligned: every N-th entry
                notes.append(self._sign(size, tree.root()))
                cp_size, cp_time = size, notes[-1][1]
        now = now_us()
        due = (now - cp_time) / 1e6 >= self._policy.every_seconds
        if size > cp_size and (due or force):
            notes.append(self._sign(size, tree.root()))
            cp_size, cp_time = size, notes[-1][1]
        insert_tuples(conn, journal_entry, ("seq", "entry"), rows)
        if notes:
            conn.execute(
                insert(journal_checkpoint),
                [{"size": s, "time_us": t, "note": n} for s, t, n in notes],
            )
        conn.execute(
            _MOVE_HEAD,
            {
                "new_size": size,
                "new_leaf": prev,
                "new_range": tree.to_bytes(),
                "cp_size": cp_size,
                "cp_time": cp_time,
            },
        )
        return [n for _, _, n in notes]

    def _sign(self, size: int, root: bytes) -> tuple[int, int, str]:
        time_us = now_us()
        note = checkpoints.sign(
            self._signer, origin=self._origin, size=size, root=root, time_us=time_us
        )
        return size, time_us, note
