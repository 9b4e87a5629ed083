"""Errors of the journal.

JournalError
├── JournalNotInitialised   the journal head row is missing (run `opeka init`)
└── JournalCorrupt          verification failed; ``seq`` names the first bad entry if known
"""

from __future__ import annotations


class JournalError(Exception):
    """Base of the journal's errors."""


class JournalNotInitialised(JournalError):
    """The journal has no head row: the database was not initialised."""


class JournalCorrupt(JournalError):
    """The journal does not verify; ``seq`` is the first bad entry when one can be named."""

    def __init__(self, message: str, *, seq: int | None = None) -> None:
        self.seq = seq
        super().__init__(message)
