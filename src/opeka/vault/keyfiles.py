"""The secrets that live outside the database: the master key and the journal signing key.

The master key (32 random bytes) comes from ``OPEKA_MASTER_KEY`` (base64) or from the file
``keys/master.key`` that ``opeka init`` creates with mode 0600. Two working keys are derived
from it with HKDF-SHA256 under distinct labels, so that each job has its own key: one wraps the
per-subject data keys, the other keys the blind indexes. The journal's Ed25519 signing key is a
separate file: whoever can read the database cannot sign a checkpoint.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from opeka.vault.errors import KeyFileError

KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class MasterKey:
    """The master key's derived working keys and its public identifier."""

    key_id: str
    wrap_key: bytes
    index_key: bytes

    @classmethod
    def from_secret(cls, secret: bytes) -> MasterKey:
        """Derive the working keys from the 32-byte master secret."""
        if len(secret) != KEY_BYTES:
            raise KeyFileError(f"the master key must be {KEY_BYTES} bytes, got {len(secret)}")
        key_id = hashlib.sha256(b"opeka master key id\x00" + secret).hexdigest()[:16]
        return cls(
            key_id=key_id, wrap_key=_derive(secret, b"wrap"), index_key=_derive(secret, b"index")
        )


def _derive(secret: bytes, label: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"opeka/v1/" + label
    ).derive(secret)


def decode_master_key(text: str) -> bytes:
    """Decode a base64 master key as given in ``OPEKA_MASTER_KEY`` or the key file."""
    try:
        raw = base64.b64decode(text.strip(), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise KeyFileError("the master key is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise KeyFileError(f"the master key must decode to {KEY_BYTES} bytes, got {len(raw)}")
    return raw


def new_master_key_text() -> str:
    """A fresh random master key, base64-encoded."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def write_secret_file(path: Path, content: bytes) -> None:
    """Create ``path`` with mode 0600 (its folder 0700); refuse to overwrite an existing key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"{path} already exists; refusing to overwrite a key") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def read_secret_file(path: Path) -> bytes:
    """Read a key file, refusing one that others can read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise KeyFileError(f"{path} is missing; run `opeka init` first") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(f"{path} is readable by others; run `chmod 600 {path}`")
    return path.read_bytes()


def load_master_key(*, env_value: str | None, key_file: Path) -> MasterKey:
    """The master key from the environment if given, else from the key file."""
    text = env_value if env_value is not None else read_secret_file(key_file).decode("ascii")
    return MasterKey.from_secret(decode_master_key(text))


def new_signing_key_pem() -> bytes:
    """A fresh Ed25519 private key in PKCS#8 PEM."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """Load the journal signing key from its file."""
    try:
        key = serialization.load_pem_private_key(read_secret_file(path), password=None)
    except ValueError:
        raise KeyFileError(f"{path} is not an Ed25519 private key in PEM") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} is not an Ed25519 private key")
    return key
