"""The journal in the console: recent entries, the subject filter, and the verify button."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import func, select, update
from tests.web.console.support import as_role, collect_client

from opeka.app import Opeka
from opeka.db.journal import journal_entry


def test_recent_entries_newest_first_with_their_columns(app: FastAPI, opeka: Opeka) -> None:
    sid = collect_client(opeka)
    page = as_role(app, "auditor").get("/console/journal")
    assert page.status_code == 200
    assert str(sid) in page.text
    assert "сбор" in page.text
    assert "staff:seed" in page.text
    assert "2.2.7" in page.text


def test_the_filter_shows_one_subject(app: FastAPI, opeka: Opeka) -> None:
    first, second = collect_client(opeka), collect_client(opeka)
    auditor = as_role(app, "auditor")
    answer = auditor.post("/console/journal/filter", {"subject": str(first)})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/console/journal?subject={first}"
    page = auditor.get("/console/journal", subject=str(first))
    assert str(first) in page.text
    assert str(second) not in page.text
    assert auditor.post("/console/journal/filter", {"subject": "x"}).status_code == 422


def test_pages_go_back_in_time(app: FastAPI, opeka: Opeka) -> None:
    for _ in range(3):
        collect_client(opeka)
    auditor = as_role(app, "auditor")
    first = auditor.get("/console/journal").text
    assert "Более ранние записи" in first or first.count("<tr") <= 51
    older = auditor.get("/console/journal", before="3")
    assert older.status_code == 200
    assert "<td>2</td>" in older.text
    assert "<td>3</td>" not in older.text


def test_verify_reports_an_intact_journal(app: FastAPI, opeka: Opeka) -> None:
    collect_client(opeka)
    page = as_role(app, "auditor").post("/console/journal/verify")
    assert page.status_code == 200
    assert "Журнал цел" in page.text


def test_verify_names_the_first_tampered_entry(app: FastAPI, opeka: Opeka) -> None:
    collect_client(opeka)
    collect_client(opeka)
    auditor = as_role(app, "auditor")
    with opeka.data_engine.begin() as conn:
        seq = conn.execute(select(func.max(journal_entry.c.seq))).scalar_one() - 1
        entry = select(journal_entry.c.entry).where(journal_entry.c.seq == seq)
        blob = bytes(conn.execute(entry).scalar_one())
        assert b"staff:seed" in blob
        forged = blob.replace(b"staff:seed", b"staff:evil")
        conn.execute(update(journal_entry).where(journal_entry.c.seq == seq).values(entry=forged))
    try:
        page = auditor.post("/console/journal/verify")
        assert page.status_code == 200
        assert "НЕ прошёл проверку" in page.text
        assert f'<strong class="bad-entry">{seq}</strong>' in page.text
    finally:
        with opeka.data_engine.begin() as conn:
            conn.execute(update(journal_entry).where(journal_entry.c.seq == seq).values(entry=blob))
    assert "Журнал цел" in auditor.post("/console/journal/verify").text


def test_verify_without_the_csrf_token_is_refused(app: FastAPI) -> None:
    assert as_role(app, "auditor").post("/console/journal/verify", csrf=False).status_code == 403


def test_roles_without_the_journal_are_refused(app: FastAPI) -> None:
    support = as_role(app, "support")
    assert support.get("/console/journal").status_code == 403
    assert support.post("/console/journal/verify").status_code == 403
    assert "/console/journal" not in support.get("/console").text
