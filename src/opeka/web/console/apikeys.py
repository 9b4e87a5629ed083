"""API keys (administrators): list, create with scopes and purposes, revoke.

A new key's token is shown once, on the response to the creating POST (``no-store``); only its
hash is kept, so a lost token is revoked and a new key made. Creation and revocation are logged
by key id, never with the token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from opeka.auth import apikeys as apikey_service
from opeka.auth.apikeys import Scope
from opeka.ops import logs
from opeka.web.console.deps import ApiKeysManage
from opeka.web.console.pages import check_csrf, page, redirect
from opeka.web.console.routing import ConsoleRoute
from opeka.web.deps import UowDep
from opeka.web.principals import StaffPrincipal, auth_of
from opeka.web.problems import Problem, ProblemError

log = logs.get("console")
Csrf = Annotated[str, Form()]
Codes = Annotated[list[str] | None, Form(max_length=40)]


def _page(request: Request, principal: StaffPrincipal, uow: UowDep, **context: Any) -> Response:
    clients = apikey_service.list_clients(uow.data)
    return page(
        request, principal, "apikeys.html.j2", clients=clients, scopes=list(Scope), **context
    )


def key_list(request: Request, principal: ApiKeysManage, uow: UowDep) -> Response:
    """Every API client with its scopes, purposes and state, and the form to add one."""
    return _page(request, principal, uow, token=None)


def create(
    request: Request,
    principal: ApiKeysManage,
    uow: UowDep,
    name: Annotated[str, Form(max_length=100)],
    scopes: Codes = None,
    purposes: Codes = None,
    csrf_token: Csrf = "",
) -> Response:
    """Create a key and show its token this once."""
    check_csrf(request, csrf_token)
    try:
        client, token = apikey_service.create_api_key(
            uow.data,
            auth=auth_of(request),
            name=name,
            scopes=[Scope(s) for s in scopes or ()],
            purposes=purposes or (),
        )
    except ValueError:
        raise ProblemError(
            Problem(
                422,
                "invalid_api_key_request",
                "Неверные данные ключа",
                "Invalid key data",
                "Укажите имя (1–100 символов) и хотя бы одно право из списка.",
                "Give a name (1-100 characters) and at least one listed scope.",
            )
        ) from None
    log.info("staff user %d created API key %s", principal.user.id, client.id)
    return _page(request, principal, uow, token=token, created=client)


def revoke(
    request: Request, principal: ApiKeysManage, uow: UowDep, client_id: str, csrf_token: Csrf = ""
) -> Response:
    """Revoke a key: its token stops working at once."""
    check_csrf(request, csrf_token)
    client = apikey_service.revoke(uow.data, client_id=client_id)
    log.info("staff user %d revoked API key %s", principal.user.id, client.id)
    return redirect("/console/apikeys?msg=revoked")


def routes() -> APIRouter:
    """API key management."""
    api = APIRouter(include_in_schema=False, route_class=ConsoleRoute)
    api.add_api_route("/console/apikeys", key_list, methods=["GET"])
    api.add_api_route("/console/apikeys", create, methods=["POST"])
    api.add_api_route("/console/apikeys/{client_id}/revoke", revoke, methods=["POST"])
    return api
