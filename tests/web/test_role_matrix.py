"""The role × route matrix: every route answers 403 exactly where the policy says so.

Routes are discovered from the application, and each route's requirement is read from its own
dependencies (:class:`RequirePermission`, :class:`RequireStaff`, :class:`RequireScope`), so a
route added later is covered without editing this file:

* console: for every role of the policy, signed in as that role, a route answers 403 exactly
  when the role lacks the route's permission (and never 403 otherwise); unauthenticated, it
  redirects to the sign-in page;
* API (``/api/v1``): a key without the route's scope is refused with 403, a key holding only
  that scope is not, and a call without a key answers 401.

Calls carry a valid CSRF token (console) or purpose and idempotency headers (API) but otherwise
empty or random input, so an allowed call stops at validation or "not found" and changes
nothing.
"""

from __future__ import annotations

import contextlib
import importlib
import uuid
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from tests.conftest import shared_opeka
from tests.web.console.support import TEST_AUTH, Console, as_role

from opeka.app import Opeka
from opeka.auth import apikeys
from opeka.auth.apikeys import Scope
from opeka.auth.context import Auth
from opeka.web import console
from opeka.web.app import RouterFactory, create_app, default_routers
from opeka.web.principals import RequirePermission, RequireScope, RequireStaff

Requirement = RequireStaff | RequireScope
PUBLIC_CONSOLE = {
    ("GET", "/console/login"),
    ("POST", "/console/login"),
    ("POST", "/console/logout"),
}
SAMPLES = {
    "staff_id": "999999999",
    "client_id": "0000000000000000",
    "document_id": "none",
    "version": "0",
    "fmt": "csv",
}


def router_factories() -> list[RouterFactory]:
    """Every router of a full Opeka: the defaults, the console and the API if it exists."""
    factories = list(default_routers())
    candidates: list[RouterFactory] = [console.router]
    with contextlib.suppress(ImportError):  # the API may not exist yet; the console is covered
        candidates.append(importlib.import_module("opeka.web.api").router)
    factories += [f for f in candidates if f not in factories]
    return factories


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def opeka(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """One initialised Opeka per backend for the module."""
    with shared_opeka(request, tmp_path_factory.mktemp("matrix")) as instance:
        yield instance


@pytest.fixture(scope="module")
def app(opeka: Opeka) -> FastAPI:
    """The application with every router."""
    built = create_app(opeka, periodic=False, routers=router_factories())
    built.state.auth = Auth.from_opeka(opeka, TEST_AUTH)
    return built


def requirement(route: APIRoute) -> Requirement | None:
    """The route's principal requirement, found among its (nested) dependencies."""
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        if isinstance(dependant.call, RequireStaff | RequireScope):
            return dependant.call
        pending.extend(dependant.dependencies)
    return None


def routes(app: FastAPI, prefix: str) -> list[tuple[str, str, Requirement | None]]:
    """(method, path, requirement) of every route under ``prefix``."""
    found = []
    for context in iter_route_contexts(app.routes):  # included routers are not flattened
        route, path = context.original_route, context.path
        if isinstance(route, APIRoute) and path is not None and path.startswith(prefix):
            for method in sorted((context.methods or set()) - {"HEAD", "OPTIONS"}):
                found.append((method, path, requirement(route)))
    return found


def concrete(path: str) -> str:
    """``path`` with every parameter replaced by a harmless sample (random ids)."""
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        name = path[start + 1 : end].split(":", maxsplit=1)[0]
        sample = SAMPLES.get(name, str(uuid.uuid4()))
        path = path[:start] + sample + path[end + 1 :]
    return path


def console_call(browser: Console, method: str, path: str) -> httpx2.Response:
    if method == "GET":
        return browser.get(concrete(path))
    return browser.post(concrete(path))


def test_the_console_has_routes_and_only_sign_in_and_out_are_public(app: FastAPI) -> None:
    found = routes(app, "/console")
    assert len(found) >= 30
    public = {(method, path) for method, path, need in found if need is None}
    assert public == PUBLIC_CONSOLE
    assert all(isinstance(need, RequireStaff) for _m, _p, need in found if need is not None)


@pytest.mark.parametrize(
    "role",
    ["administrator", "privacy_officer", "support", "marketing", "auditor"],
)
def test_console_routes_refuse_exactly_what_the_role_lacks(
    app: FastAPI, opeka: Opeka, role: str
) -> None:
    assert set(opeka.policy.roles) == {
        "administrator",
        "privacy_officer",
        "support",
        "marketing",
        "auditor",
    }, "a role was added to the policy: add it to the parametrisation"
    permissions = set(opeka.policy.roles[role].permissions)
    browser = as_role(app, role)
    browser.client = TestClient(app, raise_server_exceptions=False, cookies=browser.client.cookies)
    wrong = []
    for method, path, need in routes(app, "/console"):
        if need is None:
            continue
        forbidden = isinstance(need, RequirePermission) and need.permission not in permissions
        answer = console_call(browser, method, path)
        if (answer.status_code == 403) != forbidden or answer.status_code >= 500:
            wrong.append(f"{method} {path}: {answer.status_code} (forbidden: {forbidden})")
    assert wrong == []


def test_console_routes_send_strangers_to_the_sign_in_page(app: FastAPI) -> None:
    stranger = TestClient(app, raise_server_exceptions=False)
    wrong = []
    for method, path, need in routes(app, "/console"):
        if need is None:
            continue
        answer = stranger.request(method, concrete(path), follow_redirects=False)
        location = answer.headers.get("location", "")
        if answer.status_code != 303 or not location.startswith("/console/login?next="):
            wrong.append(f"{method} {path}: {answer.status_code} {location}")
    assert wrong == []


def api_routes(app: FastAPI) -> list[tuple[str, str, RequireScope]]:
    """API routes that need a key (with their scope)."""
    return [
        (method, path, need)
        for method, path, need in routes(app, "/api/v1")
        if isinstance(need, RequireScope)
    ]


def api_call(client: TestClient, method: str, path: str, token: str | None) -> httpx2.Response:
    headers = {"X-Opeka-Purpose": "2.2.7", "Idempotency-Key": str(uuid.uuid4())}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    body: dict[str, Any] | None = None if method in ("GET", "DELETE") else {}
    return client.request(method, concrete(path), headers=headers, json=body)


def make_key(app: FastAPI, opeka: Opeka, scopes: list[Scope]) -> str:
    with opeka.data_engine.begin() as conn:
        _client, token = apikeys.create_api_key(
            conn,
            auth=app.state.auth,
            name="матрица",
            scopes=scopes,
            purposes=list(opeka.policy.purposes),
        )
    return token


def test_api_routes_answer_by_scope(app: FastAPI, opeka: Opeka) -> None:
    found = api_routes(app)
    if not found:
        pytest.skip("no API route requires a key yet")
    client = TestClient(app, raise_server_exceptions=False)
    only = {s: make_key(app, opeka, [s]) for s in {need.scope for _m, _p, need in found}}
    all_but = {s: make_key(app, opeka, [o for o in Scope if o != s]) for s in only}
    wrong = []
    for method, path, need in found:
        for label, token, refused in (
            ("no key", None, 401),
            ("without the scope", all_but[need.scope], 403),
        ):
            status = api_call(client, method, path, token).status_code
            if status != refused:
                wrong.append(f"{method} {path} {label}: {status}, expected {refused}")
        status = api_call(client, method, path, only[need.scope]).status_code
        if status in (401, 403) or status >= 500:
            wrong.append(f"{method} {path} with only {need.scope}: {status}")
    assert wrong == []
