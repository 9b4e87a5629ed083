"""The FastAPI application factory."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import select
from starlette.exceptions import HTTPException as StarletteHTTPException

from opeka import __version__
from opeka.app import Opeka
from opeka.db.engine import read_only
from opeka.db.journal import journal_head
from opeka.ops import scheduler
from opeka.policy.render import render_policy
from opeka.web.security import HEADERS, SecurityHeaders


def problem(status: int, title_ru: str, title_en: str, detail: str = "") -> JSONResponse:
    """An RFC 9457 problem response with a Russian and an English title."""
    body = {"type": "about:blank", "status": status, "title": title_ru, "title_en": title_en}
    if detail:
        body["detail"] = detail
    # Headers set here too: a 500 is sent from outside the middleware stack.
    headers = {name.decode(): value.decode() for name, value in HEADERS}
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


def create_app(opeka: Opeka, *, periodic: bool = True) -> FastAPI:
    """Build the web application around a wired :class:`Opeka`.

    With ``periodic``, the application runs the scheduler's jobs (time-based journal
    checkpoints, crash recovery) while it serves.
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
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.opeka = opeka
    policy_html = render_policy(opeka.policy, fmt="html")
    app.add_middleware(SecurityHeaders)

    @app.get("/api/v1/health", tags=["system"])
    def health() -> dict[str, object]:
        """Liveness and readiness: the database answers and the journal is initialised."""
        with read_only(opeka.data_engine) as conn:
            size = conn.execute(select(journal_head.c.size)).scalar()
        return {"status": "ok", "version": __version__, "journal_entries": size}

    @app.get("/policy", response_class=HTMLResponse, include_in_schema=False)
    def policy() -> HTMLResponse:
        """The privacy policy, rendered from the policy file."""
        return HTMLResponse(policy_html)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {
            404: ("Не найдено", "Not found"),
            405: ("Метод не разрешён", "Method not allowed"),
        }
        ru, en = titles.get(exc.status_code, ("Ошибка запроса", "Request error"))
        return problem(exc.status_code, ru, en)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        return problem(422, "Неверные данные запроса", "Invalid request", f"check: {fields}")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        return problem(500, "Внутренняя ошибка", "Internal error")

    return app
