"""Import every table module so that the metadata objects are complete."""

from opeka.db import (
    auth,
    consents,
    cookies,
    documents,
    idempotency,
    imports,
    journal,
    keys,
    requests,
    subjects,
)

__all__ = [
    "auth",
    "consents",
    "cookies",
    "documents",
    "idempotency",
    "imports",
    "journal",
    "keys",
    "requests",
    "subjects",
]
