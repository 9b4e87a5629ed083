"""Consents to give again: the signed-in subject's consents to a version changed in substance.

When a consent document changes in what it says (purpose, data, actions, recipients, term —
:func:`opeka.consent.registry.publish` marks the old versions), a consent given to an old
version must be given again to the new one; until then the portal asks the subject to review
it on «Мои согласия» and «Мои данные». The consent form already offers the current version.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection

from opeka.consent import registry

__all__ = ["pending_reconsent"]


def pending_reconsent(conn: Connection, *, subject_id: uuid.UUID) -> tuple[str, ...]:
    """The purposes whose consent the subject must review and give again, sorted."""
    return tuple(purpose for _, purpose in registry.reconsent_needed(conn, subject_id=subject_id))
