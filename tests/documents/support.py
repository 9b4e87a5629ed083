"""Helpers of the documents tests: subjects, destructions with acts, the journal, PDF checks."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from tests.factories import client_values

from opeka.app import Opeka
from opeka.db.journal import journal_entry
from opeka.documents import acts
from opeka.journal.entry import Entry, decode
from opeka.processing.actor import Actor
from opeka.processing.lifecycle import DestructionResult
from opeka.requests.journaling import DUTY

STAFF = Actor.staff("ivanova")


def collect_clients(opeka: Opeka, *numbers: int) -> list[uuid.UUID]:
    """Clients collected under the contract purpose 2.2.7."""
    with opeka.processing(STAFF, "2.2.7") as p:
        return [
            p.collect(category="client", values=client_values(i), source="договор") for i in numbers
        ]


def name_of(i: int) -> str:
    """The name the act captures for client ``i`` (last name, first name)."""
    values = client_values(i)
    return f"{values['last_name']} {values['first_name']}"


def destroy_with_act(
    opeka: Opeka, *sids: uuid.UUID, reason: str = "withdrawal", capture: bool = True
) -> tuple[str, list[DestructionResult]]:
    """Destroy subjects together and record one act for them, in one unit of work."""
    with opeka.processing(STAFF, DUTY) as p:
        results = [p.destroy(sid, reason_code=reason, capture_identifier=capture) for sid in sids]
        return acts.record_act(p.uow, results, STAFF), results


def journal(opeka: Opeka) -> list[Entry]:
    """Every journal entry, oldest first."""
    with opeka.data_engine.connect() as conn:
        rows = conn.execute(select(journal_entry.c.entry).order_by(journal_entry.c.seq))
        return [decode(bytes(row[0])) for row in rows]


def pdf_title_holds(pdf: bytes, text: str) -> bool:
    """Whether the PDF's document title (UTF-16BE hex, as fpdf2 writes it) contains ``text``."""
    return text.encode("utf-16-be").hex().encode() in pdf
