"""Subjects in the console: POST search, the masked card, unmasking, rectify, block, destroy."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from tests.web.console.support import as_role, collect_client, personal_data_in_urls

from opeka.app import Opeka
from opeka.db.engine import read_only
from opeka.journal.entry import Entry
from opeka.journal.recent import recent_entries
from opeka.processing import Actor
from opeka.subjects.staff_actions import MASKED_REASON, UNMASK_REASON

EMAIL_DOMAIN = "example.org"


def values(tag: str) -> dict[str, str]:
    """A client with a unique e-mail and phone."""
    number = uuid.uuid4().int % 10**7
    return {
        "last_name": "Смирнова",
        "first_name": "Вера",
        "organization": "ООО «Ромашка»",
        "position": "бухгалтер",
        "email": f"{tag}{number}@{EMAIL_DOMAIN}",
        "phone": "+7 916 " + f"{number:07d}",
    }


def journal_of(opeka: Opeka, sid: uuid.UUID) -> list[Entry]:
    """The subject's journal entries, newest first."""
    with read_only(opeka.data_engine) as conn:
        return recent_entries(conn, subject_id=sid).entries


def read(opeka: Opeka, sid: uuid.UUID, field: str) -> str:
    with opeka.processing(Actor.system("test"), "legal.subject_rights") as p:
        return p.read(sid, [field])[field]


def test_search_by_email_lists_ids_without_values(app: FastAPI, opeka: Opeka) -> None:
    data = values("find")
    sid = collect_client(opeka, data)
    page = as_role(app, "support").post(
        "/console/subjects/search", {"query": data["email"], "purpose": "2.2.7"}
    )
    assert page.status_code == 200
    assert str(sid) in page.text
    assert "Клиент" in page.text
    for value in data.values():
        assert value not in page.text
    assert page.headers["cache-control"] == "no-store"
    newest = journal_of(opeka, sid)[0]
    assert (newest.action, newest.purpose, newest.reason) == (
        "извлечение",
        "2.2.7",
        "поиск по email",
    )


def test_search_by_phone_finds_the_subject_in_another_format(app: FastAPI, opeka: Opeka) -> None:
    data = values("phone")
    sid = collect_client(opeka, data)
    digits = "".join(c for c in data["phone"] if c.isdigit())
    typed = f"8 ({digits[1:4]}) {digits[4:7]}-{digits[7:9]}-{digits[9:]}"
    page = as_role(app, "support").post(
        "/console/subjects/search", {"query": typed, "purpose": "2.2.1"}
    )
    assert page.status_code == 200
    assert str(sid) in page.text
    assert personal_data_in_urls(page.text) == []


def test_search_for_a_purpose_outside_the_role_is_refused_and_journaled(
    app: FastAPI, opeka: Opeka
) -> None:
    data = values("role")
    collect_client(opeka, data)
    page = as_role(app, "marketing").post(
        "/console/subjects/search", {"query": data["email"], "purpose": "2.2.7"}
    )
    assert page.status_code == 403
    assert "roles.marketing" in page.text
    with read_only(opeka.data_engine) as conn:
        newest = recent_entries(conn, limit=1).entries[0]
    assert (newest.result, newest.purpose) == ("refused", "2.2.7")
    assert newest.reason.startswith("role_refused")


def test_search_without_the_csrf_token_is_refused(app: FastAPI, opeka: Opeka) -> None:
    data = values("csrf")
    sid = collect_client(opeka, data)
    before = len(journal_of(opeka, sid))
    page = as_role(app, "support").post(
        "/console/subjects/search", {"query": data["email"], "purpose": "2.2.7"}, csrf=False
    )
    assert page.status_code == 403
    assert len(journal_of(opeka, sid)) == before


def test_the_card_is_masked_by_default(app: FastAPI, opeka: Opeka) -> None:
    data = values("card")
    sid = collect_client(opeka, data)
    before = len(journal_of(opeka, sid))
    page = as_role(app, "support").get(f"/console/subjects/{sid}")
    assert page.status_code == 200
    assert page.text.count("••••") == len(data)
    for value in data.values():
        assert value not in page.text
    assert len(journal_of(opeka, sid)) == before  # nothing was decrypted


