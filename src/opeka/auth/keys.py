"""Working keys of authentication, derived from the master key (never stored).

:class:`~opeka.vault.keyfiles.MasterKey` holds two working keys, each HKDF-derived from the
master secret. Authentication derives its own from them with HKDF-SHA256 once more, under labels
of its own (``info = "opeka/v1/auth/<label>"``), so that no key serves two jobs and the vault's
keys are left as they are:

========================  =============  ==================================================
key                       input          job
========================  =============  ==================================================
``cookie``                ``wrap_key``   AES-256-GCM of the auth cookie (policy 6.3)
``rate_limit``            ``index_key``  HMAC-SHA256 of rate-limit keys (they hold IPs)
``user_agent``            ``index_key``  HMAC-SHA256 of a session's User-Agent header
========================  =============  ==================================================

Encryption keys come from the wrapping key and keyed hashes from the indexing key, which keeps
each family with its kind; the labels alone would already separate them. Changing the master
key changes every derived key: existing cookies stop opening (everyone signs in again) and rate
limit windows start afresh, which is harmless.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from opeka.vault.keyfiles import KEY_BYTES, MasterKey

LABEL_PREFIX = b"opeka/v1/auth/"


def derive_key(secret_key_material: bytes, label: str) -> bytes:
    """A 32-byte key for ``label``, HKDF-SHA256 (no salt) over a 32-byte working key."""
    if len(secret_key_material) != KEY_BYTES:
        raise ValueError(f"key material must be {KEY_BYTES} bytes")
    if not label or not label.isascii():
        raise ValueError("the label must be non-empty ASCII")
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=None,
        info=LABEL_PREFIX + label.encode("ascii"),
    ).derive(secret_key_material)


@dataclass(frozen=True, slots=True, repr=False)
class AuthKeys:
    """The derived keys (``repr`` hides them)."""

    cookie: bytes
    rate_limit: bytes
    user_agent: bytes

    @classmethod
    def from_master(cls, master: MasterKey) -> AuthKeys:
        """Derive every authentication key from the master key's working keys."""
        return cls(
            cookie=derive_key(master.wrap_key, "cookie"),
            rate_limit=derive_key(master.index_key, "rate-limit"),
            user_agent=derive_key(master.index_key, "user-agent"),
        )

    def __repr__(self) -> str:
        return "AuthKeys(<hidden>)"


def keyed_digest(key: bytes, text: str, *, size: int = 16) -> bytes:
    """HMAC-SHA256 of ``text`` under ``key``, truncated to ``size`` bytes."""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()[:size]


def sha256(data: bytes | str) -> bytes:
    """SHA-256 of a random secret (codes, tokens: no key is needed, they cannot be guessed)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).digest()
