"""One-time download links: only a hash stored, single use, expiring, bound to their kind."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pytest
from sqlalchemy import func, select
from tests.documents.support import collect_clients

from opeka.app import Opeka
from opeka.db.documents import download_token
from opeka.documents import downloads
from opeka.documents.downloads import DownloadKind
from opeka.documents.errors import TokenExpired, TokenInvalid, TokenUsed
from opeka.processing.errors import SubjectNotFound


@pytest.fixture
def opeka(shared: Opeka) -> Opeka:
    """These tests look only at what they make: one store per backend serves them all."""
    return shared


NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def issue(opeka: Opeka, kind: DownloadKind = DownloadKind.ACCESS_PDF) -> tuple[str, uuid.UUID]:
    (sid,) = collect_clients(opeka, 1)
    with opeka.unit_of_work() as uow:
        return downloads.issue(uow.data, subject_id=sid, kind=kind, now=NOW), sid


def redeem(opeka: Opeka, token: str, kind: str = "access_pdf", at: dt.datetime = NOW) -> uuid.UUID:
    with opeka.unit_of_work() as uow:
        return downloads.redeem(uow.data, token=token, kind=kind, now=at)


def test_a_token_gives_its_subject_once_and_only_its_hash_is_stored(opeka: Opeka) -> None:
    token, sid = issue(opeka)
    with opeka.data_engine.connect() as conn:
        stored = conn.execute(
            select(download_token.c.token_sha256).where(download_token.c.subject_id == sid)
        ).scalar_one()
    assert stored == hashlib.sha256(token.encode()).digest()
    assert redeem(opeka, token) == sid
    with pytest.raises(TokenUsed):
        redeem(opeka, token)


def test_an_expired_token_is_refused(opeka: Opeka) -> None:
    token, _ = issue(opeka)
    with pytest.raises(TokenExpired):
        redeem(opeka, token, at=NOW + downloads.TTL)


def test_a_token_for_another_kind_is_refused(opeka: Opeka) -> None:
    token, _ = issue(opeka, DownloadKind.ACCESS_JSON)
    with pytest.raises(TokenInvalid):
        redeem(opeka, token, kind="access_pdf")


@pytest.mark.parametrize("token", ["", "x" * 101, "unknown-token"])
def test_an_unknown_or_malformed_token_is_refused(opeka: Opeka, token: str) -> None:
    with pytest.raises(TokenInvalid):
        redeem(opeka, token)


def test_a_token_for_an_unknown_subject_is_not_issued(opeka: Opeka) -> None:
    with pytest.raises(SubjectNotFound), opeka.unit_of_work() as uow:
        downloads.issue(uow.data, subject_id=uuid.uuid4(), kind="access_json")


def test_tokens_expired_a_day_ago_are_purged(opeka: Opeka) -> None:
    token, _ = issue(opeka)
    with opeka.unit_of_work() as uow:
        assert downloads.purge_tokens(uow.data, now=NOW + downloads.TTL) == 0
        assert downloads.purge_tokens(uow.data, now=NOW + downloads.TTL * 2 + dt.timedelta(1)) >= 1
    with opeka.data_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(download_token)).scalar_one() == 0
    with pytest.raises(TokenInvalid):
        redeem(opeka, token)
