"""Sealing: turning a new subject's normalised values into what the vault stores.

A :class:`Sealed` holds only ciphertext — the wrapped data key, the framed field ciphertexts and
the blind-index digests — so it can be kept in memory, passed between processes or discarded
without exposing anything. Sealing needs the master wrap key and the index key, not the
database; the CSV import seals in worker processes while the main process writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from opeka.policy.values import email_index_form
from opeka.vault import crypto
from opeka.vault.blind_index import BlindIndexer, IndexKind
from opeka.vault.ids import new_subject_id

INDEX_KINDS: dict[str, IndexKind] = {"email": IndexKind.EMAIL, "phone": IndexKind.PHONE}


@dataclass(frozen=True, slots=True)
class Sealed:
    """A new subject, encrypted and indexed, ready to store."""

    subject_id: uuid.UUID
    category: str
    fields: tuple[str, ...]
    wrapped_key: bytes
    payload: bytes
    index: tuple[tuple[int, int], ...]

    def to_wire(self) -> Wire:
        """A plain tuple: pickles about ten times faster than the dataclass."""
        return (
            self.subject_id.bytes,
            self.category,
            self.fields,
            self.wrapped_key,
            self.payload,
            self.index,
        )

    @classmethod
    def from_wire(cls, wire: Wire) -> Sealed:
        """The inverse of :meth:`to_wire`."""
        sid, category, fields, wrapped, payload, index = wire
        return cls(uuid.UUID(bytes=sid), category, fields, wrapped, payload, index)


Wire = tuple[bytes, str, tuple[str, ...], bytes, bytes, tuple[tuple[int, int], ...]]


@dataclass(frozen=True, slots=True)
class SealerKeys:
    """What a sealer needs, in a form that can be handed to a worker process."""

    wrap_key: bytes
    index_key: bytes
    index_bits: int
    indexed: Mapping[str, str]


def index_form(kind: str, value: str) -> str:
    """The form of a stored (already normalised) value that its blind index hashes."""
    return email_index_form(value) if kind == "email" else value


class Sealer:
    """Encrypts and indexes new subjects."""

    def __init__(self, keys: SealerKeys) -> None:
        self.keys = keys
        self.wrapper = AESGCM(keys.wrap_key)
        self.indexer = BlindIndexer(keys.index_key, keys.index_bits)
        self._indexed = [(code, kind, INDEX_KINDS[kind]) for code, kind in keys.indexed.items()]

    def digests(self, values: Mapping[str, str]) -> tuple[tuple[int, int], ...]:
        """Blind-index ``(kind, digest)`` pairs for the indexed fields among ``values``."""
        digest = self.indexer.digest
        out: list[tuple[int, int]] = []
        for code, kind, index_kind in self._indexed:
            value = values.get(code)
            if value is not None:
                pair = (int(index_kind), digest(index_kind, index_form(kind, value)))
                if pair not in out:
                    out.append(pair)
        return tuple(out)

    def seal(self, category: str, values: Mapping[str, str]) -> tuple[Sealed, AESGCM]:
        """Seal one subject under a fresh id and data key; also returns the key's cipher."""
        subject_id = new_subject_id()
        data_key = crypto.new_data_key()
        cipher = AESGCM(data_key)
        sealed = Sealed(
            subject_id=subject_id,
            category=category,
            fields=tuple(sorted(values)),
            wrapped_key=crypto.wrap_key(self.wrapper, subject_id, data_key),
            payload=crypto.pack_payload(crypto.encrypt_fields(cipher, subject_id, values)),
            index=self.digests(values),
        )
        return sealed, cipher
