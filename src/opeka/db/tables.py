"""Import every table module so that the metadata objects are complete."""

from opeka.db import auth, consents, imports, journal, keys, requests, subjects

__all__ = ["auth", "consents", "imports", "journal", "keys", "requests", "subjects"]