def test_partial_masks_for_a_purpose_are_a_journaled_read(app: FastAPI, opeka: Opeka) -> None:
    data = values("mask")
    sid = collect_client(opeka, data)
    page = as_role(app, "support").get(f"/console/subjects/{sid}", purpose="2.2.7")
    assert page.status_code == 200
    assert "С***" in page.text
    assert "m***@e***.org" in page.text
    for value in data.values():
        assert value not in page.text
    newest = journal_of(opeka, sid)[0]
    assert (newest.action, newest.purpose, newest.reason) == ("извлечение", "2.2.7", MASKED_REASON)


def test_unmask_shows_values_once_and_journals_the_purpose(app: FastAPI, opeka: Opeka) -> None:
    data = values("unmask")
    sid = collect_client(opeka, data)
    page = as_role(app, "support").post(
        f"/console/subjects/{sid}/unmask", {"purpose": "2.2.1", "fields": ["email", "last_name"]}
    )
    assert page.status_code == 200
    assert data["email"] in page.text
    assert data["last_name"] in page.text
    assert data["phone"] not in page.text
    assert page.headers["cache-control"] == "no-store"
    assert personal_data_in_urls(page.text) == []
    newest = journal_of(opeka, sid)[0]
    assert newest.action == "извлечение"
    assert (newest.purpose, newest.fields, newest.reason) == (
        "2.2.1",
        ("email", "last_name"),
        UNMASK_REASON,
    )
    assert newest.actor.startswith("staff:support-")


def test_unmasking_a_field_outside_the_role_is_refused(app: FastAPI, opeka: Opeka) -> None:
    data = values("outside")
    sid = collect_client(opeka, data)
    page = as_role(app, "marketing").post(
        f"/console/subjects/{sid}/unmask", {"purpose": "2.2.3", "fields": ["email", "last_name"]}
    )
    assert page.status_code == 403
    assert data["email"] not in page.text
    assert "roles.marketing" in page.text
    newest = journal_of(opeka, sid)[0]
    assert (newest.action, newest.result, newest.purpose, newest.fields) == (
        "извлечение",
        "refused",
        "2.2.3",
        ("email", "last_name"),
    )


def test_unmasking_for_a_purpose_outside_the_role_is_refused(app: FastAPI, opeka: Opeka) -> None:
    sid = collect_client(opeka, values("purpose"))
    page = as_role(app, "support").post(
        f"/console/subjects/{sid}/unmask", {"purpose": "legal.subject_rights", "fields": ["email"]}
    )
    assert page.status_code == 403
    assert journal_of(opeka, sid)[0].result == "refused"


def test_unmask_without_the_csrf_token_reads_nothing(app: FastAPI, opeka: Opeka) -> None:
    data = values("nocsrf")
    sid = collect_client(opeka, data)
    before = len(journal_of(opeka, sid))
    page = as_role(app, "support").post(
        f"/console/subjects/{sid}/unmask", {"purpose": "2.2.7", "fields": ["email"]}, csrf=False
    )
    assert page.status_code == 403
    assert data["email"] not in page.text
    assert len(journal_of(opeka, sid)) == before


