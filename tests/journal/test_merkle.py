"""RFC 9162 Merkle hashing: shared reference vectors, known answers and Hypothesis properties."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opeka.journal.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    CompactRange,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

# --- reference vectors (../shared/testdata/rfc9162, from transparency-dev/merkle) ----------------


def _vectors_dir() -> Path:
    shared = os.environ.get("OPEKA_SHARED_DIR")
    base = Path(shared) if shared else Path(__file__).resolve().parents[3] / "shared"
    return base / "testdata" / "rfc9162"


VECTORS = _vectors_dir()
MISSING = f"RFC 9162 vectors not found at {VECTORS} (set OPEKA_SHARED_DIR to the shared folder)"


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _is_rfc9162_tree(path: Path) -> bool:
    """Whether a subtree vector is about a plain RFC 9162 tree: the non-empty prefix [0, end).

    The subtree folders test the Merkle Tree Certificates draft (draft-ietf-plants-merkle-tree-
    certs), whose proofs cover any aligned subtree [start, end) of a log. Only [0, end) with
    end > 0 is an RFC 9162 tree of size ``end``; there a subtree inclusion proof is an RFC 9162
    inclusion proof and a subtree consistency proof is an RFC 9162 consistency proof from size
    ``end``. The draft also accepts the empty subtree [0, 0) against any tree root, which
    contradicts consistency/additional/roots-do-not-match-and-sizes-are-zero.json.
    """
    vector = _load(path)
    return bool(vector["start"] == 0 and vector["end"] > 0)


def _vector_params(kind: str, subtree_kind: str) -> list[Any]:
    if not VECTORS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=MISSING), id="missing")]
    paths = sorted((VECTORS / kind).rglob("*.json"))
    paths += [p for p in sorted((VECTORS / subtree_kind).rglob("*.json")) if _is_rfc9162_tree(p)]
    return [pytest.param(p, id=p.relative_to(VECTORS).as_posix()) for p in paths]


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


def _proof(vector: dict[str, Any]) -> list[bytes]:
    return [_b64(item) for item in vector["proof"] or []]


def _expect(check: Callable[[], None], vector: dict[str, Any]) -> None:
    if vector["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


@pytest.mark.parametrize("path", _vector_params("inclusion", "subtreeinclusion"))
def test_inclusion_vector(path: Path) -> None:
    vector = _load(path)
    _expect(
        lambda: verify_inclusion(
            leaf_hash=_b64(vector["leafHash"]),
            index=vector["leafIdx"],
            size=vector["end"] if "end" in vector else vector["treeSize"],
            proof=_proof(vector),
            root=_b64(vector["root"]),
        ),
        vector,
    )


@pytest.mark.parametrize("path", _vector_params("consistency", "subtreeconsistency"))
def test_consistency_vector(path: Path) -> None:
    vector = _load(path)
    _expect(
        lambda: verify_consistency(
            size1=vector["end"] if "end" in vector else vector["size1"],
            size2=vector["size"] if "size" in vector else vector["size2"],
            root1=_b64(vector["root1"]),
            root2=_b64(vector["root2"]),
            proof=_proof(vector),
        ),
        vector,
    )


@pytest.mark.skipif(not VECTORS.is_dir(), reason=MISSING)
def test_vector_folders_are_complete() -> None:
    """Guard against a silently empty or truncated parametrisation."""
    counts = {
        kind: len(_vector_params(kind, "subtree" + kind)) for kind in ("inclusion", "consistency")
    }
    assert counts == {"inclusion": 98 + 93, "consistency": 98 + 91}


# Leaves of the tree behind the vectors' happy paths (transparency-dev/merkle testonly).
KNOWN_LEAVES = [
    bytes.fromhex(h)
    for h in (
        *("", "00", "10", "2021", "3031", "40414243", "5051525354555657"),
        "606162636465666768696a6b6c6d6e6f",
    )
]
KNOWN_HASHES = [leaf_hash(data) for data in KNOWN_LEAVES]


@pytest.mark.skipif(not VECTORS.is_dir(), reason=MISSING)
@pytest.mark.parametrize("group", ["0", "1", "2", "3", "4"])
def test_generated_proofs_match_happy_path_vectors(group: str) -> None:
    inc = _load(VECTORS / "inclusion" / group / "happy-path.json")
    index, size = inc["leafIdx"], inc["treeSize"]
    assert KNOWN_HASHES[index] == _b64(inc["leafHash"])
    assert root_hash(KNOWN_HASHES[:size]) == _b64(inc["root"])
    assert inclusion_proof(KNOWN_HASHES, index, size) == _proof(inc)
    con = _load(VECTORS / "consistency" / group / "happy-path.json")
    size1, size2 = con["size1"], con["size2"]
    assert root_hash(KNOWN_HASHES[:size1]) == _b64(con["root1"])
    assert root_hash(KNOWN_HASHES[:size2]) == _b64(con["root2"])
    assert consistency_proof(KNOWN_HASHES, size1, size2) == _proof(con)


# --- hashing and tree heads ----------------------------------------------------------------------


def _mth(leaves: Sequence[bytes]) -> bytes:
    """MTH written straight from RFC 9162 §2.1.1, as an independent reference."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def test_hash_primitives_known_answers() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert leaf_hash(b"").hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    assert node_hash(b"a", b"b") == node_hash(b"ab", b"")  # plain concatenation, by definition
    assert leaf_hash(b"x") != node_hash(b"", b"x")  # domain separation
    assert root_hash([]) == EMPTY_ROOT
    assert CompactRange().root() == EMPTY_ROOT


