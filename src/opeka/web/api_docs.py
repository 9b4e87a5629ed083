"""The API reference at ``/api/docs``, rendered on the server from the OpenAPI document.

FastAPI's Swagger UI loads its script from a CDN and starts it with inline code, which our
Content-Security-Policy forbids (and which would send every visitor of the docs abroad). This
page needs neither: it lists each operation, its parameters, body and responses, and links the
machine-readable document at ``/api/openapi.json``.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse

from opeka.web.templating import render

METHODS = ("get", "post", "put", "patch", "delete")


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path, item in sorted(spec.get("paths", {}).items()):
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tags": op.get("tags", []),
                    "parameters": op.get("parameters", []),
                    "body": json.dumps(
                        op.get("requestBody", {}).get("content", {}), indent=1, ensure_ascii=False
                    )
                    if op.get("requestBody")
                    else "",
                    "responses": sorted(op.get("responses", {})),
                    "security": bool(op.get("security")),
                }
            )
    return out


def router(app: FastAPI) -> APIRouter:
    """The docs page for ``app``."""
    api = APIRouter()

    @api.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        """Every operation of the REST API."""
        spec = app.openapi()
        return render(
            request,
            "api_docs.html.j2",
            title=spec.get("info", {}).get("title", "Opeka"),
            version=spec.get("info", {}).get("version", ""),
            operations=_operations(spec),
        )

    return api