def test_rectify_changes_the_value_through_the_spine(app: FastAPI, opeka: Opeka) -> None:
    sid = collect_client(opeka, values("rectify"))
    answer = as_role(app, "support").post(
        f"/console/subjects/{sid}/rectify",
        {"purpose": "2.2.7", "field": "position", "value": "главный бухгалтер", "reason": "звонок"},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/console/subjects/{sid}?purpose=2.2.7&msg=updated"
    assert read(opeka, sid, "position") == "главный бухгалтер"
    assert any(e.action == "уточнение" and e.reason == "звонок" for e in journal_of(opeka, sid))


def test_rectify_without_the_csrf_token_changes_nothing(app: FastAPI, opeka: Opeka) -> None:
    sid = collect_client(opeka, values("rcsrf"))
    answer = as_role(app, "support").post(
        f"/console/subjects/{sid}/rectify",
        {"purpose": "2.2.7", "field": "position", "value": "директор", "reason": "звонок"},
        csrf=False,
    )
    assert answer.status_code == 403
    assert read(opeka, sid, "position") == "бухгалтер"


def test_rectify_refuses_identifiers_in_the_reason(app: FastAPI, opeka: Opeka) -> None:
    sid = collect_client(opeka, values("rnote"))
    answer = as_role(app, "support").post(
        f"/console/subjects/{sid}/rectify",
        {
            "purpose": "2.2.7",
            "field": "position",
            "value": "директор",
            "reason": "+7 916 123-45-67",
        },
    )
    assert answer.status_code == 422
    assert "1234567" not in answer.text
    assert read(opeka, sid, "position") == "бухгалтер"


def test_block_and_unblock_by_the_privacy_officer(app: FastAPI, opeka: Opeka) -> None:
    sid = collect_client(opeka, values("block"))
    officer = as_role(app, "privacy_officer")
    answer = officer.post(f"/console/subjects/{sid}/block", {"reason": "требование субъекта"})
    assert answer.status_code == 303
    assert "заблокирован" in officer.get(f"/console/subjects/{sid}").text
    masked = as_role(app, "support").get(f"/console/subjects/{sid}", purpose="2.2.7")
    assert "субъект заблокирован" in masked.text
    lifted = officer.post(
        f"/console/subjects/{sid}/block", {"action": "unblock", "reason": "проверка завершена"}
    )
    assert lifted.status_code == 303
    assert "status-active" in officer.get(f"/console/subjects/{sid}").text
    actions = [e.action for e in journal_of(opeka, sid)]
    assert actions.count("блокирование") == 2


def test_destroy_by_the_privacy_officer(app: FastAPI, opeka: Opeka) -> None:
    data = values("destroy")
    sid = collect_client(opeka, data)
    officer = as_role(app, "privacy_officer")
    answer = officer.post(
        f"/console/subjects/{sid}/destroy", {"reason_code": "demand", "confirm": "yes"}
    )
    assert answer.status_code == 303
    card = officer.get(f"/console/subjects/{sid}")
    assert "данные уничтожены" in card.text
    assert "Данных не хранится" in card.text
    actions = [entry.action for entry in journal_of(opeka, sid)]
    assert actions[:2] == ["запись", "уничтожение"]  # the act of destruction, then the deed


def test_destroy_needs_a_known_reason_and_the_confirmation(app: FastAPI, opeka: Opeka) -> None:
    sid = collect_client(opeka, values("nodestroy"))
    officer = as_role(app, "privacy_officer")
    unknown = officer.post(
        f"/console/subjects/{sid}/destroy", {"reason_code": "whim", "confirm": "yes"}
    )
    assert unknown.status_code == 422
    unconfirmed = officer.post(f"/console/subjects/{sid}/destroy", {"reason_code": "demand"})
    assert unconfirmed.status_code == 422
    assert "status-active" in officer.get(f"/console/subjects/{sid}").text


def test_no_page_links_to_personal_data(app: FastAPI, opeka: Opeka) -> None:
    data = values("links")
    sid = collect_client(opeka, data)
    officer = as_role(app, "privacy_officer")
    registered = officer.post(
        "/console/requests/new",
        {"kind": "access", "channel": "email", "received": "2026-01-12", "subject_id": str(sid)},
    )
    request_page = registered.headers["location"].split("?")[0]
    search = officer.post("/console/subjects/search", {"query": data["phone"], "purpose": "2.2.7"})
    unmasked = officer.post(
        f"/console/subjects/{sid}/unmask", {"purpose": "2.2.7", "fields": ["email", "phone"]}
    )
    rectified = officer.post(
        f"/console/subjects/{sid}/rectify",
        {"purpose": "2.2.7", "field": "position", "value": data["email"], "reason": "проверка"},
    )
    assert data["email"] in unmasked.text
    pages = [search.text, unmasked.text]
    for path, params in (
        ("/console", {}),
        (f"/console/subjects/{sid}", {}),
        (f"/console/subjects/{sid}", {"purpose": "2.2.7"}),
        ("/console/requests", {}),
        (request_page, {}),
        ("/console/journal", {"subject": str(sid)}),
        ("/console/journal", {}),
    ):
        page = officer.get(path, **params)
        assert page.status_code == 200, path
        pages.append(page.text)
    for html in pages:
        assert personal_data_in_urls(html) == []
    for answer in (registered, rectified):
        assert personal_data_in_urls(f'<a href="{answer.headers["location"]}">') == []
