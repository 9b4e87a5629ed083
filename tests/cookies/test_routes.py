"""The banner's web routes: notice, files, GPC, the consent-event API and the page-view beacon.

The consent-event API is served two ways — the plain route, and the fast path in front of the
router (``include``) — and every event test runs against both.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from tests.conftest import shared_opeka

from opeka.app import Opeka
from opeka.cookies.assets import asset
from opeka.cookies.config import banner_config
from opeka.cookies.events import MAX_BODY
from opeka.db.cookies import (
    analytics_day,
    analytics_page,
    analytics_referrer,
    analytics_salt,
    analytics_visitor,
    cookie_consent_event,
)
from opeka.web.app import create_app
from opeka.web.cookies_fast import ingest_for
from opeka.web.cookies_routes import demo_router, include, router

ALL = ["preferences", "stored_information", "analytics"]
ANALYTICS = (analytics_day, analytics_page, analytics_referrer, analytics_visitor, analytics_salt)
TEXT = {"content-type": "text/plain;charset=UTF-8"}


def build(opeka: Opeka, fast: bool) -> FastAPI:
    app = create_app(opeka, periodic=False, routers=[])
    if fast:
        include(app, opeka)
    else:
        app.include_router(router(opeka))
    app.include_router(demo_router())
    return app


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def opeka(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """One initialised Opeka per backend for the module; the tables are emptied after each test."""
    with shared_opeka(request, tmp_path_factory.mktemp("cookies")) as instance:
        yield instance


@pytest.fixture(scope="module", params=["route", "fast"])
def app_client(opeka: Opeka, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    with TestClient(build(opeka, request.param == "fast")) as test_client:
        yield test_client


@pytest.fixture
def client(app_client: TestClient, opeka: Opeka) -> Iterator[TestClient]:
    """The module's client with an empty cookie jar; the cookie tables are emptied after."""
    app_client.cookies.clear()
    yield app_client
    with opeka.data_engine.begin() as conn:
        for table in (cookie_consent_event, *ANALYTICS):
            conn.execute(delete(table))


@pytest.fixture
def version(opeka: Opeka) -> str:
    return banner_config(opeka.policy).version


def decision(version: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "consent_id": uuid.uuid4().hex,
        "method": "banner_accept_all",
        "granted": ALL,
        "denied": [],
        "version": version,
        "language": "ru",
    }
    return data | changes


def count(opeka: Opeka, table: Any = cookie_consent_event) -> int:
    with opeka.data_engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def post(client: TestClient, body: dict[str, Any], **headers: str) -> Any:
    return client.post("/cookies/events", content=json.dumps(body), headers=TEXT | headers)


def test_a_decision_sent_as_text_plain_is_stored_before_the_204(
    client: TestClient, opeka: Opeka, version: str
) -> None:
    answer = post(client, decision(version))
    assert answer.status_code == 204
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert count(opeka) == 1


def test_a_decision_sent_as_json_is_stored(client: TestClient, opeka: Opeka, version: str) -> None:
    answer = client.post("/cookies/events", json=decision(version))
    assert answer.status_code == 204
    assert count(opeka) == 1


def test_a_form_body_is_refused_with_415(client: TestClient, opeka: Opeka) -> None:
    answer = client.post("/cookies/events", data={"consent": "yes"})
    assert answer.status_code == 415
    assert answer.headers["content-type"] == "application/problem+json"
    assert count(opeka) == 0


def test_a_body_over_the_limit_is_refused_with_413(client: TestClient, opeka: Opeka) -> None:
    answer = client.post("/cookies/events", content=b" " * (MAX_BODY + 1), headers=TEXT)
    assert answer.status_code == 413
    assert count(opeka) == 0


def test_a_malformed_decision_is_refused_with_422_and_the_rule(
    client: TestClient, opeka: Opeka, version: str
) -> None:
    answer = post(client, decision(version, method="reject_all"))
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["detail_en"] == "reject-all grants no category"
    assert problem["detail"].startswith("«только необходимые»")
    assert problem["title"] == "Неверные данные"
    assert count(opeka) == 0


def test_a_decision_on_an_older_notice_is_refused_with_409(
    client: TestClient, opeka: Opeka
) -> None:
    answer = post(client, decision("0" * 12))
    assert answer.status_code == 409
    assert count(opeka) == 0


def test_accept_all_under_the_gpc_header_is_refused(
    client: TestClient, opeka: Opeka, version: str
) -> None:
    answer = post(client, decision(version), **{"sec-gpc": "1"})
    assert answer.status_code == 422
    assert count(opeka) == 0


