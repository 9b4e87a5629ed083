"""The consent receipts' Ed25519 key: a file of its own, created on first use with mode 0600.

``keys/consent-signing.key`` (PKCS#8 PEM) sits beside the journal's signing key and, like it,
outside the database: whoever can write the database cannot forge a receipt. Its public half
is written beside it as ``consent-signing.pub``, for anyone who verifies receipts
(``opeka consent verify --public-key``). Back the private key up with the others: receipts
already issued stay verifiable with the public key alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from opeka.vault.errors import KeyFileError
from opeka.vault.keyfiles import load_signing_key, new_signing_key_pem, write_secret_file

KEY_FILE = "consent-signing.key"
PUBLIC_FILE = "consent-signing.pub"


def key_file(keys_dir: Path) -> Path:
    """Where the consent signing key lives in ``keys_dir`` (``Settings.keys_dir``)."""
    return keys_dir / KEY_FILE


def signing_key(keys_dir: Path) -> Ed25519PrivateKey:
    """The consent signing key, created (0600, folder 0700) with its public half if missing."""
    path = key_file(keys_dir)
    if not path.exists():
        # Another process may create it first (O_EXCL refuses): then that key is used.
        with contextlib.suppress(KeyFileError):
            write_secret_file(path, new_signing_key_pem())
    key = load_signing_key(path)
    public = keys_dir / PUBLIC_FILE
    if not public.exists():
        _write_public(public, key.public_key())
    return key


def public_key(keys_dir: Path) -> Ed25519PublicKey:
    """The public key that verifies receipts: the ``.pub`` file, else the private key's half."""
    public = keys_dir / PUBLIC_FILE
    if public.exists():
        return load_public_key(public)
    if not key_file(keys_dir).exists():
        raise KeyFileError(
            f"no consent signing key {key_file(keys_dir)}: no receipt was issued here; "
            "give --public-key"
        )
    return load_signing_key(key_file(keys_dir)).public_key()


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file (SubjectPublicKeyInfo)."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except FileNotFoundError:
        raise KeyFileError(f"{path} is missing") from None
    except ValueError:
        raise KeyFileError(f"{path} is not a public key in PEM") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path} is not an Ed25519 public key")
    return key


def key_id(key: Ed25519PublicKey) -> str:
    """A short id of a public key: the first 16 hex digits of SHA-256 of its raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _write_public(path: Path, key: Ed25519PublicKey) -> None:
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    temporary = path.with_suffix(f".tmp{os.getpid()}")
    temporary.write_bytes(pem)
    os.replace(temporary, path)
