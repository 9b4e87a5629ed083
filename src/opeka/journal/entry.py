"""A journal entry: what happened to whose data, by whom, for what, on what basis — no values.

Canonical bytes of an entry (what is hashed and stored)::

    prev_leaf_hash (32) ‖ seq (8, big-endian) ‖ time_us (8) ‖ subject_id (16, zeros if none)
    ‖ UTF-8 JSON array [actor, action, fields, purpose, basis, reason, result]

``prev_leaf_hash`` chains each entry to the one before (RFC 9162 leaf hash of the previous
entry's bytes), so that an edit, deletion, insertion or reordering breaks the chain; the fixed
header lets the verifier check sequence, time and subject columns by slicing, without parsing.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from dataclasses import dataclass
from enum import StrEnum

HEADER = 64
PREV = slice(0, 32)
SEQ = slice(32, 40)
TIME = slice(40, 48)
SUBJECT = slice(48, 64)
NO_SUBJECT = bytes(16)
GENESIS = bytes(32)


class Action(StrEnum):
    """Actions on personal data in the words of 152-FZ art. 3 p. 3."""

    COLLECT = "сбор"
    RECORD = "запись"
    SYSTEMATIZE = "систематизация"
    ACCUMULATE = "накопление"
    STORE = "хранение"
    UPDATE = "уточнение"
    EXTRACT = "извлечение"
    USE = "использование"
    TRANSFER = "передача"
    BLOCK = "блокирование"
    DELETE = "удаление"
    DESTROY = "уничтожение"


class Result(StrEnum):
    """Whether the action was carried out or refused."""

    DONE = "done"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Record:
    """What a caller journals; the writer adds sequence and chaining."""

    time_us: int
    actor: str
    action: Action
    subject_id: uuid.UUID | None
    fields: tuple[str, ...]
    purpose: str
    basis: str
    reason: str
    result: Result = Result.DONE


@dataclass(frozen=True, slots=True)
class Entry:
    """A decoded journal entry."""

    seq: int
    time_us: int
    subject_id: uuid.UUID | None
    actor: str
    action: str
    fields: tuple[str, ...]
    purpose: str
    basis: str
    reason: str
    result: str
    prev_leaf: bytes

    @property
    def time(self) -> dt.datetime:
        """The entry's time, UTC."""
        return dt.datetime.fromtimestamp(self.time_us / 1_000_000, dt.UTC)


def now_us() -> int:
    """Microseconds since the epoch, UTC."""
    return int(dt.datetime.now(dt.UTC).timestamp() * 1_000_000)


@functools.lru_cache(maxsize=4096)
def _body(
    actor: str,
    action: str,
    fields: tuple[str, ...],
    purpose: str,
    basis: str,
    reason: str,
    result: str,
) -> bytes:
    # Bulk operations write many entries with the same body (an import's сбор entries differ
    # only in subject and time), so the JSON is built once per distinct body.
    return json.dumps(
        [actor, action, list(fields), purpose, basis, reason, result],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def encode(record: Record, *, seq: int, prev_leaf: bytes) -> bytes:
    """The canonical bytes of ``record`` as entry number ``seq`` after ``prev_leaf``."""
    body = _body(
        record.actor,
        record.action.value,
        record.fields,
        record.purpose,
        record.basis,
        record.reason,
        record.result.value,
    )
    subject = record.subject_id.bytes if record.subject_id is not None else NO_SUBJECT
    return prev_leaf + seq.to_bytes(8, "big") + record.time_us.to_bytes(8, "big") + subject + body


def decode(blob: bytes) -> Entry:
    """Parse canonical bytes back into an :class:`Entry` (raises ValueError if malformed)."""
    if len(blob) < HEADER:
        raise ValueError("entry shorter than its header")
    actor, action, fields, purpose, basis, reason, result = json.loads(blob[HEADER:])
    subject = blob[SUBJECT]
    return Entry(
        seq=int.from_bytes(blob[SEQ], "big"),
        time_us=int.from_bytes(blob[TIME], "big"),
        subject_id=None if subject == NO_SUBJECT else uuid.UUID(bytes=subject),
        actor=actor,
        action=action,
        fields=tuple(fields),
        purpose=purpose,
        basis=basis,
        reason=reason,
        result=result,
        prev_leaf=blob[PREV],
    )
