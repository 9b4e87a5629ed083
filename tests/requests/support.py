"""Helpers of the request tests: fixed times, subjects, requests opened through the service."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from tests.factories import client_values, visitor_values

from opeka.app import Opeka
from opeka.consent import grants
from opeka.db.journal import journal_entry
from opeka.journal.entry import Entry, decode
from opeka.processing import Actor, ConsentEvidence
from opeka.requests import service, store
from opeka.requests.clock import MOSCOW
from opeka.requests.kinds import VerificationMethod
from opeka.requests.store import RequestRow

STAFF = Actor.staff("ivanova")
SWEEPER = Actor.system("requests-sweep")
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=MOSCOW)
"""The clock of the tests that pass ``now`` (numbers are taken in this year)."""
DOCUMENT = "паспорт РФ, проверен лично"


def msk(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A Moscow time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=MOSCOW)


def collect_client(opeka: Opeka, i: int = 1) -> uuid.UUID:
    """A client collected under the contract purpose 2.2.7 (no consent)."""
    with opeka.processing(STAFF, "2.2.7") as p:
        return p.collect(category="client", values=client_values(i), source="договор")


def collect_visitor(
    opeka: Opeka, i: int = 1, purposes: Sequence[str] = ("2.2.8", "2.2.9")
) -> uuid.UUID:
    """A visitor who consented to ``purposes`` (collected under the first one)."""
    evidence = ConsentEvidence("form", "форма обратной связи, версия 3")
    with opeka.processing(STAFF, purposes[0]) as p:
        sid = p.collect(
            category="visitor", values=visitor_values(i), source="форма", consent=evidence
        )
        grants.record(p.uow.data, subject_id=sid, purposes=list(purposes[1:]), evidence=evidence)
    return sid


def open_request(
    opeka: Opeka,
    kind: str,
    received: dt.datetime,
    *,
    subject_id: uuid.UUID | None = None,
    purposes: Sequence[str] = (),
    channel: str = "paper",
) -> RequestRow:
    """Register a request through the service, as staff would."""
    with opeka.unit_of_work() as uow:
        return service.open_request(
            uow,
            kind=kind,
            channel=channel,
            received_at=received,
            subject_id=subject_id,
            purposes=purposes,
            actor=STAFF,
            now=NOW,
        )


def verify(opeka: Opeka, request_id: uuid.UUID) -> RequestRow:
    """Confirm the requester's identity from a document."""
    with opeka.unit_of_work() as uow:
        return service.verify(
            uow,
            request_id=request_id,
            method=VerificationMethod.STAFF_DOCUMENT,
            evidence=DOCUMENT,
            actor=STAFF,
        )


def load(opeka: Opeka, request_id: uuid.UUID | str) -> RequestRow:
    """The request as stored now."""
    with opeka.data_engine.connect() as conn:
        return store.require(conn, request_id)


def journal(opeka: Opeka) -> list[Entry]:
    """Every journal entry, oldest first."""
    with opeka.data_engine.connect() as conn:
        rows = conn.execute(select(journal_entry.c.entry).order_by(journal_entry.c.seq))
        return [decode(bytes(row[0])) for row in rows]


def reasons(opeka: Opeka, number: str) -> list[str]:
    """The journal reasons that name request ``number``."""
    return [e.reason for e in journal(opeka) if e.reason.startswith(f"запрос {number}:")]
