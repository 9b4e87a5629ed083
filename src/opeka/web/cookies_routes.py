"""Routes of the cookie banner: its files and notice, consent events, page views, GPC, the demo.

``router(opeka)`` serves ``/cookies/banner.js`` (the one script a site includes), its CSS, the
notice ``/cookies/config.json``, the consent-event API ``POST /cookies/events``, the page-view
beacon ``POST /cookies/pageview`` and ``/.well-known/gpc.json``. Events and page views are
committed in shared transactions (:class:`opeka.cookies.ingest.Ingest`): a 204 answer means the
row is committed. ``include(app, opeka)`` adds the router together with the fast path of
:mod:`opeka.web.cookies_fast`. ``demo_router()`` serves the demo shop (``examples/shop``) at
``/demo/``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from opeka.app import Opeka
from opeka.cookies.assets import FILES, asset
from opeka.cookies.config import DEFAULT_EXPIRY_DAYS, gpc_json
from opeka.cookies.errors import CookieError
from opeka.web.cookies_fast import (
    EVENTS_PATH,
    ConsentEventsFastPath,
    body_problem,
    cookie_problem,
    ingest_for,
)
from opeka.web.problems import Problem, problem_json

_DEMO_FILE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}\.(html|css|js|svg)$")
_DEMO_TYPES = {
    "html": "text/html; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "svg": "image/svg+xml",
}
NOT_FOUND = Problem(404, "http_404", "Не найдено", "Not found")


def default_demo_dir() -> Path:
    """``examples/shop`` of the source checkout this module runs from."""
    return Path(__file__).resolve().parents[3] / "examples" / "shop"


def include(
    app: FastAPI, opeka: Opeka, *, expiry_days: int = DEFAULT_EXPIRY_DAYS, max_batch: int = 512
) -> None:
    """Add the banner's routes to ``app`` with the consent-event fast path in front.

    ``max_batch=1`` commits every event alone (the bench compares both).
    """
    app.include_router(router(opeka, expiry_days=expiry_days, max_batch=max_batch))
    app.add_middleware(
        ConsentEventsFastPath, opeka=opeka, expiry_days=expiry_days, max_batch=max_batch
    )


def router(
    opeka: Opeka, *, expiry_days: int = DEFAULT_EXPIRY_DAYS, max_batch: int = 512
) -> APIRouter:
    """The banner's routes for ``opeka`` (a ``create_app`` router factory)."""
    ingest = ingest_for(opeka, expiry_days=expiry_days, max_batch=max_batch)
    notices = {
        g: json.dumps(ingest.config.to_json(gpc=g), ensure_ascii=False).encode()
        for g in (False, True)
    }
    gpc_body = json.dumps(gpc_json(opeka.policy)).encode()
    api = APIRouter(tags=["cookies"])

    @api.get("/cookies/config.json", include_in_schema=False)
    def notice(request: Request) -> Response:
        """The banner's notice; with ``Sec-GPC: 1`` it tells the banner that GPC is on."""
        gpc = request.headers.get("sec-gpc") == "1"
        headers = {"cache-control": "public, max-age=300", "vary": "Sec-GPC"}
        return Response(notices[gpc], media_type="application/json", headers=headers)

    @api.get("/cookies/{name}", include_in_schema=False)
    def static_file(name: str, request: Request) -> Response:
        """``banner.js``, ``banner.css`` or ``analytics.js`` (gzip when accepted, ETag)."""
        if name not in FILES:
            return problem_json(NOT_FOUND, instance=request.url.path)
        return _serve_asset(name, request)

    @api.get("/.well-known/gpc.json", include_in_schema=False)
    def gpc() -> Response:
        """This site honours Global Privacy Control."""
        return Response(gpc_body, media_type="application/json")

    @api.post(EVENTS_PATH, status_code=204, summary="Record a cookie-banner decision")
    async def consent_event(request: Request) -> Response:
        """Store one decision (JSON, also as ``text/plain``): 204 only once committed, 4xx
        with the rule it broke, 503 if it could not be stored."""
        body = await _read(request)
        if isinstance(body, Response):
            return body
        try:
            await ingest.consent_event(
                body,
                gpc_header=request.headers.get("sec-gpc") == "1",
                client_ip=request.client.host if request.client else None,
                user_agent=request.headers.get("user-agent"),
            )
        except CookieError as exc:
            return problem_json(cookie_problem(exc), instance=request.url.path)
        return Response(status_code=204)

    @api.post("/cookies/pageview", status_code=204, summary="Count a page view (with consent)")
    async def pageview(request: Request) -> Response:
        """Count a page view only when the visitor's current choice grants analytics."""
        body = await _read(request)
        if isinstance(body, Response):
            return body
        try:
            await ingest.pageview(
                body,
                consent_cookie=request.cookies.get("opeka_consent"),
                client_ip=request.client.host if request.client else None,
                user_agent=request.headers.get("user-agent"),
                site=request.headers.get("host"),
            )
        except CookieError as exc:
            return problem_json(cookie_problem(exc), instance=request.url.path)
        return Response(status_code=204)

    return api


async def _read(request: Request) -> bytes | Response:
    trouble = body_problem(request.headers.get("content-type", ""), 0)
    chunks: list[bytes] = []
    size = 0
    if trouble is None:
        async for chunk in request.stream():
            chunks.append(chunk)
            size += len(chunk)
            if trouble := body_problem("application/json", size):
                break
    return problem_json(trouble, instance=request.url.path) if trouble else b"".join(chunks)


def _serve_asset(name: str, request: Request) -> Response:
    item = asset(name)
    headers = {
        "etag": item.etag,
        "cache-control": "public, max-age=3600",
        "vary": "Accept-Encoding",
    }
    if request.headers.get("if-none-match") == item.etag:
        return Response(status_code=304, headers=headers)
    body = item.body
    if "gzip" in request.headers.get("accept-encoding", ""):
        body, headers["content-encoding"] = item.gzipped, "gzip"
    return Response(body, media_type=item.media_type, headers=headers)


def demo_router(directory: Path | None = None) -> APIRouter:
    """The demo shop (``examples/shop`` by default) at ``/demo/``: static pages with the banner."""
    folder = directory or default_demo_dir()
    api = APIRouter(include_in_schema=False)

    @api.get("/demo")
    def demo_root() -> RedirectResponse:
        return RedirectResponse("/demo/", status_code=308)

    @api.get("/demo/")
    @api.get("/demo/{name}")
    def demo_file(request: Request, name: str = "index.html") -> Response:
        path = folder / name
        if not _DEMO_FILE.match(name) or not path.is_file():
            return problem_json(NOT_FOUND, instance=request.url.path)
        media = _DEMO_TYPES[name.rsplit(".", 1)[1]]
        return Response(path.read_bytes(), media_type=media, headers={"cache-control": "no-cache"})

    return api
