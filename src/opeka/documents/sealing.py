"""Encryption of acts of destruction: AES-256-GCM under a key derived from the master key.

An act names the destroyed subjects (Order 179 p. 3 "в"), so its body and every subject entry
are sealed. The key is HKDF-SHA256 over the master key's wrapping key with the label
``opeka/v1/documents/act`` — a key of its own, never stored, the same in every process that
holds the master key. Each ciphertext is bound to its place (act number and part) through the
associated data, so an entry moved to another act or position does not open. Changing the
master key makes old acts unreadable: re-seal them before (not provided yet).
"""

from __future__ import annotations

import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from opeka.documents.errors import ActUnreadable
from opeka.uow import Services

LABEL = b"opeka/v1/documents/act"
NONCE = 12
KEY_BYTES = 32


class ActCipher:
    """Seals and opens the parts of acts."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"the act key must be {KEY_BYTES} bytes")
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "ActCipher(<hidden>)"

    @classmethod
    def from_wrap_key(cls, wrap_key: bytes) -> ActCipher:
        """The cipher whose key is derived from the master key's wrapping key."""
        return _cached(wrap_key)

    @classmethod
    def of(cls, services: Services) -> ActCipher:
        """The cipher of a wired Opeka (``opeka.services`` or ``uow.services``)."""
        return _cached(services.sealer.keys.wrap_key)

    def seal(self, plaintext: bytes, *, place: str) -> bytes:
        """Nonce ‖ ciphertext of ``plaintext`` bound to ``place`` (e.g. ``2026-А-000001/body``)."""
        nonce = os.urandom(NONCE)
        return nonce + self._aead.encrypt(nonce, plaintext, place.encode("utf-8"))

    def open(self, blob: bytes, *, place: str) -> bytes:
        """The plaintext of ``blob`` sealed for ``place``; :class:`ActUnreadable` otherwise."""
        try:
            return self._aead.decrypt(blob[:NONCE], blob[NONCE:], place.encode("utf-8"))
        except (InvalidTag, ValueError):
            raise ActUnreadable(
                "an act does not decrypt: another master key, or the row was altered",
                message_ru="акт не расшифровывается: другой мастер-ключ или запись изменена",
            ) from None


@functools.lru_cache(maxsize=8)
def _cached(wrap_key: bytes) -> ActCipher:
    key = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=LABEL).derive(wrap_key)
    return ActCipher(key)
