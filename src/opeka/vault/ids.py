"""Pseudonymous subject ids: UUID version 7 (RFC 9562), time-ordered.

A random UUIDv4 primary key scatters inserts across every B-tree page; a UUIDv7 puts new rows
at the end, which keeps bulk imports fast at millions of rows. The id carries only its creation
millisecond (also stored as ``created_at``) and 74 random bits — no personal data. Written here
because the standard library gains ``uuid.uuid7`` only in Python 3.14.
"""

from __future__ import annotations

import os
import time
import uuid

_VERSION_7 = 0x7 << 76
_VARIANT = 0b10 << 62


def new_subject_id() -> uuid.UUID:
    """A fresh UUIDv7."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    rand_a = rand >> 68  # 12 bits
    rand_b = rand & ((1 << 62) - 1)  # 62 bits
    value = (millis & ((1 << 48) - 1)) << 80 | _VERSION_7 | rand_a << 64 | _VARIANT | rand_b
    return uuid.UUID(int=value)