def test_a_gpc_decision_is_recorded_with_method_gpc(
    client: TestClient, opeka: Opeka, version: str
) -> None:
    body = decision(
        version, method="gpc", granted=["preferences", "stored_information"], denied=["analytics"]
    )
    assert post(client, body, **{"sec-gpc": "1"}).status_code == 204
    with opeka.data_engine.connect() as conn:
        row = conn.execute(select(cookie_consent_event)).one()
    assert (row.method, row.gpc, row.denied) == ("gpc", True, "analytics")
    assert row.policy_version == opeka.policy.version
    assert row.ip_prefix == "testclient" or row.ip_prefix is None


def test_a_failed_commit_answers_503_never_2xx(
    client: TestClient, opeka: Opeka, version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_for(opeka).events, "apply", broken)
    answer = post(client, decision(version))
    assert answer.status_code == 503
    assert count(opeka) == 0


def consent_cookie(version: str, granted: str) -> str:
    return f"1.{uuid.uuid4().hex}.{version}.{int(time.time())}.{granted}"


def test_a_page_view_without_analytics_consent_records_nothing(
    client: TestClient, opeka: Opeka, version: str
) -> None:
    client.cookies.set("opeka_consent", consent_cookie(version, "preferences"))
    answer = client.post("/cookies/pageview", content=b'{"path": "/"}', headers=TEXT)
    assert answer.status_code == 403
    assert count(opeka, analytics_day) == 0


def test_a_page_view_without_any_cookie_records_nothing(client: TestClient, opeka: Opeka) -> None:
    answer = client.post("/cookies/pageview", content=b'{"path": "/"}', headers=TEXT)
    assert answer.status_code == 403
    assert count(opeka, analytics_day) == 0


def test_a_page_view_under_an_older_notice_records_nothing(
    client: TestClient, opeka: Opeka
) -> None:
    client.cookies.set("opeka_consent", consent_cookie("0" * 12, "analytics"))
    answer = client.post("/cookies/pageview", content=b'{"path": "/"}', headers=TEXT)
    assert answer.status_code == 403
    assert count(opeka, analytics_day) == 0


def test_a_consented_page_view_is_counted(client: TestClient, opeka: Opeka, version: str) -> None:
    client.cookies.set("opeka_consent", consent_cookie(version, "analytics"))
    answer = client.post("/cookies/pageview", content=b'{"path": "/x?e=1"}', headers=TEXT)
    assert answer.status_code == 204
    assert count(opeka, analytics_day) == 1


def test_a_bad_page_view_is_refused_with_422(client: TestClient, version: str) -> None:
    client.cookies.set("opeka_consent", consent_cookie(version, "analytics"))
    answer = client.post("/cookies/pageview", content=b'{"path": 1}', headers=TEXT)
    assert answer.status_code == 422


def test_the_notice_tells_the_banner_about_gpc(client: TestClient, version: str) -> None:
    plain = client.get("/cookies/config.json")
    gpc = client.get("/cookies/config.json", headers={"sec-gpc": "1"})
    assert plain.json()["v"] == gpc.json()["v"] == version
    assert (plain.json()["gpc"], gpc.json()["gpc"]) == (False, True)
    assert plain.headers["vary"] == "Sec-GPC"


def test_the_well_known_gpc_file(client: TestClient) -> None:
    assert client.get("/.well-known/gpc.json").json()["gpc"] is True


@pytest.mark.parametrize("name", ["banner.js", "banner.css", "analytics.js"])
def test_the_banner_files_are_served_gzipped_with_an_etag(client: TestClient, name: str) -> None:
    answer = client.get(f"/cookies/{name}")
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.content == asset(name).body  # the client decodes gzip
    again = client.get(f"/cookies/{name}", headers={"if-none-match": answer.headers["etag"]})
    assert again.status_code == 304


def test_an_unknown_banner_file_is_404(client: TestClient) -> None:
    assert client.get("/cookies/secrets.txt").status_code == 404


def test_the_demo_shop_is_served(client: TestClient) -> None:
    page = client.get("/demo/")
    assert page.status_code == 200
    assert '<script async src="/cookies/banner.js"></script>' in page.text
    assert client.get("/demo", follow_redirects=False).status_code == 308
    assert client.get("/demo/shop.css").headers["content-type"].startswith("text/css")


@pytest.mark.parametrize("name", ["..%2F..%2Fpyproject.toml", "missing.html", "README.md"])
def test_the_demo_serves_only_its_own_files(client: TestClient, name: str) -> None:
    assert client.get(f"/demo/{name}").status_code == 404
