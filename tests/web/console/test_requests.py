"""Requests in the console: queue and overdue banner, registration, the steps, the register."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from fastapi import FastAPI
from tests.web.console.support import Console, as_role, collect_client

from opeka.app import Opeka
from opeka.db.engine import read_only
from opeka.processing import Actor
from opeka.processing.subjects import Status
from opeka.processing.subjects import load as load_subject
from opeka.requests import service, store
from opeka.requests.clock import MOSCOW, moscow_today
from opeka.requests.states import RequestStatus
from opeka.requests.store import RequestRow

DOCUMENT = "паспорт РФ, проверен лично"


@pytest.fixture(scope="module")
def officer(app: FastAPI) -> Console:
    """A privacy officer (requests.read and requests.manage), signed in for the module."""
    return as_role(app, "privacy_officer")


def register(
    officer: Console, kind: str = "access", days_ago: int = 1, subject: uuid.UUID | None = None
) -> uuid.UUID:
    """Register a request on paper through the console; its id."""
    received = (moscow_today() - dt.timedelta(days=days_ago)).isoformat()
    answer = officer.post(
        "/console/requests/new",
        {"kind": kind, "channel": "paper", "received": received, "subject_id": str(subject or "")},
    )
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert location.endswith("?msg=registered")
    return uuid.UUID(location.removeprefix("/console/requests/").split("?")[0])


def row(opeka: Opeka, request_id: uuid.UUID) -> RequestRow:
    with read_only(opeka.data_engine) as conn:
        return store.require(conn, request_id)


def test_a_paper_request_is_registered_with_its_real_receipt_date(
    officer: Console, opeka: Opeka
) -> None:
    request_id = register(officer, days_ago=3)
    found = row(opeka, request_id)
    assert found.received_at.astimezone(MOSCOW).date() == moscow_today() - dt.timedelta(days=3)
    assert (found.channel.value, found.registered_by) == ("paper", f"staff:{officer.login}")
    page = officer.get(f"/console/requests/{request_id}")
    assert page.status_code == 200
    assert found.number in page.text
    assert "бумажное письмо" in page.text
    assert (
        "Запрос зарегистрирован."
        in officer.get(f"/console/requests/{request_id}?msg=registered").text
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("channel", "portal"), ("received", "вчера"), ("received", "2999-01-01"), ("kind", "wish")],
)
def test_registration_refuses_bad_input(officer: Console, field: str, value: str) -> None:
    data = {"kind": "access", "channel": "phone", "received": moscow_today().isoformat()}
    data[field] = value
    answer = officer.post("/console/requests/new", data)
    assert answer.status_code == 422


def test_verify_start_and_complete_a_manual_request(officer: Console, opeka: Opeka) -> None:
    request_id = register(officer)
    base = f"/console/requests/{request_id}"
    assert officer.post(f"{base}/verify", {"evidence": DOCUMENT}).status_code == 303
    assert row(opeka, request_id).verification_evidence == DOCUMENT
    assert officer.post(f"{base}/start").status_code == 303
    assert row(opeka, request_id).status is RequestStatus.IN_PROGRESS
    done = officer.post(f"{base}/complete", {"result": "сведения направлены письмом"})
    assert done.status_code == 303
    finished = row(opeka, request_id)
    assert finished.status is RequestStatus.DONE
    history = officer.get(base).text
    assert "in_progress → done" in history
    assert "сведения направлены письмом" in history


def test_verification_refuses_a_document_number(officer: Console, opeka: Opeka) -> None:
    request_id = register(officer)
    answer = officer.post(
        f"/console/requests/{request_id}/verify", {"evidence": "паспорт 4510 123456"}
    )
    assert answer.status_code == 422
    assert "123456" not in answer.text
    assert row(opeka, request_id).status is RequestStatus.RECEIVED


def test_extend_once_shows_the_reasoned_notice(officer: Console, opeka: Opeka) -> None:
    request_id = register(officer)
    page = officer.post(
        f"/console/requests/{request_id}/extend", {"reason": "запрос сведений у контрагента"}
    )
    assert page.status_code == 200
    assert "Мотивированное уведомление" in page.text
    assert row(opeka, request_id).extended_due_date is not None
    again = officer.post(f"/console/requests/{request_id}/extend", {"reason": "ещё раз"})
    assert again.status_code == 409


def test_refuse_with_a_reason(officer: Console, opeka: Opeka) -> None:
    request_id = register(officer)
    answer = officer.post(
        f"/console/requests/{request_id}/refuse",
        {"reason": "личность заявителя не подтверждена (152-ФЗ ст. 14 ч. 3)"},
    )
    assert answer.status_code == 303
    assert row(opeka, request_id).status is RequestStatus.REFUSED


def test_an_automatic_kind_is_executed_on_start(officer: Console, opeka: Opeka) -> None:
    sid = collect_client(opeka)
    request_id = register(officer, kind="blocking")
    base = f"/console/requests/{request_id}"
    assert officer.post(f"{base}/match", {"subject_id": str(sid)}).status_code == 303
    assert officer.post(f"{base}/verify", {"evidence": DOCUMENT}).status_code == 303
    started = officer.post(f"{base}/start")
    assert started.headers["location"] == f"{base}?msg=executed"
    assert row(opeka, request_id).status is RequestStatus.DONE
    with read_only(opeka.data_engine) as conn:
        assert load_subject(conn, sid).status is Status.BLOCKED


def test_match_refuses_a_malformed_subject_id(officer: Console) -> None:
    request_id = register(officer)
    answer = officer.post(f"/console/requests/{request_id}/match", {"subject_id": "not-an-id"})
    assert answer.status_code == 422


def test_the_register_exports_as_csv_and_xlsx(officer: Console, opeka: Opeka) -> None:
    number = row(opeka, register(officer)).number
    csv = officer.get("/console/requests/register.csv")
    assert csv.status_code == 200
    assert csv.headers["content-disposition"].startswith("attachment;")
    assert number in csv.content.decode("utf-8-sig")
    xlsx = officer.get("/console/requests/register.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    assert officer.get("/console/requests/register.pdf").status_code == 404


def test_an_auditor_reads_requests_but_cannot_act(app: FastAPI, officer: Console) -> None:
    request_id = register(officer)
    auditor = as_role(app, "auditor")
    detail = auditor.get(f"/console/requests/{request_id}")
    assert detail.status_code == 200
    assert "/verify" not in detail.text
    answer = auditor.post(f"/console/requests/{request_id}/verify", {"evidence": DOCUMENT})
    assert answer.status_code == 403
    assert auditor.get("/console/requests/new").status_code == 403


def test_an_overdue_request_leads_the_queue_and_bans_every_page(
    app: FastAPI, officer: Console, opeka: Opeka
) -> None:
    with opeka.unit_of_work() as uow:
        overdue = service.open_request(
            uow,
            kind="access",
            channel="email",
            received_at=dt.datetime.now(MOSCOW) - dt.timedelta(days=60),
            subject_id=None,
            actor=Actor.staff("seed"),
        )
    queue = officer.get("/console/requests").text
    assert queue.index(overdue.number) < queue.index("</tbody>")
    first_row = queue.split("<tbody>")[1].split("</tr>")[0]
    assert overdue.number in first_row
    assert "просрочен" in first_row
    for browser, path in (
        (officer, "/console"),
        (officer, "/console/subjects"),
        (officer, "/console/journal"),
        (as_role(app, "administrator"), "/console/staff"),
        (as_role(app, "marketing"), "/console/analytics"),
    ):
        page = browser.get(path)
        assert page.status_code == 200, path
        assert 'class="overdue-banner"' in page.text, path
        assert "Просрочены запросы субъектов" in page.text
