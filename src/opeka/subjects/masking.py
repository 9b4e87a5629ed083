"""Masks of personal data for the console: enough to tell records apart, never the value.

A mask shows at most the first character of a name-like value, and of an e-mail the first
character of the local part and of the domain and the top-level domain («a***@e***.org»).
Every other kind (phones, dates, card and document numbers, countries) is shown as
:data:`MASK`. A mask is computed from a value read through the spine, so the read that made it
is journaled like any other.
"""

from __future__ import annotations

from opeka.policy.schema import FieldKind

__all__ = ["MASK", "mask_email", "mask_value"]

MASK = "••••"
HIDDEN = "***"
_FIRST_LETTER = frozenset({FieldKind.PERSON_NAME, FieldKind.TEXT, FieldKind.ADDRESS})


def mask_email(value: str) -> str:
    """``a***@e***.org`` for ``anna@example.org``; :data:`MASK` when it is not an e-mail."""
    local, at, domain = value.strip().rpartition("@")
    if not at or not local or not domain:
        return MASK
    host, dot, tld = domain.rpartition(".")
    if not dot or not host or not tld.isalpha():
        return f"{local[0]}{HIDDEN}@{HIDDEN}"
    return f"{local[0]}{HIDDEN}@{host[0]}{HIDDEN}.{tld}"


def mask_value(kind: FieldKind, value: str) -> str:
    """The mask of ``value`` of a field of ``kind`` (see the module docstring)."""
    text = value.strip()
    if not text:
        return MASK
    if kind is FieldKind.EMAIL:
        return mask_email(text)
    if kind in _FIRST_LETTER:
        return f"{text[0]}{HIDDEN}"
    return MASK