def _leaves(n: int, salt: bytes = b"") -> list[bytes]:
    """Distinct leaf hashes (duplicates would let a proof verify at a twin's position)."""
    return [leaf_hash(salt + i.to_bytes(4, "big")) for i in range(n)]


def test_compact_range_root_matches_root_hash_for_every_size() -> None:
    leaves = _leaves(300)
    tree = CompactRange()
    for n in range(len(leaves) + 1):
        assert tree.size == n
        assert len(tree.hashes) == n.bit_count()
        assert tree.root() == root_hash(leaves[:n]) == _mth(leaves[:n])
        if n < len(leaves):
            tree.append(leaves[n])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=70))
def test_compact_range_root_matches_rfc_definition(data: list[bytes]) -> None:
    leaves = [leaf_hash(d) for d in data]
    tree = CompactRange()
    for n, leaf in enumerate(leaves, start=1):
        tree.append(leaf)
        assert tree.root() == root_hash(leaves[:n])
    assert tree.root() == _mth(leaves)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 300), st.binary(max_size=4))
def test_compact_range_serialisation_round_trips(size: int, salt: bytes) -> None:
    leaves = _leaves(size + 1, salt)
    tree = CompactRange()
    for leaf in leaves[:size]:
        tree.append(leaf)
    blob = tree.to_bytes()
    assert len(blob) == 8 + HASH_SIZE * size.bit_count()
    restored = CompactRange.from_bytes(blob)
    assert (restored.size, restored.hashes, restored.root()) == (size, tree.hashes, tree.root())
    restored.append(leaves[size])
    assert restored.root() == root_hash(leaves)
    assert tree.size == size  # the original is untouched


def test_compact_range_copy_is_independent() -> None:
    tree = CompactRange()
    for leaf in _leaves(5):
        tree.append(leaf)
    twin = tree.copy()
    twin.append(leaf_hash(b"more"))
    assert (tree.size, twin.size) == (5, 6)
    assert tree.root() == root_hash(_leaves(5))
    assert "size=5" in repr(tree)


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"\x00" * 7,
        (1).to_bytes(8, "big"),  # size 1 needs one hash
        (1).to_bytes(8, "big") + b"\x00" * 33,  # trailing byte
        (2).to_bytes(8, "big") + b"\x00" * 64,  # size 2 needs exactly one hash
        b"\x00" * 8 + b"\x00" * 32,  # the empty tree has none
    ],
)
def test_compact_range_rejects_malformed_bytes(blob: bytes) -> None:
    with pytest.raises(ValueError, match="compact range"):
        CompactRange.from_bytes(blob)


