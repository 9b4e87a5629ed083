"""The FastAPI application factory: middleware, error handling, static files and routers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from opeka import __version__
from opeka.app import Opeka
from opeka.auth.context import Auth
from opeka.auth.principals import PrincipalKind
from opeka.ops import logs, scheduler
from opeka.web import api, api_docs, console, cookies_routes, portal, problems, system_routes
from opeka.web.api.read_fast import SubjectReadFastPath
from opeka.web.keys import web_key
from opeka.web.principals import LoginRequired
from opeka.web.problems import Problem
from opeka.web.security import SecurityHeaders

STATIC = Path(__file__).resolve().parent / "static"
RouterFactory = Callable[[Opeka], APIRouter]
log = logs.get("web")

_STATUS_TITLES = {
    401: ("Требуется вход", "Sign-in required"),
    403: ("Доступ запрещён", "Forbidden"),
    404: ("Не найдено", "Not found"),
    405: ("Метод не разрешён", "Method not allowed"),
    413: ("Слишком большой запрос", "Request too large"),
    429: ("Слишком много запросов", "Too many requests"),
}


def create_app(
    opeka: Opeka,
    *,
    periodic: bool = True,
    routers: list[RouterFactory] | None = None,
    read_fast_path: bool = True,
) -> FastAPI:
    """Build the web application around a wired :class:`Opeka`.

    ``routers`` are added after the system routes (health, policy, language); with
    ``periodic`` the scheduler's jobs (time-based journal checkpoints, recovery) run while it
    serves. With the API, ``read_fast_path`` answers subject reads before routing
    (:mod:`opeka.web.api.read_fast`; off only to compare it with the route).
    """

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if not periodic:
            yield
            return
        async with scheduler.running(opeka, opeka.settings.checkpoint_every_seconds):
            yield

    app = FastAPI(
        lifespan=lifespan,
        title="Opeka",
        version=__version__,
        docs_url=None,
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.opeka = opeka
    app.state.csrf_key = web_key(opeka.master, "csrf")
    app.state.auth = Auth.from_opeka(opeka)
    resolved = default_routers() if routers is None else routers
    if read_fast_path and api.router in resolved:  # answered before routing, inside the headers
        app.add_middleware(SubjectReadFastPath, opeka=opeka)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(system_routes.router(opeka))
    for factory in resolved:
        app.include_router(factory(opeka))
    if routers is None:  # the full application also serves the cookie banner
        cookies_routes.include(app, opeka)
    app.include_router(api_docs.router(app))
    _handlers(app)
    return app


def default_routers() -> list[RouterFactory]:
    """The routers of a full Opeka besides the banner's (API, portal, console)."""
    return [api.router, portal.router, console.router]


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        ru, en = _STATUS_TITLES.get(exc.status_code, ("Ошибка запроса", "Request error"))
        return problems.respond(
            request, Problem(exc.status_code, f"http_{exc.status_code}", ru, en)
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) or "body" for e in exc.errors())
        return problems.respond(
            request,
            Problem(
                422,
                "invalid_request",
                "Неверные данные запроса",
                "Invalid request",
                f"Проверьте: {fields}",
                f"Check: {fields}",
            ),
        )

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if problems.wants_json(request):
            return problems.respond(
                request, Problem(401, "login_required", "Требуется вход", "Sign-in required")
            )
        page = "/console/login" if exc.kind is PrincipalKind.STAFF else "/portal/login"
        target = request.url.path
        return RedirectResponse(f"{page}?next={quote(target, safe='/')}", status_code=303)

    async def domain_error(request: Request, exc: Exception) -> Response:
        problem = problems.from_exception(exc)
        assert problem is not None
        return problems.respond(request, problem)

    # One handler per domain error family: they run inside the middleware stack, so a refusal
    # is an answer, not a server fault (the catch-all below sits outside it and re-raises).
    for family in problems.KNOWN_ERRORS:
        app.add_exception_handler(family, domain_error)

    @app.exception_handler(Exception)
    async def domain_or_unexpected(request: Request, exc: Exception) -> Response:
        problem = problems.from_exception(exc)
        if problem is None:
            log.error(
                "unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path
            )
            problem = Problem(500, "internal", "Внутренняя ошибка", "Internal error")
        return problems.respond(request, problem)
