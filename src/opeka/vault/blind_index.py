"""Blind indexes: a truncated HMAC of a normalised e-mail or phone, for lookups.

Width. With ``N`` expected subjects and a ``b``-bit digest, a lookup returns on average
``N / 2**b`` unrelated candidates besides the real match; they are decrypted and filtered out.
Opeka takes ``b = ceil(log2(N)) - 1`` (between 8 and 32): about two false positives per lookup at
the expected population, so that an index value alone never singles out one person, while a
lookup still decrypts only a handful of candidates. For the policy's 10⁶ subjects, ``b = 19``.
The width is fixed at initialisation and stored in ``vault_meta``; it does not drift when the
policy's estimate changes.

The HMAC key is derived from the master key and never stored in the database: Russian mobile
numbers are only ~10⁹ values, so whoever holds the key could enumerate them.
"""

from __future__ import annotations

import hmac
import math
from enum import IntEnum

MIN_BITS = 8
MAX_BITS = 32


class IndexKind(IntEnum):
    """Which normalised value a digest is of (stored as a small integer)."""

    EMAIL = 1
    PHONE = 2


def width_for_population(expected_population: int) -> int:
    """Digest width in bits for the expected number of subjects (see module docstring)."""
    bits = math.ceil(math.log2(max(expected_population, 2))) - 1
    return max(MIN_BITS, min(MAX_BITS, bits))


class BlindIndexer:
    """Computes digests with a fixed key and width."""

    __slots__ = ("_key", "_shift")

    def __init__(self, key: bytes, width_bits: int) -> None:
        if not MIN_BITS <= width_bits <= MAX_BITS:
            raise ValueError(f"blind index width must be {MIN_BITS}..{MAX_BITS} bits")
        self._key = key
        self._shift = 64 - width_bits

    def digest(self, kind: IndexKind, normalized: str) -> int:
        """The truncated digest of an already normalised value."""
        mac = hmac.digest(self._key, bytes((kind,)) + normalized.encode("utf-8"), "sha256")
        return int.from_bytes(mac[:8], "big") >> self._shift