def test_compact_range_accepts_the_largest_size() -> None:
    blob = b"\xff" * 8 + b"\x00" * (64 * HASH_SIZE)
    assert CompactRange.from_bytes(blob).size == 2**64 - 1


# --- proofs: generation, verification and tampering ----------------------------------------------


def _flip(value: bytes, position: int) -> bytes:
    return value[:position] + bytes([value[position] ^ 0x01]) + value[position + 1 :]


def _tampered_proofs(proof: list[bytes]) -> list[list[bytes]]:
    """Every proof with one bit flipped, one element dropped, or one element added."""
    out: list[list[bytes]] = []
    for i, item in enumerate(proof):
        out += [[*proof[:i], _flip(item, b), *proof[i + 1 :]] for b in range(len(item))]
        out.append([*proof[:i], *proof[i + 1 :]])
        out.append([*proof[:i], item, *proof[i:]])  # duplicated element
    extra = leaf_hash(b"extra")
    out += [[*proof[:i], extra, *proof[i:]] for i in range(len(proof) + 1)]
    return out


@st.composite
def _tree_and_index(draw: st.DrawFn) -> tuple[list[bytes], int, int]:
    leaves = _leaves(draw(st.integers(1, 70)), draw(st.binary(max_size=4)))
    size = draw(st.integers(1, len(leaves)))
    return leaves, draw(st.integers(0, size - 1)), size


@settings(max_examples=80, deadline=None)
@given(_tree_and_index())
def test_inclusion_proofs_verify_and_resist_tampering(case: tuple[list[bytes], int, int]) -> None:
    leaves, index, size = case
    proof, root, leaf = (
        inclusion_proof(leaves, index, size),
        root_hash(leaves[:size]),
        leaves[index],
    )
    verify_inclusion(leaf_hash=leaf, index=index, size=size, proof=proof, root=root)

    def fails(**change: Any) -> None:
        args: dict[str, Any] = {
            "leaf_hash": leaf,
            "index": index,
            "size": size,
            "proof": proof,
            "root": root,
        }
        with pytest.raises(ProofError):
            verify_inclusion(**(args | change))

    for bad in _tampered_proofs(proof):
        fails(proof=bad)
    for position in range(HASH_SIZE):
        fails(leaf_hash=_flip(leaf, position))
        fails(root=_flip(root, position))
    for other in [*range(-1, index), *range(index + 1, size + 2)]:
        fails(index=other)
        if 0 <= other < size:
            fails(index=other, leaf_hash=leaves[other])
    for other in range(index + 1, len(leaves) + 1):  # another size, with that tree's real root
        if other != size:
            fails(size=other, root=root_hash(leaves[:other]))
    fails(size=index)


@st.composite
def _tree_and_sizes(draw: st.DrawFn) -> tuple[list[bytes], int, int]:
    leaves = _leaves(draw(st.integers(1, 70)), draw(st.binary(max_size=4)))
    size2 = draw(st.integers(1, len(leaves)))
    return leaves, draw(st.integers(1, size2)), size2


@settings(max_examples=80, deadline=None)
@given(_tree_and_sizes())
def test_consistency_proofs_verify_and_resist_tampering(case: tuple[list[bytes], int, int]) -> None:
    leaves, size1, size2 = case
    proof = consistency_proof(leaves, size1, size2)
    root1, root2 = root_hash(leaves[:size1]), root_hash(leaves[:size2])
    verify_consistency(size1=size1, size2=size2, root1=root1, root2=root2, proof=proof)

    def fails(**change: Any) -> None:
        args: dict[str, Any] = {
            "size1": size1,
            "size2": size2,
            "root1": root1,
            "root2": root2,
            "proof": proof,
        }
        with pytest.raises(ProofError):
            verify_consistency(**(args | change))

    for bad in _tampered_proofs(proof):
        fails(proof=bad)
    for position in range(HASH_SIZE):
        fails(root1=_flip(root1, position))
        fails(root2=_flip(root2, position))
    for other in range(len(leaves) + 1):  # other sizes, each with that tree's real root
        other_root = root_hash(leaves[:other])
        if other != size1:
            fails(size1=other, root1=other_root)
        if other != size2:
            fails(size2=other, root2=other_root)
    if size1 != size2:
        fails(root1=root2, root2=root1, size1=size2, size2=size1)


