"""«Документы» in the console: acts of destruction listed without names, filtered by date, and
downloaded with their log extract as PDF or JSON (an извлечение journaled per subject)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from tests.factories import client_values
from tests.web.console.support import as_role, personal_data_in_urls

from opeka.app import Opeka
from opeka.db.engine import read_only
from opeka.documents import acts
from opeka.journal.entry import Entry
from opeka.journal.recent import recent_entries
from opeka.processing import Actor
from opeka.requests.clock import moscow_today
from opeka.requests.journaling import DUTY
from opeka.web.console import acts as console_acts

SEED = Actor.staff("seed")


def destroyed_with_act(opeka: Opeka, count: int = 2) -> tuple[str, list[uuid.UUID], list[str]]:
    """``count`` clients collected, destroyed together and written into one act."""
    numbers = [uuid.uuid4().int % 10**7 for _ in range(count)]
    with opeka.processing(SEED, "2.2.7") as p:
        sids = [
            p.collect(category="client", values=client_values(n), source="договор") for n in numbers
        ]
    with opeka.processing(SEED, DUTY) as p:
        results = [p.destroy(s, reason_code="withdrawal", capture_identifier=True) for s in sids]
        number = acts.record_act(p.uow, results, SEED)
    return number, sids, [client_values(n)["last_name"] for n in numbers]


def extracts(opeka: Opeka, sid: uuid.UUID) -> list[Entry]:
    """The subject's извлечение entries, newest first."""
    with read_only(opeka.data_engine) as conn:
        entries = recent_entries(conn, subject_id=sid).entries
    return [e for e in entries if e.action == "извлечение"]


def link(number: str, fmt: str) -> str:
    return f"/console/documents/{quote(number)}.{fmt}"


@pytest.fixture(scope="module")
def act(opeka: Opeka) -> tuple[str, list[uuid.UUID], list[str]]:
    """One act of two destroyed clients, shared by the module's tests."""
    return destroyed_with_act(opeka)


def test_the_list_shows_number_date_count_and_reasons_without_names(
    app: FastAPI, act: tuple[str, list[uuid.UUID], list[str]]
) -> None:
    number, _sids, names = act
    page = as_role(app, "privacy_officer").get("/console/documents")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert number in page.text
    assert moscow_today().strftime("%d.%m.%Y") in page.text
    assert "withdrawal" in page.text
    assert link(number, "pdf") in page.text
    assert link(number, "json") in page.text
    assert not [name for name in names if name in page.text]
    assert personal_data_in_urls(page.text) == []
    assert 'href="/console/documents"' in page.text  # the navigation entry


def test_the_date_filter_redirects_to_dates_and_filters(
    app: FastAPI, act: tuple[str, list[uuid.UUID], list[str]]
) -> None:
    number = act[0]
    officer = as_role(app, "privacy_officer")
    today = moscow_today()
    answer = officer.post(
        "/console/documents/filter", {"since": today.isoformat(), "until": today.isoformat()}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == (
        f"/console/documents?since={today.isoformat()}&until={today.isoformat()}"
    )
    assert number in officer.get(answer.headers["location"]).text
    later = (today + dt.timedelta(days=1)).isoformat()
    assert number not in officer.get("/console/documents", since=later).text
    assert officer.post("/console/documents/filter", {}).headers["location"] == (
        "/console/documents"
    )


def test_the_page_lists_the_newest_acts_first_and_says_when_more_exist(
    app: FastAPI, opeka: Opeka, monkeypatch: pytest.MonkeyPatch
) -> None:
    older, newer = destroyed_with_act(opeka, 1)[0], destroyed_with_act(opeka, 1)[0]
    monkeypatch.setattr(console_acts, "PAGE", 1)
    text = as_role(app, "privacy_officer").get("/console/documents").text
    assert newer in text
    assert older not in text
    assert "Показаны последние 1 актов" in text


def test_a_malformed_date_is_refused(app: FastAPI) -> None:
    officer = as_role(app, "privacy_officer")
    assert officer.post("/console/documents/filter", {"since": "24.11.2026"}).status_code == 422
    assert officer.get("/console/documents", until="вчера").status_code == 422


def test_the_filter_without_the_csrf_token_is_refused(app: FastAPI) -> None:
    officer = as_role(app, "privacy_officer")
    answer = officer.post("/console/documents/filter", {"since": "2026-01-01"}, csrf=False)
    assert answer.status_code == 403


def test_the_pdf_is_an_attachment_journaled_as_an_extraction_for_each_subject(
    app: FastAPI, opeka: Opeka, act: tuple[str, list[uuid.UUID], list[str]]
) -> None:
    number, sids, _names = act
    officer = as_role(app, "privacy_officer")
    before = {sid: len(extracts(opeka, sid)) for sid in sids}
    answer = officer.get(link(number, "pdf"))
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="act-{number.replace("А", "A")}.pdf"'
    )
    for sid in sids:
        found = extracts(opeka, sid)
        assert len(found) == before[sid] + 1
        assert found[0].actor == f"staff:{officer.login}"
        assert found[0].reason == f"акт об уничтожении № {number}: pdf"
        assert found[0].purpose == DUTY


def test_the_json_holds_the_act_with_names_and_its_extract(
    app: FastAPI, act: tuple[str, list[uuid.UUID], list[str]]
) -> None:
    number, sids, names = act
    answer = as_role(app, "auditor").get(link(number.replace("А", "A"), "json"))
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-disposition"].startswith("attachment;")
    document = json.loads(answer.content)
    assert document["act"]["number"] == number
    identifiers = " ".join(s["identifier"] for s in document["act"]["subjects"])
    assert all(name in identifiers for name in names)
    assert {e["subject_id"] for e in document["extract"]["entries"]} == {str(s) for s in sids}


def test_an_unknown_act_or_format_is_not_found_and_journals_nothing(
    app: FastAPI, opeka: Opeka, act: tuple[str, list[uuid.UUID], list[str]]
) -> None:
    number, sids, _names = act
    officer = as_role(app, "privacy_officer")
    before = len(extracts(opeka, sids[0]))
    assert officer.get(link("1999-А-000001", "pdf")).status_code == 404
    assert officer.get(link("not-an-act", "pdf")).status_code == 404
    assert officer.get(link(number, "xml")).status_code == 404
    assert len(extracts(opeka, sids[0])) == before


@pytest.mark.parametrize("role", ["administrator", "support", "marketing"])
def test_roles_without_documents_read_are_refused_and_nothing_is_journaled(
    app: FastAPI, opeka: Opeka, act: tuple[str, list[uuid.UUID], list[str]], role: str
) -> None:
    number, sids, _names = act
    browser = as_role(app, role)
    before = len(extracts(opeka, sids[0]))
    assert browser.get("/console/documents").status_code == 403
    assert browser.get(link(number, "pdf")).status_code == 403
    assert browser.post("/console/documents/filter", {}).status_code == 403
    assert 'href="/console/documents"' not in browser.get("/console").text
    assert len(extracts(opeka, sids[0])) == before
