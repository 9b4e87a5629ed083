"""Import every table module so that the metadata objects are complete."""

from opeka.db import imports, journal, keys, subjects

__all__ = ["imports", "journal", "keys", "subjects"]