def test_tree_size_is_bound_by_the_signed_head_not_by_the_proof() -> None:
    """A proof fixes the path's shape, not the size: the size must come from the checkpoint.

    Leaf 0's path in trees of 5 and 6 leaves has the same shape, so the proof for size 5 also
    verifies against the size-5 root when the caller claims size 6 (RFC 9162 behaves the same).
    """
    leaves = _leaves(6)
    proof, root5 = inclusion_proof(leaves, 0, 5), root_hash(leaves[:5])
    verify_inclusion(leaf_hash=leaves[0], index=0, size=6, proof=proof, root=root5)
    with pytest.raises(ProofError):
        verify_inclusion(leaf_hash=leaves[0], index=0, size=6, proof=proof, root=root_hash(leaves))


def test_verification_rejects_malformed_hashes() -> None:
    leaves = _leaves(4)
    proof, root = inclusion_proof(leaves, 1, 4), root_hash(leaves)
    with pytest.raises(ProofError, match="32"):
        verify_inclusion(leaf_hash=leaves[1], index=1, size=4, proof=[*proof[:-1], b""], root=root)
    with pytest.raises(ProofError, match="32"):
        verify_inclusion(leaf_hash=leaves[1][:31], index=1, size=4, proof=proof, root=root)
    # A 64-byte "leaf" that splices a sibling into it must not pass as a leaf hash.
    spliced = leaves[0] + leaves[1]
    with pytest.raises(ProofError, match="32"):
        verify_inclusion(leaf_hash=spliced, index=0, size=2, proof=[], root=root_hash(leaves[:2]))


def test_verification_reasons_are_specific() -> None:
    leaves = _leaves(8)
    proof, root = inclusion_proof(leaves, 3, 8), root_hash(leaves)
    args: dict[str, Any] = {"leaf_hash": leaves[3], "index": 3, "size": 8, "root": root}
    with pytest.raises(ProofError, match="too long"):
        verify_inclusion(**args, proof=[*proof, proof[0]])
    with pytest.raises(ProofError, match="too short"):
        verify_inclusion(**args, proof=proof[:-1])
    with pytest.raises(ProofError, match="outside"):
        verify_inclusion(**(args | {"index": 8}), proof=proof)
    with pytest.raises(ProofError, match=r"0 < size1"):
        verify_consistency(size1=0, size2=8, root1=EMPTY_ROOT, root2=root, proof=[])
    cons: dict[str, Any] = {"size1": 3, "size2": 8, "root1": root_hash(leaves[:3]), "root2": root}
    cproof = consistency_proof(leaves, 3, 8)
    verify_consistency(**cons, proof=cproof)
    with pytest.raises(ProofError, match="too long"):
        verify_consistency(**cons, proof=[*cproof, cproof[0]])
    with pytest.raises(ProofError, match="too short"):
        verify_consistency(**cons, proof=cproof[:-1])
    with pytest.raises(ProofError, match="32"):
        verify_consistency(**cons, proof=[*cproof[:-1], cproof[-1][:31]])


def test_proof_generation_rejects_bad_arguments() -> None:
    leaves = _leaves(4)
    for index, size in [(-1, 4), (4, 4), (0, 0), (0, 5)]:
        with pytest.raises(ValueError, match="outside"):
            inclusion_proof(leaves, index, size)
    for size1, size2 in [(0, 4), (3, 2), (1, 5)]:
        with pytest.raises(ValueError, match="size"):
            consistency_proof(leaves, size1, size2)
    assert consistency_proof(leaves, 4, 4) == []
    assert inclusion_proof(leaves, 0, 1) == []
