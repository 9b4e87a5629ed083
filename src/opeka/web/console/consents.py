"""Consent documents in the console: every published version with its hashes, and its text.

The list (``consents.read``) shows what subjects consented to: document, version, purpose,
category, fields, the SHA-256 of the exact text and of its substance, publication and
supersession. The text of a version (``documents.read``) is the stored one, byte for byte.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from opeka.consent import registry
from opeka.db.engine import read_only
from opeka.web.console.deps import ConsentsRead, DocumentsRead
from opeka.web.console.pages import opeka_of, page
from opeka.web.console.routing import ConsoleRoute
from opeka.web.problems import Problem, ProblemError


def consent_documents(request: Request, principal: ConsentsRead) -> Response:
    """Every version of every consent document, current ones marked."""
    with read_only(opeka_of(request).data_engine) as conn:
        documents = registry.listing(conn, include_superseded=True)
    return page(request, principal, "consents.html.j2", documents=documents)


def document_text(
    request: Request, principal: DocumentsRead, document_id: str, version: str
) -> Response:
    """The stored text of one version of a consent document."""
    with read_only(opeka_of(request).data_engine) as conn:
        meta = registry.get(conn, document_id, version)
        text = registry.text(conn, document_id, version) if meta else None
    if meta is None or text is None:
        raise ProblemError(
            Problem(404, "unknown_document", "Документ не найден", "No such document")
        )
    return page(request, principal, "document.html.j2", document=meta, text=text)


def routes() -> APIRouter:
    """Consent documents."""
    api = APIRouter(include_in_schema=False, route_class=ConsoleRoute)
    api.add_api_route("/console/consents", consent_documents, methods=["GET"])
    api.add_api_route("/console/documents/{document_id}/{version}", document_text, methods=["GET"])
    return api
