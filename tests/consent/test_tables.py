"""Migration 0003_consent creates exactly the consent tables, with their integrity checks."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from tests.db.test_migrations import schema_diff

from opeka.app import Opeka
from opeka.db.base import data_metadata
from opeka.db.consents import consent_record

pytestmark = [
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based"),
]
MINE = ("consent_document", "consent_record")


def test_the_migrated_consent_tables_match_their_metadata(opeka: Opeka) -> None:
    diff = schema_diff(opeka.data_engine, data_metadata, "data")
    assert [d for d in diff if any(name in repr(d) for name in MINE)] == []


def _record(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": uuid.uuid4(),
        "subject_id": None,
        "visitor_id": uuid.uuid4(),
        "event": "withdrawn",
        "purpose": "2.2.8",
        "channel": "form",
        "language": "ru",
        "actor": "system:test",
        "recorded_at": dt.datetime.now(dt.UTC),
    }
    return row | overrides


BAD_ROWS: list[dict[str, object]] = [
    {"visitor_id": None},  # no principal
    {"event": "changed"},  # not an event
    {"event": "given"},  # a consent given names its document
    {"event": "given", "document_id": "consent:x:y", "document_version": "1"},  # unknown
]


def test_the_database_refuses_records_that_break_the_rules_and_takes_good_ones(
    opeka: Opeka,
) -> None:
    for bad in BAD_ROWS:
        with opeka.data_engine.connect() as conn, pytest.raises(IntegrityError):
            conn.execute(insert(consent_record).values(**_record(**bad)))
    with opeka.data_engine.begin() as conn:
        conn.execute(insert(consent_record).values(**_record()))
