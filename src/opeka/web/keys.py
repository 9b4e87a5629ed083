"""Keys the web layer derives from the master key (never stored): CSRF and cookies."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from opeka.vault.keyfiles import MasterKey


def web_key(master: MasterKey, label: str) -> bytes:
    """A 256-bit key for ``label``, derived with HKDF from the master's index key."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"opeka/v1/web/" + label.encode()
    ).derive(master.index_key)
