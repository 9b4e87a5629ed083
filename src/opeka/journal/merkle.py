"""RFC 9162 §2.1 Merkle tree hashing with SHA-256: tree heads, compact ranges and proofs.

A leaf hash is ``SHA-256(0x00 ‖ data)`` and an interior node is ``SHA-256(0x01 ‖ left ‖ right)``;
the tree over ``n`` leaves splits at the largest power of two smaller than ``n`` (§2.1.1).

* :func:`root_hash` computes the Merkle Tree Hash (MTH) of already-hashed leaves.
* :class:`CompactRange` keeps the right edge of an append-only tree (at most 64 hashes), so the
  journal can update its tree head per entry in O(1) amortised time and store it in one row.
* :func:`inclusion_proof` / :func:`verify_inclusion` (§2.1.3) prove that one entry is in a tree
  head without showing the others; :func:`consistency_proof` / :func:`verify_consistency`
  (§2.1.4) prove that a later tree head extends an earlier one.

Verification follows the RFC algorithms step by step and raises :class:`ProofError` on any failure.
The tree size is not authenticated by a proof: it must come from the signed tree head.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import Final

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "CompactRange",
    "ProofError",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_hash",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE: Final = 32
"""Length in bytes of every hash in the tree (SHA-256)."""

EMPTY_ROOT: Final = hashlib.sha256(b"").digest()
"""MTH of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1)."""

_SIZE_BYTES: Final = 8

# Pre-seeded hash states: ``copy()`` plus ``update()`` avoids building the concatenated input,
# which measurably beats ``sha256(prefix + left + right)`` on the append hot path.
_new_leaf: Final = hashlib.sha256(b"\x00").copy
_new_node: Final = hashlib.sha256(b"\x01").copy


class ProofError(ValueError):
    """An inclusion or consistency proof did not verify; the message says which check failed."""


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 9162 leaf hash ``SHA-256(0x00 ‖ data)``."""
    h = _new_leaf()
    h.update(data)
    return h.digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 interior node hash ``SHA-256(0x01 ‖ left ‖ right)``."""
    h = _new_node()
    h.update(left)
    h.update(right)
    return h.digest()


def root_hash(leaf_hashes: Sequence[bytes]) -> bytes:
    """Return the Merkle Tree Hash over ``leaf_hashes`` (already hashed with :func:`leaf_hash`).

    Hashes level by level, carrying an unpaired last node up unchanged; this gives the same
    result as the recursive split at the largest power of two in RFC 9162 §2.1.1.
    """
    if not leaf_hashes:
        return EMPTY_ROOT
    level = list(leaf_hashes)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) & 1:
            paired.append(level[-1])
        level = paired
    return level[0]


class CompactRange:
    """The right edge of an append-only Merkle tree: the roots of its perfect subtrees.

    For a tree of ``size`` leaves it keeps one hash per set bit of ``size``, largest subtree first
    (at most 64), which is enough to append further leaves and to compute the tree head.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self) -> None:
        """Start an empty tree."""
        self._size = 0
        self._hashes: list[bytes] = []

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    @property
    def hashes(self) -> tuple[bytes, ...]:
        """Roots of the perfect subtrees on the right edge, left (largest) to right."""
        return tuple(self._hashes)

    def append(self, leaf_hash: bytes) -> None:
        """Append one leaf, given as its 32-byte :func:`leaf_hash` (not checked: hot path).

        Merges equal-sized subtrees like a binary counter: one node hash per append on average.
        """
        size = self._size
        self._size = size + 1
        hashes = self._hashes
        h = leaf_hash
        while size & 1:
            node = _new_node()
            node.update(hashes.pop())
            node.update(h)
            h = node.digest()
            size >>= 1
        hashes.append(h)

    def root(self) -> bytes:
        """Return the Merkle Tree Hash of all leaves appended so far."""
        hashes = self._hashes
        if not hashes:
            return EMPTY_ROOT
        h = hashes[-1]
        for left in reversed(hashes[:-1]):
            h = node_hash(left, h)
        return h

    def copy(self) -> CompactRange:
        """Return an independent copy (appending to one does not change the other)."""
        return CompactRange._make(self._size, list(self._hashes))

    def to_bytes(self) -> bytes:
        """Serialise as an 8-byte big-endian size followed by the hashes (at most 2,056 bytes)."""
        return self._size.to_bytes(_SIZE_BYTES, "big") + b"".join(self._hashes)

    @classmethod
    def from_bytes(cls, data: bytes) -> CompactRange:
        """Parse :meth:`to_bytes` output; raise ``ValueError`` if it is malformed."""
        if len(data) < _SIZE_BYTES:
            raise ValueError("compact range: shorter than its size field")
        size = int.from_bytes(data[:_SIZE_BYTES], "big")
        count = size.bit_count()
        if len(data) != _SIZE_BYTES + count * HASH_SIZE:
            raise ValueError(f"compact range: size {size} needs exactly {count} hashes")
        body = data[_SIZE_BYTES:]
        hashes = [body[i : i + HASH_SIZE] for i in range(0, len(body), HASH_SIZE)]
        return cls._make(size, hashes)

    def scaled(self, leaves_per_item: int) -> CompactRange:
        """This range read as a range of whole perfect subtrees of ``leaves_per_item`` leaves.

        If this range was built by appending the roots of consecutive perfect subtrees of
        ``leaves_per_item`` (a power of two) leaves each, the result is the leaf-level range of
        the same tree: its set bits are this range's shifted left, with the same hashes.
        """
        if leaves_per_item <= 0 or leaves_per_item & (leaves_per_item - 1):
            raise ValueError("leaves_per_item must be a power of two")
        return CompactRange._make(self._size * leaves_per_item, list(self._hashes))

    @classmethod
    def _make(cls, size: int, hashes: list[bytes]) -> CompactRange:
        new = cls.__new__(cls)
        new._size = size
        new._hashes = hashes
        return new

    def __repr__(self) -> str:
        """Show the size and the tree head, e.g. ``CompactRange(size=5, root=4e3b…)``."""
        return f"CompactRange(size={self._size}, root={self.root().hex()[:16]}…)"


