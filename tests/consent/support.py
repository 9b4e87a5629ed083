"""Helpers of the consent tests: subjects, published versions, consent events, the journal."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Literal

from tests.cli.support import journal_entries
from tests.factories import client_values, visitor_values

from opeka.app import Opeka
from opeka.consent import records, registry, store
from opeka.consent.evidence import Evidence
from opeka.policy.loader import DEFAULT_POLICY_PATH
from opeka.processing import Actor

EVIDENCE = Evidence.collect(form_id="question-form", ip="203.0.113.77", user_agent="Mozilla/5.0")
STAFF = Actor.staff("ivanova")
POSITION = "title: {ru: Должность, en: Position}"
POSITION_EDITED = "title: {ru: Должность в организации, en: Position}"
"""A field title edit in the policy file: material for every document listing the position."""


def current_version(opeka: Opeka, document_id: str) -> str:
    """The current published version of ``document_id``."""
    with opeka.data_engine.connect() as conn:
        found = registry.current(conn, document_id)
    assert found is not None, document_id
    return found.version


def new_client(opeka: Opeka, i: int = 1) -> uuid.UUID:
    """A client collected under the contract purpose 2.2.7 (no consent needed)."""
    with opeka.processing(STAFF, "2.2.7") as p:
        return p.collect(category="client", values=client_values(i), source="договор")


def new_visitor(opeka: Opeka, i: int = 1) -> uuid.UUID:
    """A visitor collected under 2.2.6 (legitimate interest: no consent needed)."""
    with opeka.processing(STAFF, "2.2.6") as p:
        return p.collect(category="visitor", values=visitor_values(i), source="форма")


def edited_policy(tmp_path: Path, old: str, new: str, *, name: str = "policy.yaml") -> Path:
    """A copy of the seed policy file with ``old`` replaced by ``new`` (exactly once)."""
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def give(
    opeka: Opeka, sid: uuid.UUID, document_id: str, *, channel: str = "portal"
) -> records.ConsentRecord:
    """The subject consents to the current version of ``document_id`` (as itself)."""
    with opeka.unit_of_work() as uow:
        return records.give(
            uow,
            actor=Actor("subject", str(sid)),
            subject_id=sid,
            document_id=document_id,
            version=current_version(opeka, document_id),
            channel=channel,
            evidence=EVIDENCE,
        )


def withdraw(
    opeka: Opeka, sid: uuid.UUID, purposes: list[str] | Literal["all"]
) -> records.WithdrawalOutcome:
    """The subject withdraws ``purposes`` in the portal."""
    with opeka.unit_of_work() as uow:
        return records.withdraw(
            uow,
            actor=Actor("subject", str(sid)),
            subject_id=sid,
            purposes=purposes,
            channel="portal",
        )


def stored(opeka: Opeka, sid: uuid.UUID) -> list[records.ConsentRecord]:
    """The subject's consent records, oldest first."""
    with opeka.data_engine.connect() as conn:
        return store.history(conn, subject_id=sid)


def read_email(opeka: Opeka, sid: uuid.UUID, purpose: str) -> dict[str, str]:
    """The subject's e-mail read through the spine for ``purpose`` (refused without a basis)."""
    with opeka.processing(STAFF, purpose) as p:
        return p.read(sid, ["email"])


def last_refusal(opeka: Opeka) -> str:
    """The reason of the newest refused journal entry."""
    refused = [e for e in journal_entries(opeka) if e.result == "refused"]
    return refused[-1].reason
