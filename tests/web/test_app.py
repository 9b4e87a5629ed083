"""The web application: health, the published policy, security headers and RFC 9457 errors."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape
from tests.conftest import shared_opeka

from opeka import __version__
from opeka.app import Opeka
from opeka.journal.entry import Action, Record, now_us
from opeka.web.app import create_app

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
PROBLEM = "application/problem+json"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def opeka(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """One initialised Opeka per backend for the whole module (the app only reads from it)."""
    with shared_opeka(request, tmp_path_factory.mktemp("web")) as instance:
        yield instance


@pytest.fixture(scope="module")
def app(opeka: Opeka) -> FastAPI:
    return create_app(opeka)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def assert_secure(headers: object) -> None:
    """The response carries the strict CSP and the other security headers."""
    assert hasattr(headers, "get")
    csp = str(headers.get("content-security-policy", ""))
    directives: dict[str, str] = {}
    for directive in csp.split(";"):
        name, _, value = directive.strip().partition(" ")
        if name:
            directives[name] = value
    assert directives.get("default-src") == "'self'"
    assert directives.get("script-src") == "'self'"
    assert directives.get("frame-ancestors") == "'none'"
    assert directives.get("object-src") == "'none'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name


def test_health_answers_ok_with_the_version_and_journal_size(
    client: TestClient, opeka: Opeka
) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "version", "journal_entries"}
    assert (body["status"], body["version"]) == ("ok", __version__)
    assert isinstance(body["journal_entries"], int)
    with opeka.unit_of_work() as uow:
        uow.journal(
            Record(
                time_us=now_us(),
                actor="system:test",
                action=Action.STORE,
                subject_id=uuid.uuid4(),
                fields=(),
                purpose="2.2.7",
                basis="152-ФЗ ст. 6 ч. 1 п. 5",
                reason="",
            )
        )
    assert client.get("/api/v1/health").json()["journal_entries"] == body["journal_entries"] + 1


def test_the_policy_page_is_russian_html(client: TestClient) -> None:
    response = client.get("/policy")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="ru">' in page
    assert "<h1>Политика конфиденциальности</h1>" in page
    assert "152-ФЗ" in page


def test_the_policy_page_lists_every_field_title_of_every_category(
    client: TestClient, opeka: Opeka
) -> None:
    page = client.get("/policy").text
    policy = opeka.policy
    missing: list[str] = []
    for code, category in policy.subject_categories.items():
        if str(escape(category.title.ru)) not in page:
            missing.append(f"category {code}")
        for item in category.fields:
            title = str(escape(policy.fields[item.field].title.ru))
            in_sentence = title[:1].lower() + title[1:]  # titles are lower-cased mid-sentence
            if title not in page and in_sentence not in page:
                missing.append(f"{code}.{item.field}")
    assert missing == []


def test_the_policy_page_has_no_inline_script_or_style(client: TestClient) -> None:
    page = client.get("/policy").text
    assert "<script" not in page
    assert "<style" not in page
    assert not re.search(r"\sstyle\s*=", page)
    assert not re.search(r"\son[a-z]+\s*=", page)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/health"),
        ("GET", "/policy"),
        ("GET", "/api/openapi.json"),
        ("GET", "/api/docs"),
        ("GET", "/no/such/page"),
        ("POST", "/api/v1/health"),
    ],
)
def test_every_response_carries_the_security_headers(
    client: TestClient, method: str, path: str
) -> None:
    assert_secure(client.request(method, path).headers)


def test_hsts_is_sent_only_over_tls(app: FastAPI) -> None:
    with TestClient(app) as plain:
        assert "strict-transport-security" not in plain.get("/api/v1/health").headers
    with TestClient(app, base_url="https://testserver") as tls:
        assert tls.get("/api/v1/health").headers["strict-transport-security"] == "max-age=31536000"


def test_an_unknown_api_path_is_a_bilingual_problem_404_without_a_traceback(
    client: TestClient,
) -> None:
    response = client.get("/api/no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "https://opeka.wwgroup.ru/problems/http_404",
        "status": 404,
        "title": "Не найдено",
        "title_en": "Not found",
        "instance": "/api/no/such/thing",
    }
    assert "Traceback" not in response.text


def test_an_unknown_page_is_an_html_404_in_russian(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Не найдено" in response.text
    assert "Traceback" not in response.text


def test_a_wrong_method_is_a_bilingual_problem_405(client: TestClient) -> None:
    response = client.post("/api/v1/health")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert (response.json()["title"], response.json()["title_en"]) == (
        "Метод не разрешён",
        "Method not allowed",
    )


def failing_app(opeka: Opeka) -> FastAPI:
    app = create_app(opeka)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret internals /srv/opeka")

    return app


def test_an_unexpected_error_is_a_problem_500_revealing_nothing(opeka: Opeka) -> None:
    with TestClient(failing_app(opeka), raise_server_exceptions=False) as client:
        response = client.get("/api/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "https://opeka.wwgroup.ru/problems/internal",
        "status": 500,
        "title": "Внутренняя ошибка",
        "title_en": "Internal error",
        "instance": "/api/boom",
    }
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text


def test_an_unexpected_error_response_carries_the_security_headers(opeka: Opeka) -> None:
    with TestClient(failing_app(opeka), raise_server_exceptions=False) as client:
        assert_secure(client.get("/api/boom").headers)


def test_the_api_docs_and_openapi_schema_respond(client: TestClient) -> None:
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert docs.headers["content-type"].startswith("text/html")
    assert "/api/openapi.json" in docs.text
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["info"] == {"title": "Opeka", "version": __version__}
    assert "/api/v1/health" in body["paths"]
    assert "/policy" not in body["paths"]
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs").status_code == 404


def test_the_api_docs_page_works_under_the_apps_own_csp(client: TestClient) -> None:
    page = client.get("/api/docs").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.DOTALL)
    assert all(body.strip() == "" for _, body in scripts), "inline script"
    assert "https://" not in "".join(attrs for attrs, _ in scripts), "third-party script"
    assert 'rel="stylesheet" href="https://' not in page, "third-party stylesheet"
    assert "/api/v1/health" in page  # the operations are listed on the page itself
