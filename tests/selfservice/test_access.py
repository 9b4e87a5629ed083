"""The portal's access request: opened and verified by the session, answered by the first download
of a one-time link, which only its subject may use."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from tests.selfservice.support import entries, register

from opeka.app import Opeka
from opeka.auth.context import Auth
from opeka.db.base import utcnow
from opeka.documents.access_package import READ_REASON
from opeka.documents.errors import TokenExpired, TokenInvalid, TokenUsed
from opeka.processing import Actor
from opeka.requests import service, store
from opeka.requests.states import RequestStatus
from opeka.selfservice import access
from opeka.selfservice.access import AccessLinks, Download


def ask(opeka: Opeka, subject_id: uuid.UUID, now: dt.datetime | None = None) -> AccessLinks:
    with opeka.unit_of_work() as uow:
        return access.request_copy(uow, subject_id=subject_id, now=now)


def fetch(opeka: Opeka, subject_id: uuid.UUID, token: str) -> Download:
    with opeka.unit_of_work() as uow:
        return access.download(
            uow, subject_id=subject_id, token=token, font_dir=opeka.settings.pdf_font_dir
        )


def package_reads(opeka: Opeka, subject_id: uuid.UUID) -> int:
    return sum(1 for e in entries(opeka, subject_id) if e.reason == READ_REASON)


def test_asking_opens_a_portal_access_request_verified_by_the_session(
    opeka: Opeka, auth: Auth
) -> None:
    sid = register(opeka, auth).subject_id
    links = ask(opeka, sid)
    with opeka.data_engine.connect() as conn:
        row = store.require(conn, links.number)
    assert (row.kind.value, row.channel.value, row.subject_id) == ("access", "portal", sid)
    assert row.status is RequestStatus.IN_PROGRESS
    assert row.verification_method == "portal_session"
    assert row.assigned_to == str(access.EXECUTOR)
    assert links.due == row.effective_due
    assert links.json_token != links.pdf_token
    assert links.json_token not in repr(links)
    assert package_reads(opeka, sid) == 0


def test_asking_again_reuses_the_open_portal_request_but_not_a_paper_one(
    opeka: Opeka, auth: Auth
) -> None:
    sid = register(opeka, auth).subject_id
    with opeka.unit_of_work() as uow:
        paper = service.open_request(
            uow,
            kind="access",
            channel="paper",
            received_at=utcnow(),
            subject_id=sid,
            actor=Actor.staff("operator"),
        )
    first, second = ask(opeka, sid), ask(opeka, sid)
    assert first.number == second.number != paper.number
    fetch(opeka, sid, first.pdf_token)
    with opeka.data_engine.connect() as conn:
        assert store.require(conn, paper.id).status is RequestStatus.RECEIVED
        assert store.require(conn, first.number).status is RequestStatus.DONE


def test_the_first_download_builds_the_package_and_completes_the_request(
    opeka: Opeka, auth: Auth
) -> None:
    sid = register(opeka, auth).subject_id
    links = ask(opeka, sid)
    got = fetch(opeka, sid, links.json_token)
    assert got.completed == links.number
    assert json.loads(got.body)["subject_id"] == str(sid)
    assert got.filename == "my-personal-data.json"
    assert str(len(got.body)) in repr(got)
    assert package_reads(opeka, sid) == 1
    pdf = fetch(opeka, sid, links.pdf_token)
    assert pdf.body.startswith(b"%PDF")
    assert pdf.completed is None  # already answered
    with opeka.data_engine.connect() as conn:
        row = store.require(conn, links.number)
    assert row.status is RequestStatus.DONE
    assert row.result == "сведения предоставлены: пакет скачан в личном кабинете (JSON)"


def test_a_link_is_used_once(opeka: Opeka, auth: Auth) -> None:
    sid = register(opeka, auth).subject_id
    links = ask(opeka, sid)
    fetch(opeka, sid, links.pdf_token)
    with pytest.raises(TokenUsed):
        fetch(opeka, sid, links.pdf_token)


def test_another_subjects_link_is_refused_as_unknown_and_stays_usable(
    opeka: Opeka, auth: Auth
) -> None:
    owner, intruder = register(opeka, auth).subject_id, register(opeka, auth).subject_id
    links = ask(opeka, owner)
    with pytest.raises(TokenInvalid):
        fetch(opeka, intruder, links.json_token)
    assert package_reads(opeka, owner) == package_reads(opeka, intruder) == 0
    assert fetch(opeka, owner, links.json_token).completed == links.number


def test_an_unknown_link_is_refused(opeka: Opeka, auth: Auth) -> None:
    sid = register(opeka, auth).subject_id
    with pytest.raises(TokenInvalid):
        fetch(opeka, sid, "x" * 43)


def test_an_expired_link_is_refused(opeka: Opeka, auth: Auth) -> None:
    sid = register(opeka, auth).subject_id
    links = ask(opeka, sid, now=utcnow() - dt.timedelta(hours=25))
    with pytest.raises(TokenExpired):
        fetch(opeka, sid, links.pdf_token)
    assert package_reads(opeka, sid) == 0
