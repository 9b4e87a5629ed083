"""Errors of the vault.

VaultError
├── KeyFileError        a key file is missing, unreadable, malformed or too open
├── IntegrityError      a ciphertext or wrapped key fails authentication (moved or altered)
└── SubjectKeyMissing   the subject's key is gone (destroyed: its data are unreadable)
"""

from __future__ import annotations


class VaultError(Exception):
    """Base of the vault's errors."""


class KeyFileError(VaultError):
    """A key file or key variable is missing or invalid; the message says which and what to do."""


class IntegrityError(VaultError):
    """Authentication failed: the ciphertext was altered or moved to another subject or field."""


class SubjectKeyMissing(VaultError):
    """The subject has no key in the key store (it was destroyed)."""