# --- proof generation (RFC 9162 §2.1.3.1 and §2.1.4.1) -------------------------------------------


def perfect_root(leaf_hashes: Sequence[bytes]) -> bytes:
    """Root of a perfect subtree (``len`` a power of two), hashed level by level.

    Equal to :func:`root_hash` for such sizes, and faster for bulk verification than appending
    leaf by leaf.
    """
    level = list(leaf_hashes)
    if not level or len(level) & (len(level) - 1):
        raise ValueError("perfect_root needs a power-of-two number of leaves")
    sha256 = hashlib.sha256
    while len(level) > 1:
        level = [
            sha256(b"\x01" + left + right).digest()
            for left, right in zip(level[::2], level[1::2], strict=True)
        ]
    return level[0]


def _split(n: int) -> int:
    """Return k, the largest power of two smaller than ``n`` (``n`` ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _check_tree(leaf_hashes: Sequence[bytes], size: int) -> None:
    if not 0 <= size <= len(leaf_hashes):
        raise ValueError(f"tree size {size} outside 0..{len(leaf_hashes)}")


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int, size: int) -> list[bytes]:
    """Return the audit path PATH(index, D[0:size]) for the leaf at ``index`` (RFC 9162 §2.1.3.1).

    ``leaf_hashes`` holds at least ``size`` leaf hashes; the proof lists sibling subtree roots
    from the leaf upwards. Raises ``ValueError`` unless ``0 <= index < size <= len(leaf_hashes)``.
    """
    _check_tree(leaf_hashes, size)
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} outside a tree of size {size}")
    top_down: list[bytes] = []
    start, end, m = 0, size, index
    while end - start > 1:
        k = _split(end - start)
        if m < k:
            top_down.append(root_hash(leaf_hashes[start + k : end]))
            end = start + k
        else:
            top_down.append(root_hash(leaf_hashes[start : start + k]))
            start, m = start + k, m - k
    top_down.reverse()
    return top_down


def consistency_proof(leaf_hashes: Sequence[bytes], size1: int, size2: int) -> list[bytes]:
    """Return PROOF(size1, D[0:size2]) that tree ``size2`` extends tree ``size1`` (§2.1.4.1).

    Returns an empty list when the sizes are equal. Raises ``ValueError`` unless
    ``0 < size1 <= size2 <= len(leaf_hashes)``: RFC 9162 defines no proof from the empty tree.
    """
    _check_tree(leaf_hashes, size2)
    if not 0 < size1 <= size2:
        raise ValueError(f"consistency needs 0 < size1 <= size2, got {size1} and {size2}")
    top_down: list[bytes] = []
    start, end, m, whole = 0, size2, size1, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            top_down.append(root_hash(leaf_hashes[start + k : end]))
            end = start + k
        else:
            top_down.append(root_hash(leaf_hashes[start : start + k]))
            start, m, whole = start + k, m - k, False
    if not whole:
        top_down.append(root_hash(leaf_hashes[start:end]))
    top_down.reverse()
    return top_down


# --- proof verification (RFC 9162 §2.1.3.2 and §2.1.4.2) -----------------------------------------


def _check_hashes(hashes: Sequence[bytes], what: str) -> None:
    """Reject any hash that is not exactly 32 bytes (the RFC's fixed-size hash fields)."""
    for h in hashes:
        if len(h) != HASH_SIZE:
            raise ProofError(f"{what}: hash of {len(h)} bytes, expected {HASH_SIZE}")


def verify_inclusion(
    *, leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` leaves with ``root``.

    Implements RFC 9162 §2.1.3.2; raises :class:`ProofError` on any failure: index outside the
    tree, malformed hash, proof too long or too short, or a computed root that differs.
    """
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} outside a tree of size {size}")
    _check_hashes((leaf_hash, *proof), "inclusion proof")
    fn, sn, r = index, size - 1, leaf_hash  # steps 2-3
    for p in proof:  # step 4
        if sn == 0:
            raise ProofError("inclusion proof too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:  # step 5
        raise ProofError("inclusion proof too short")
    if r != root:
        raise ProofError("inclusion proof does not lead to the root")


def verify_consistency(
    *, size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree (``size2``, ``root2``) extends the tree (``size1``, ``root1``).

    Implements RFC 9162 §2.1.4.2 for ``0 < size1 < size2``; for equal sizes the proof must be
    empty and the roots equal. A proof from the empty tree (``size1 == 0``) is rejected: it would
    prove nothing. Raises :class:`ProofError` on any failure.
    """
    if size1 <= 0 or size2 < size1:
        raise ProofError(f"consistency needs 0 < size1 <= size2, got {size1} and {size2}")
    if size1 == size2:
        if proof:
            raise ProofError("consistency proof must be empty for equal sizes")
        if root1 != root2:
            raise ProofError("equal sizes but different roots")
        return
    if not proof:  # step 1
        raise ProofError("empty consistency proof")
    _check_hashes((root1, root2, *proof), "consistency proof")
    fr, sr = _consistency_roots(size1, size2, root1, proof)
    if fr != root1:  # step 7
        raise ProofError("consistency proof does not lead to root1")
    if sr != root2:
        raise ProofError("consistency proof does not lead to root2")


def _consistency_roots(
    size1: int, size2: int, root1: bytes, proof: Sequence[bytes]
) -> tuple[bytes, bytes]:
    """Run steps 2-7 of RFC 9162 §2.1.4.2 up to the root comparison; return (fr, sr)."""
    path: Iterator[bytes] = iter(proof)
    first = root1 if size1 & (size1 - 1) == 0 else next(path)  # step 2
    fn, sn = size1 - 1, size2 - 1  # step 3
    while fn & 1:  # step 4
        fn >>= 1
        sn >>= 1
    fr = sr = first  # step 5
    for c in path:  # step 6
        if sn == 0:
            raise ProofError("consistency proof too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:  # step 7, size part
        raise ProofError("consistency proof too short")
    return fr, sr
