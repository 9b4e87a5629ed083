"""Finishing what a crash interrupted, run at every start (``opeka serve``, ``opeka init``).

* Keys of destroyed subjects still queued in ``key_shred_queue`` are deleted (the data commit
  happened, the key-store step did not).
* Checkpoints committed to the database but not yet appended to the external file are appended.
* Keys without a subject (the key-store commit happened, the data commit did not) are deleted
  once they are older than a grace period, scanning only keys newer than the last scan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update

from opeka.app import Opeka
from opeka.db.base import utcnow
from opeka.db.engine import read_only
from opeka.db.journal import journal_checkpoint
from opeka.db.keys import subject_key
from opeka.db.subjects import key_shred_queue, subject, vault_meta
from opeka.journal.checkpoints import CheckpointError
from opeka.uow import finish_shredding

ORPHAN_GRACE = dt.timedelta(hours=1)
BATCH = 5_000
WATERMARK = "orphan_key_scan_until"


@dataclass(frozen=True, slots=True)
class RecoveryReport:
    """What recovery finished."""

    keys_shredded: int
    checkpoints_appended: int
    orphan_keys_removed: int


def reconcile(opeka: Opeka) -> RecoveryReport:
    """Finish interrupted steps; safe to run at any time, by several processes."""
    return RecoveryReport(
        keys_shredded=_finish_shredding(opeka),
        checkpoints_appended=_append_missing_checkpoints(opeka),
        orphan_keys_removed=_remove_orphan_keys(opeka),
    )


def _finish_shredding(opeka: Opeka) -> int:
    with read_only(opeka.data_engine) as conn:
        queued = [row[0] for row in conn.execute(select(key_shred_queue.c.subject_id))]
    for start in range(0, len(queued), BATCH):
        finish_shredding(opeka.services, queued[start : start + BATCH])
    return len(queued)


def _append_missing_checkpoints(opeka: Opeka) -> int:
    file = opeka.services.checkpoint_file
    try:
        known = set(file.read())
    except CheckpointError:
        return 0  # a damaged file is for `opeka journal verify` to report, not to paper over
    with read_only(opeka.data_engine) as conn:
        rows = conn.execute(select(journal_checkpoint.c.note).order_by(journal_checkpoint.c.size))
        missing = [row.note for row in rows if row.note not in known]
    file.append(missing)
    return len(missing)


def _remove_orphan_keys(opeka: Opeka) -> int:
    cutoff = utcnow() - ORPHAN_GRACE
    with read_only(opeka.data_engine) as conn:
        mark = conn.execute(
            select(vault_meta.c.value).where(vault_meta.c.name == WATERMARK)
        ).scalar()
    since = dt.datetime.fromisoformat(mark) if mark else dt.datetime.min.replace(tzinfo=dt.UTC)
    removed = 0
    with opeka.keys_engine.connect() as keys:
        candidates = [
            row[0]
            for row in keys.execute(
                select(subject_key.c.subject_id).where(
                    subject_key.c.created_at > since, subject_key.c.created_at <= cutoff
                )
            )
        ]
    for start in range(0, len(candidates), BATCH):
        chunk = candidates[start : start + BATCH]
        with read_only(opeka.data_engine) as conn:
            present = {
                r[0] for r in conn.execute(select(subject.c.id).where(subject.c.id.in_(chunk)))
            }
        orphans = [sid for sid in chunk if sid not in present]
        if orphans:
            with opeka.keys_engine.begin() as keys:
                keys.execute(delete(subject_key).where(subject_key.c.subject_id.in_(orphans)))
            removed += len(orphans)
    with opeka.data_engine.begin() as conn:
        values = {"value": cutoff.isoformat()}
        if mark is None:
            conn.execute(insert(vault_meta).values(name=WATERMARK, **values))
        else:
            conn.execute(update(vault_meta).where(vault_meta.c.name == WATERMARK).values(**values))
    return removed
