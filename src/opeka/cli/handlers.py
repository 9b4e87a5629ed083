"""Known errors → (one-line message, exit code) for the CLI."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from opeka.app import NotInitialised
from opeka.cli.errors import (
    EXIT_ENVIRONMENT,
    EXIT_INPUT,
    EXIT_INTEGRITY,
    EXIT_REFUSED,
    register_handler,
)
from opeka.journal.errors import JournalCorrupt, JournalError
from opeka.policy.errors import InvalidValue, PolicyFileError, PolicyRefusal
from opeka.processing.errors import SubjectNotFound
from opeka.settings import SettingsError
from opeka.subjects.importer import ImportFileError
from opeka.vault.errors import IntegrityError, KeyFileError, VaultError


@register_handler
def _map(exc: Exception) -> tuple[str, int] | None:
    mapped: tuple[str, int] | None = None
    if isinstance(exc, InvalidValue):
        mapped = (f"invalid input: {exc}", EXIT_INPUT)
    elif isinstance(exc, PolicyRefusal):
        mapped = (f"refused: {exc}", EXIT_REFUSED)
    elif isinstance(exc, PolicyFileError):
        mapped = (f"policy file: {exc}", EXIT_INPUT)
    elif isinstance(exc, JournalCorrupt):
        mapped = (f"journal verification FAILED: {exc}", EXIT_INTEGRITY)
    elif isinstance(exc, IntegrityError):
        mapped = (f"integrity: {exc}", EXIT_INTEGRITY)
    elif isinstance(exc, KeyFileError | NotInitialised | SettingsError):
        mapped = (str(exc), EXIT_ENVIRONMENT)
    elif isinstance(exc, ImportFileError | SubjectNotFound | ValueError):
        mapped = (str(exc), EXIT_INPUT)
    elif isinstance(exc, JournalError | VaultError):
        mapped = (str(exc), EXIT_INTEGRITY)
    elif isinstance(exc, OperationalError):
        mapped = (f"database unavailable: {type(exc.orig).__name__}", EXIT_ENVIRONMENT)
    elif isinstance(exc, SQLAlchemyError):
        mapped = (f"database error: {type(exc).__name__}", EXIT_ENVIRONMENT)
    return mapped
