"""Applying operations to encrypted storage (no authorization here: see opeka.processing).

All functions take the unit of work first and work inside its transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import bindparam, delete, select, update

from opeka.db.base import utcnow
from opeka.db.bulk import insert_tuples
from opeka.db.keys import subject_key
from opeka.db.subjects import blind_index, subject_data
from opeka.uow import UnitOfWork
from opeka.vault import crypto
from opeka.vault.errors import SubjectKeyMissing
from opeka.vault.sealing import INDEX_KINDS, Sealed

_KEY = select(subject_key.c.wrapped).where(subject_key.c.subject_id == bindparam("sid"))
_PAYLOAD = select(subject_data.c.payload).where(subject_data.c.subject_id == bindparam("sid"))
_CANDIDATES = select(blind_index.c.subject_id).where(
    blind_index.c.kind == bindparam("kind"), blind_index.c.digest == bindparam("digest")
)


def subject_cipher(uow: UnitOfWork, subject_id: uuid.UUID) -> AESGCM:
    """The subject's data-key cipher (cached for the unit of work)."""
    cached = uow.key_cache.get(subject_id)
    if cached is not None:
        return cached
    wrapped = uow.pending_key(subject_id)
    if wrapped is None:
        wrapped = uow.keys.execute(_KEY, {"sid": subject_id}).scalar()
    if wrapped is None:
        raise SubjectKeyMissing(f"subject {subject_id} has no key (destroyed)")
    cipher = AESGCM(crypto.unwrap_key(uow.services.wrapper, subject_id, wrapped))
    uow.key_cache[subject_id] = cipher
    return cipher


def store_sealed(uow: UnitOfWork, items: Sequence[Sealed]) -> None:
    """Store sealed new subjects: keys (committed first by the unit of work), data, indexes."""
    now = utcnow()
    for item in items:
        uow.add_key(item.subject_id, item.wrapped_key)
    insert_tuples(
        uow.data,
        subject_data,
        ("subject_id", "payload", "updated_at"),
        [(item.subject_id, item.payload, now) for item in items],
    )
    insert_tuples(
        uow.data,
        blind_index,
        ("kind", "digest", "subject_id"),
        [(kind, digest, item.subject_id) for item in items for kind, digest in item.index],
    )


def read(
    uow: UnitOfWork, subject_id: uuid.UUID, fields: Iterable[str] | None = None
) -> dict[str, str]:
    """Decrypt a subject's values (only ``fields`` when given); empty if none stored."""
    payload = uow.data.execute(_PAYLOAD, {"sid": subject_id}).scalar()
    if payload is None:
        return {}
    blobs = crypto.unpack_payload(payload)
    wanted = blobs.keys() if fields is None else [f for f in fields if f in blobs]
    if not wanted:
        return {}
    cipher = subject_cipher(uow, subject_id)
    return {code: crypto.decrypt_field(cipher, subject_id, code, blobs[code]) for code in wanted}


def stored_fields(uow: UnitOfWork, subject_id: uuid.UUID) -> frozenset[str]:
    """Codes of the fields stored for a subject (without decrypting anything)."""
    payload = uow.data.execute(_PAYLOAD, {"sid": subject_id}).scalar()
    return frozenset(crypto.unpack_payload(payload)) if payload is not None else frozenset()


def write(uow: UnitOfWork, subject_id: uuid.UUID, values: Mapping[str, str | None]) -> None:
    """Set (or, with None, remove) fields of an existing subject and refresh its indexes."""
    current = read(uow, subject_id)
    for code, value in values.items():
        if value is None:
            current.pop(code, None)
        else:
            current[code] = value
    cipher = subject_cipher(uow, subject_id)
    payload = crypto.pack_payload(crypto.encrypt_fields(cipher, subject_id, current))
    uow.data.execute(
        update(subject_data)
        .where(subject_data.c.subject_id == subject_id)
        .values(payload=payload, updated_at=utcnow())
    )
    uow.data.execute(delete(blind_index).where(blind_index.c.subject_id == subject_id))
    insert_tuples(
        uow.data,
        blind_index,
        ("kind", "digest", "subject_id"),
        [(k, d, subject_id) for k, d in uow.services.sealer.digests(current)],
    )


def candidates(uow: UnitOfWork, kind: str, key: str) -> list[uuid.UUID]:
    """Subjects whose blind index matches ``key`` (an index form); false positives included."""
    index_kind = INDEX_KINDS[kind]
    digest = uow.services.indexer.digest(index_kind, key)
    rows = uow.data.execute(_CANDIDATES, {"kind": index_kind, "digest": digest})
    return [row[0] for row in rows]


def destroy(uow: UnitOfWork, subject_id: uuid.UUID) -> frozenset[str]:
    """Delete a subject's values and index entries and queue its key for shredding.

    Returns the codes of the fields that were held.
    """
    held = stored_fields(uow, subject_id)
    uow.data.execute(delete(blind_index).where(blind_index.c.subject_id == subject_id))
    uow.data.execute(delete(subject_data).where(subject_data.c.subject_id == subject_id))
    uow.shred_key(subject_id)
    return held
