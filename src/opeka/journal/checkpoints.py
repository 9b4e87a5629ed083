"""Signed checkpoints: RFC 9162 tree heads as C2SP signed notes, kept in and outside the database.

A checkpoint's body is ``origin``, tree size, base64 root hash and a ``time`` extension line;
an Ed25519 signature over the body follows in the signed-note format (``— name base64(key hash ‖
signature)``). The signing key lives in a file, never in the database, so whoever can rewrite
the database cannot forge a checkpoint; every checkpoint is also appended to a file outside the
database, so a truncated or wholesale-rewritten journal no longer matches it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIGNATURE_PREFIX = "\u2014 "  # em dash and space, as signed notes require


class CheckpointError(ValueError):
    """A checkpoint is malformed or its signature does not verify."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A verified tree head."""

    origin: str
    size: int
    root: bytes
    time_us: int
    note: str


def key_hash(name: str, public_key: Ed25519PublicKey) -> bytes:
    """The 4-byte key hash of a signed-note Ed25519 key (C2SP signed-note)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(name.encode("utf-8") + b"\n\x01" + raw).digest()[:4]


def sign(key: Ed25519PrivateKey, *, origin: str, size: int, root: bytes, time_us: int) -> str:
    """The signed note of a checkpoint."""
    body = f"{origin}\n{size}\n{base64.b64encode(root).decode()}\ntime {time_us}\n"
    signature = key.sign(body.encode("utf-8"))
    stamp = base64.b64encode(key_hash(origin, key.public_key()) + signature).decode()
    return f"{body}\n{SIGNATURE_PREFIX}{origin} {stamp}\n"


def verify(note: str, public_key: Ed25519PublicKey) -> Checkpoint:
    """Parse a signed note and check its signature; :class:`CheckpointError` otherwise."""
    body, sep, signatures = note.partition("\n\n")
    if not sep:
        raise CheckpointError("no signature block")
    lines = body.split("\n")
    if len(lines) != 4 or not lines[3].startswith("time "):
        raise CheckpointError("malformed checkpoint body")
    origin = lines[0]
    try:
        size, time_us = int(lines[1]), int(lines[3][5:])
        root = base64.b64decode(lines[2], validate=True)
    except (ValueError, binascii.Error):
        raise CheckpointError("malformed size, time or root") from None
    expected = key_hash(origin, public_key)
    for line in signatures.splitlines():
        if not line.startswith(SIGNATURE_PREFIX + origin + " "):
            continue
        try:
            blob = base64.b64decode(line.rsplit(" ", 1)[1], validate=True)
        except (ValueError, binascii.Error):
            continue
        if blob[:4] != expected:
            continue
        try:
            public_key.verify(blob[4:], (body + "\n").encode("utf-8"))
        except InvalidSignature:
            raise CheckpointError(f"bad signature on checkpoint of size {size}") from None
        return Checkpoint(origin=origin, size=size, root=root, time_us=time_us, note=note)
    raise CheckpointError(f"checkpoint of size {size} carries no signature by this key")


class CheckpointFile:
    """The append-only copy of the checkpoints outside the database (one JSON line each)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, notes: list[str]) -> None:
        """Append notes and fsync, creating the file (0600) if needed."""
        if not notes:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            for note in notes:
                handle.write(json.dumps({"note": note}, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def read(self) -> list[str]:
        """Every note in the file, oldest first (an absent file has none)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        notes: list[str] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                notes.append(str(json.loads(line)["note"]))
            except (ValueError, KeyError, TypeError):
                raise CheckpointError(f"{self.path}:{number}: not a checkpoint line") from None
        return notes
