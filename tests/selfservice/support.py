"""Helpers of the self-service tests: unique people, the journal of one subject, versions."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from opeka.app import Opeka
from opeka.auth.context import Auth
from opeka.consent import registry
from opeka.db.subjects import subject
from opeka.journal.entry import Entry
from opeka.journal.export import select_entries
from opeka.selfservice import registration
from opeka.selfservice.client import Client

PASSWORD = "Correct-horse-7"
CLIENT = Client(ip="203.0.113.77", user_agent="Mozilla/5.0 (test)", language="ru")


def email(prefix: str = "user") -> str:
    """A unique e-mail address on example.org."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.org"


def person(address: str | None = None, **extra: str) -> dict[str, str]:
    """Values of a registered user (mandatory fields filled)."""
    values = {"last_name": "Иванова", "first_name": "Мария", "email": address or email()}
    values.update(extra)
    return values


def version(opeka: Opeka, purpose: str, category: str = "registered") -> str:
    """The current version of the consent document of ``purpose`` for ``category``."""
    with opeka.data_engine.connect() as conn:
        found = registry.current(conn, f"consent:{purpose}:{category}")
    assert found is not None
    return found.version


def register(
    opeka: Opeka,
    auth: Auth,
    *,
    values: dict[str, str] | None = None,
    consents: tuple[str, ...] = (),
) -> registration.Registered:
    """Register a new portal user with the consents of ``consents`` ticked."""
    with opeka.unit_of_work() as uow:
        return registration.register(
            uow,
            auth=auth,
            values=values or person(),
            password=PASSWORD,
            password_repeat=PASSWORD,
            consent_versions={p: version(opeka, p) for p in consents},
            client=CLIENT,
        )


def entries(opeka: Opeka, subject_id: uuid.UUID | None) -> list[Entry]:
    """The journal entries of one subject (or of none), oldest first."""
    with opeka.data_engine.connect() as conn:
        if subject_id is not None:
            return list(select_entries(conn, subject_id=subject_id))
        return [e for e in select_entries(conn) if e.subject_id is None]


def status(opeka: Opeka, subject_id: uuid.UUID) -> str:
    """The subject's status."""
    with opeka.data_engine.connect() as conn:
        return str(
            conn.execute(select(subject.c.status).where(subject.c.id == subject_id)).scalar()
        )


def subject_count(opeka: Opeka) -> int:
    """How many subjects the store holds."""
    with opeka.data_engine.connect() as conn:
        return len(conn.execute(select(subject.c.id)).all())
