"""The OpenAPI document: every operation states its key, purpose, idempotency and problems."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

WRITES = {"post", "patch"}
READS_IN_A_BODY = {("post", "/api/v1/subjects/search")}


def operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every /api/v1 operation but the health check."""
    return [
        (method, path, operation)
        for path, item in app.openapi()["paths"].items()
        if path.startswith("/api/v1/") and path != "/api/v1/health"
        for method, operation in item.items()
    ]


def headers(operation: dict[str, Any]) -> dict[str, bool]:
    return {
        p["name"]: p["required"] for p in operation.get("parameters", []) if p["in"] == "header"
    }


def test_every_operation_needs_the_api_key_and_a_stated_purpose(app: FastAPI) -> None:
    found = operations(app)
    assert len(found) == 12
    for method, path, operation in found:
        assert operation["security"] == [{"ApiKey": []}], (method, path)
        assert headers(operation).get("X-Opeka-Purpose") is True, (method, path)


def test_every_write_needs_an_idempotency_key(app: FastAPI) -> None:
    for method, path, operation in operations(app):
        writes = method in WRITES and (method, path) not in READS_IN_A_BODY
        assert headers(operation).get("Idempotency-Key", False) is writes, (method, path)


def test_errors_are_documented_as_problem_json(app: FastAPI) -> None:
    for method, path, operation in operations(app):
        for status in ("401", "403", "422"):
            content = operation["responses"][status]["content"]
            assert "application/problem+json" in content, (method, path, status)


def test_personal_data_never_goes_into_a_url(app: FastAPI) -> None:
    for method, path, operation in operations(app):
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert names <= {"fields"}, (method, path)


def test_the_docs_page_lists_the_api(http: TestClient) -> None:
    page = http.get("/api/docs")
    assert page.status_code == 200
    for path in ("/api/v1/subjects/search", "/api/v1/consents/receipts/{record_id}"):
        assert path in page.text
