"""AES-256-GCM for subject keys and field values, and the framing of a subject's values.

* A subject's data key is 32 random bytes, wrapped by the master wrap key with the subject id as
  associated data: a wrapped key copied to another subject fails to unwrap.
* Each field value is encrypted under the subject's data key with associated data binding it to
  the subject and the field code: a ciphertext moved to another subject or field fails.
* A subject's ciphertexts are stored together in one value (``payload``): a version byte, then
  for each field ``len(code) code len(ct) ct``. One row per subject keeps imports and erasures
  cheap; each field stays separately encrypted and authenticated.
"""

from __future__ import annotations

import functools
import os
import struct
import uuid
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from opeka.vault.errors import IntegrityError

NONCE = 12
PAYLOAD_VERSION = 1
_KEY_AD = b"opeka/v1/subject-key/"
_FIELD_AD = b"opeka/v1/field/"
_U16 = struct.Struct(">H")
_VERSION_BYTE = bytes((PAYLOAD_VERSION,))


def new_data_key() -> bytes:
    """A fresh random 256-bit data key for one subject."""
    return os.urandom(32)


def wrap_key(wrapper: AESGCM, subject_id: uuid.UUID, data_key: bytes) -> bytes:
    """Encrypt a subject's data key under the master wrap key."""
    nonce = os.urandom(NONCE)
    return nonce + wrapper.encrypt(nonce, data_key, _KEY_AD + subject_id.bytes)


def unwrap_key(wrapper: AESGCM, subject_id: uuid.UUID, wrapped: bytes) -> bytes:
    """Decrypt a subject's data key; :class:`IntegrityError` if it belongs to someone else."""
    try:
        return wrapper.decrypt(wrapped[:NONCE], wrapped[NONCE:], _KEY_AD + subject_id.bytes)
    except (InvalidTag, ValueError):  # ValueError: too short to hold a nonce
        raise IntegrityError("the subject key does not authenticate") from None


def field_ad(subject_id: uuid.UUID, code: str) -> bytes:
    """Associated data binding a ciphertext to its subject and field."""
    return _FIELD_AD + subject_id.bytes + b"/" + code.encode("ascii")


def encrypt_fields(
    key: AESGCM, subject_id: uuid.UUID, values: Mapping[str, str]
) -> dict[str, bytes]:
    """Encrypt each value under the subject key; returns code → nonce‖ciphertext‖tag.

    Every value gets a fresh random 96-bit nonce (one ``urandom`` call for all of them).
    """
    prefix = _FIELD_AD + subject_id.bytes + b"/"
    nonces = os.urandom(NONCE * len(values))
    out: dict[str, bytes] = {}
    for i, (code, value) in enumerate(values.items()):
        nonce = nonces[i * NONCE : (i + 1) * NONCE]
        out[code] = nonce + key.encrypt(nonce, value.encode("utf-8"), prefix + _code_bytes(code))
    return out


@functools.cache
def _code_bytes(code: str) -> bytes:
    return code.encode("ascii")


@functools.cache
def _frame_header(code: str) -> bytes:
    name = code.encode("ascii")
    return bytes((len(name),)) + name


def decrypt_field(key: AESGCM, subject_id: uuid.UUID, code: str, blob: bytes) -> str:
    """Decrypt one field; :class:`IntegrityError` if it was altered or moved."""
    try:
        plain = key.decrypt(blob[:NONCE], blob[NONCE:], field_ad(subject_id, code))
    except (InvalidTag, ValueError):  # ValueError: too short to hold a nonce
        raise IntegrityError(f"field `{code}` does not authenticate") from None
    return plain.decode("utf-8")


def pack_payload(ciphertexts: dict[str, bytes]) -> bytes:
    """Frame a subject's field ciphertexts in one value."""
    parts = [_VERSION_BYTE]
    pack = _U16.pack
    for code in sorted(ciphertexts):
        blob = ciphertexts[code]
        parts += (_frame_header(code), pack(len(blob)), blob)
    return b"".join(parts)


def unpack_payload(payload: bytes) -> dict[str, bytes]:
    """Split a framed value back into field code → ciphertext."""
    if not payload or payload[0] != PAYLOAD_VERSION:
        raise IntegrityError("unknown payload version")
    out: dict[str, bytes] = {}
    pos, end = 1, len(payload)
    try:
        while pos < end:
            n = payload[pos]
            code = payload[pos + 1 : pos + 1 + n].decode("ascii")
            pos += 1 + n
            (size,) = _U16.unpack_from(payload, pos)
            pos += 2
            out[code] = payload[pos : pos + size]
            if len(out[code]) != size:
                raise IntegrityError("truncated payload")
            pos += size
    except (IndexError, struct.error, UnicodeDecodeError):
        raise IntegrityError("malformed payload") from None
    return out
