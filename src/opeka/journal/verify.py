"""Verification of the whole journal against its chain and its signed checkpoints.

What is caught, and how:

* an edited entry — its leaf hash no longer matches the next entry's link, or (for the newest
  entry) the head row and the checkpoints' Merkle roots;
* a deleted or inserted entry — a gap or a break in the sequence and the chain;
* reordered entries — the sequence number inside the hashed bytes differs from the row's;
* an edited index column (subject, time) — it differs from the hashed bytes;
* truncation of the tail, or a wholesale rewrite with a fresh chain — the signed checkpoints
  (in the database and in the file outside it) no longer match, and cannot be re-signed without
  the signing key, which is not in the database.

Entries written after the newest checkpoint are protected by the chain only; checkpoints are
signed every N entries or T seconds, which bounds that window.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, String, select, type_coerce

from opeka.db.journal import journal_checkpoint, journal_entry, journal_head
from opeka.journal.checkpoints import Checkpoint, CheckpointError, CheckpointFile, verify
from opeka.journal.entry import GENESIS, HEADER, NO_SUBJECT
from opeka.journal.errors import JournalCorrupt
from opeka.journal.merkle import CompactRange

BATCH = 20_000


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What an intact journal holds."""

    entries: int
    checkpoints: int
    newest_checkpoint: int
    unsigned_tail: int


def verify_journal(
    conn: Connection, *, public_key: Ed25519PublicKey, checkpoint_file: CheckpointFile
) -> VerifyReport:
    """Verify every entry and checkpoint; raise :class:`JournalCorrupt` at the first problem."""
    signed = _checkpoints(conn, public_key, checkpoint_file)
    size, last_leaf = _walk_entries(conn, signed)
    head = conn.execute(select(journal_head.c.size, journal_head.c.last_leaf)).first()
    if head is None or head.size != size or head.last_leaf != last_leaf:
        bad = size if head is not None and head.size == size else None
        raise JournalCorrupt(
            f"the journal head does not match its {size} entries (newest entry altered?)",
            seq=bad,
        )
    beyond = [cp.size for cp in signed.values() if cp.size > size]
    if beyond:
        raise JournalCorrupt(
            f"the journal has {size} entries but a signed checkpoint covers {max(beyond)}: "
            f"entries {size + 1}–{max(beyond)} were removed",
            seq=size + 1,
        )
    newest = max(signed, default=0)
    return VerifyReport(size, len(signed), newest, size - newest)


def _checkpoints(
    conn: Connection, public_key: Ed25519PublicKey, file: CheckpointFile
) -> dict[int, Checkpoint]:
    """Checkpoints from the database and the file, each verified; the two must agree."""
    from_file: dict[int, Checkpoint] = {}
    for note in file.read():
        cp = _verified(note, public_key, "checkpoint file")
        from_file[cp.size] = cp
    from_db: dict[int, Checkpoint] = {}
    for row in conn.execute(select(journal_checkpoint.c.size, journal_checkpoint.c.note)):
        cp = _verified(row.note, public_key, "database")
        if cp.size != row.size:
            raise JournalCorrupt(f"checkpoint row {row.size} carries a note for size {cp.size}")
        from_db[cp.size] = cp
    for size, cp in from_file.items():
        other = from_db.get(size)
        if other is None:
            raise JournalCorrupt(f"signed checkpoint of size {size} is missing from the database")
        if other.root != cp.root:
            raise JournalCorrupt(f"checkpoint of size {size} differs from the external copy")
    return from_db


def _verified(note: str, public_key: Ed25519PublicKey, where: str) -> Checkpoint:
    try:
        return verify(note, public_key)
    except CheckpointError as exc:
        raise JournalCorrupt(f"{where}: {exc}") from None


def _walk_entries(conn: Connection, signed: dict[int, Checkpoint]) -> tuple[int, bytes]:
    """Walk entries in order; return (count, newest leaf hash)."""
    stmt = select(
        journal_entry.c.seq,
        type_coerce(journal_entry.c.subject_id, String()),
        journal_entry.c.time_us,
        journal_entry.c.entry,
    ).order_by(journal_entry.c.seq)
    tree = CompactRange()
    append, sha256 = tree.append, hashlib.sha256
    expected, prev = 1, GENESIS
    with conn.execution_options(yield_per=BATCH).execute(stmt) as result:
        for seq, subject, time_us, blob in result:
            if seq != expected:
                kind = "missing" if seq > expected else "duplicated"
                raise JournalCorrupt(f"entry #{expected} is {kind}", seq=expected)
            if blob[:32] != prev:
                raise JournalCorrupt(
                    f"entry #{seq - 1} was altered or entry #{seq} does not follow it "
                    "(hash chain broken)",
                    seq=seq - 1 if seq > 1 else seq,
                )
            if int.from_bytes(blob[32:40], "big") != seq:
                raise JournalCorrupt(f"entry #{seq} is out of order", seq=seq)
            if len(blob) < HEADER or not _columns_match(blob, subject, time_us):
                raise JournalCorrupt(f"entry #{seq}: subject or time column was altered", seq=seq)
            prev = sha256(b"\x00" + blob).digest()
            append(prev)
            cp = signed.get(seq)
            if cp is not None and cp.root != tree.root():
                raise JournalCorrupt(
                    f"entries up to #{seq} do not match the checkpoint signed for them", seq=seq
                )
            expected += 1
    return expected - 1, prev


def _columns_match(blob: bytes, subject: object, time_us: int) -> bool:
    if int.from_bytes(blob[40:48], "big") != time_us:
        return False
    embedded = blob[48:64]
    if subject is None:
        return embedded == NO_SUBJECT
    if isinstance(subject, str):
        return subject.replace("-", "") == embedded.hex()
    return getattr(subject, "bytes", None) == embedded
