"""Verification of the whole journal against its chain and its signed checkpoints.

What is caught, and how:

* an edited entry — its leaf hash no longer matches the next entry's link, or (for the newest
  entry) the head row and the checkpoints' Merkle roots;
* a deleted or inserted entry — a gap or a break in the sequence and the chain;
* reordered entries — the sequence number inside the hashed bytes differs from the row's;
* truncation of the tail, or a wholesale rewrite with a fresh chain — the signed checkpoints
  (in the database and in the file outside it) no longer match, and cannot be re-signed without
  the signing key, which is not in the database.

Entries written after the newest checkpoint are protected by the chain only; checkpoints are
signed every N entries or T seconds, which bounds that window.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, select

from opeka.db.journal import journal_checkpoint, journal_entry, journal_head
from opeka.db.stream import stream_rows
from opeka.journal.checkpoints import Checkpoint, CheckpointError, CheckpointFile, verify
from opeka.journal.entry import GENESIS, HEADER
from opeka.journal.errors import JournalCorrupt
from opeka.journal.merkle import CompactRange, perfect_root

BATCH = 16_384
BLOCK = 1024
"""Entries are verified in blocks of this many (a power of two): leaf hashes, links and the
block's Merkle subtree are computed with list comprehensions rather than entry by entry."""


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
    """Walk entries in order, a block of :data:`BLOCK` at a time; return (count, newest leaf)."""
    sizes = sorted(signed)
    blocks = CompactRange()  # over the roots of the complete blocks
    size, prev = 0, GENESIS
    pending: list[tuple[int, bytes]] = []
    for rows in stream_rows(conn, journal_entry, ("seq", "entry"), order_by="seq", batch=BATCH):
        pending += rows
        complete = len(pending) - len(pending) % BLOCK
        for start in range(0, complete, BLOCK):
            prev = _verify_block(pending[start : start + BLOCK], size, prev, blocks, signed, sizes)
            size += BLOCK
        del pending[:complete]
    if pending:
        prev = _verify_block(pending, size, prev, blocks, signed, sizes)
        size += len(pending)
    return size, prev


def _verify_block(
    rows: list[tuple[int, bytes]],
    base: int,
    prev: bytes,
    blocks: CompactRange,
    signed: dict[int, Checkpoint],
    sizes: list[int],
) -> bytes:
    """Verify entries ``base + 1 …`` (a complete block, or the last partial one)."""
    n = len(rows)
    if rows[0][0] != base + 1 or rows[-1][0] != base + n:
        _name_gap(rows, base)
    blobs = [bytes(blob) for _, blob in rows]
    sha256 = hashlib.sha256
    leaves = [sha256(b"\x00" + blob).digest() for blob in blobs]
    links = [blob[:32] for blob in blobs]
    if links != [prev, *leaves[:-1]]:
        first = next(
            i for i, (a, b) in enumerate(zip(links, [prev, *leaves], strict=False)) if a != b
        )
        seq = base + first + 1
        raise JournalCorrupt(
            f"entry #{seq - 1} was altered or entry #{seq} does not follow it (hash chain broken)",
            seq=seq - 1 if seq > 1 else seq,
        )
    for k in (0, n - 1):  # the chain covers the middle; the ends name reorderings clearly
        if len(blobs[k]) < HEADER or int.from_bytes(blobs[k][32:40], "big") != base + k + 1:
            raise JournalCorrupt(f"entry #{base + k + 1} is out of order", seq=base + k + 1)
    inside = sizes[bisect.bisect_right(sizes, base) : bisect.bisect_right(sizes, base + n)]
    before = blocks.scaled(BLOCK)
    if n == BLOCK:
        blocks.append(perfect_root(leaves))
    for size in inside:
        root = blocks.root() if size == base + BLOCK else _root_within(before, leaves, size - base)
        if root != signed[size].root:
            raise JournalCorrupt(
                f"entries up to #{size} do not match the checkpoint signed for them", seq=size
            )
    return leaves[-1]


def _root_within(before: CompactRange, leaves: list[bytes], count: int) -> bytes:
    """The tree head after ``count`` more leaves of a block (for checkpoints inside a block)."""
    tree = before.copy()
    for leaf in leaves[:count]:
        tree.append(leaf)
    return tree.root()


def _name_gap(rows: list[tuple[int, bytes]], base: int) -> None:
    for i, (seq, _) in enumerate(rows):
        expected = base + i + 1
        if seq != expected:
            kind = "missing" if seq > expected else "duplicated"
            raise JournalCorrupt(f"entry #{expected} is {kind}", seq=expected)
