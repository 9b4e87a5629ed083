"""Consent records are append-only: a withdrawal is a new row; nothing updates or deletes."""

from __future__ import annotations

import re
from pathlib import Path

from tests.consent.support import (
    give,
    new_client,
    stored,
    withdraw,
)

from opeka.app import Opeka
from opeka.consent import records, store

CONSENT_PACKAGE = Path(records.__file__).parent


def test_withdrawal_appends_and_never_changes_the_consent_record(published: Opeka) -> None:
    sid = new_client(published)
    given = give(published, sid, "consent:2.2.8:client")
    outcome = withdraw(published, sid, ["2.2.8"])
    history = stored(published, sid)
    assert history[0] == given
    assert history[1] == outcome.records[0]
    assert history[1].event is store.Event.WITHDRAWN
    assert (history[1].document_id, history[1].text_hash) == (given.document_id, given.text_hash)


def test_no_update_or_delete_of_consent_records_anywhere_in_the_package() -> None:
    pattern = re.compile(
        r"(update|delete)\(\s*consent_record|(UPDATE|DELETE\s+FROM)\s+\"?consent_record",
        re.IGNORECASE,
    )
    sources = list(CONSENT_PACKAGE.rglob("*.py"))
    assert len(sources) > 5
    for source in sources:
        assert not pattern.search(source.read_text(encoding="utf-8")), source.name
    writers = [s.name for s in sources if "insert(consent_record" in s.read_text("utf-8")]
    assert writers == ["store.py"]
