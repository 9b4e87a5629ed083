"""Applying operations to encrypted storage (no authorization here: see opeka.processing).

All functions take the unit of work first and work inside its transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, insert, select, update

from opeka.db.base import utcnow
from opeka.db.keys import subject_key
from opeka.db.subjects import blind_index, subject_data
from opeka.policy.values import email_index_form
from opeka.uow import UnitOfWork
from opeka.vault import crypto
from opeka.vault.blind_index import IndexKind
from opeka.vault.errors import SubjectKeyMissing

INDEX_KINDS = {"email": IndexKind.EMAIL, "phone": IndexKind.PHONE}


def subject_cipher(uow: UnitOfWork, subject_id: uuid.UUID) -> AESGCM:
    """The subject's data-key cipher (cached for the unit of work)."""
    cached = uow.key_cache.get(subject_id)
    if cached is not None:
        return cached
    wrapped = uow.pending_key(subject_id)
    if wrapped is None:
        wrapped = uow.keys.execute(
            select(subject_key.c.wrapped).where(subject_key.c.subject_id == subject_id)
        ).scalar()
    if wrapped is None:
        raise SubjectKeyMissing(f"subject {subject_id} has no key (destroyed)")
    cipher = AESGCM(crypto.unwrap_key(uow.services.wrapper, subject_id, wrapped))
    uow.key_cache[subject_id] = cipher
    return cipher


def create_many(uow: UnitOfWork, items: Sequence[tuple[uuid.UUID, Mapping[str, str]]]) -> None:
    """Store new subjects' values, each under a fresh data key, with their blind indexes."""
    wrapper = uow.services.wrapper
    now = utcnow()
    data_rows: list[dict[str, object]] = []
    index: list[dict[str, object]] = []
    for subject_id, values in items:
        data_key = crypto.new_data_key()
        uow.add_key(subject_id, crypto.wrap_key(wrapper, subject_id, data_key))
        cipher = AESGCM(data_key)
        uow.key_cache[subject_id] = cipher
        payload = crypto.pack_payload(crypto.encrypt_fields(cipher, subject_id, dict(values)))
        data_rows.append({"subject_id": subject_id, "payload": payload, "updated_at": now})
        index += index_rows(uow, subject_id, values)
    if data_rows:
        uow.data.execute(insert(subject_data), data_rows)
    if index:
        uow.data.execute(insert(blind_index), index)


def index_rows(
    uow: UnitOfWork, subject_id: uuid.UUID, values: Mapping[str, str]
) -> list[dict[str, object]]:
    """Blind-index rows for the indexed fields among ``values`` (normalised values)."""
    indexed = uow.services.rules.indexed
    digest = uow.services.indexer.digest
    seen: set[tuple[int, int]] = set()
    for code, value in values.items():
        kind = indexed.get(code)
        if kind is not None:
            seen.add((INDEX_KINDS[kind], digest(INDEX_KINDS[kind], index_form(kind, value))))
    return [{"kind": k, "digest": d, "subject_id": subject_id} for k, d in sorted(seen)]


def index_form(kind: str, value: str) -> str:
    """The form of a stored (already normalised) value that its blind index hashes."""
    return email_index_form(value) if kind == "email" else value


def read(
    uow: UnitOfWork, subject_id: uuid.UUID, fields: Iterable[str] | None = None
) -> dict[str, str]:
    """Decrypt a subject's values (only ``fields`` when given); empty if none stored."""
    payload = uow.data.execute(
        select(subject_data.c.payload).where(subject_data.c.subject_id == subject_id)
    ).scalar()
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
    payload = uow.data.execute(
        select(subject_data.c.payload).where(subject_data.c.subject_id == subject_id)
    ).scalar()
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
    rows = index_rows(uow, subject_id, current)
    if rows:
        uow.data.execute(insert(blind_index), rows)


def candidates(uow: UnitOfWork, kind: str, key: str) -> list[uuid.UUID]:
    """Subjects whose blind index matches ``key`` (an index form); false positives included."""
    index_kind = INDEX_KINDS[kind]
    digest = uow.services.indexer.digest(index_kind, key)
    rows = uow.data.execute(
        select(blind_index.c.subject_id).where(
            blind_index.c.kind == index_kind, blind_index.c.digest == digest
        )
    )
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
