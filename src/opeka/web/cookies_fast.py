"""The consent-event API's fast path: ``POST /cookies/events`` answered in front of the router.

Every banner decision of every visitor comes through this endpoint, so it skips the framework's
routing and dependency machinery: a plain ASGI middleware reads the body, hands it to
:class:`opeka.cookies.ingest.Ingest` (which returns once the row is committed) and answers 204,
or an RFC 9457 problem naming the rule that failed. Its answers carry the same security headers
as the rest of the application; other requests pass through untouched. The route of the same
path in :mod:`opeka.web.cookies_routes` behaves identically (and documents it in OpenAPI); both
share one :class:`Ingest` per Opeka instance (:func:`ingest_for`).

    app.add_middleware(ConsentEventsFastPath, opeka=opeka)
"""

from __future__ import annotations

import weakref

from starlette.types import ASGIApp, Receive, Scope, Send

from opeka.app import Opeka
from opeka.cookies.config import DEFAULT_EXPIRY_DAYS
from opeka.cookies.errors import (
    CookieError,
    InvalidEvent,
    NoAnalyticsConsent,
    NotStored,
    StaleVersion,
)
from opeka.cookies.events import MAX_BODY
from opeka.cookies.ingest import Ingest
from opeka.web.problems import Problem, problem_json
from opeka.web.security import HEADERS

EVENTS_PATH = "/cookies/events"
BODY_TYPES = frozenset({"application/json", "text/plain"})
_TITLES: list[tuple[type[CookieError], int, str, str]] = [
    (StaleVersion, 409, "Уведомление о cookie изменилось", "The cookie notice has changed"),
    (InvalidEvent, 422, "Неверные данные", "Invalid data"),
    (NoAnalyticsConsent, 403, "Нет согласия на аналитику", "No consent to analytics"),
    (NotStored, 503, "Не удалось сохранить", "Not stored"),
]
_INGESTS: weakref.WeakKeyDictionary[Opeka, dict[tuple[int, int], Ingest]] = (
    weakref.WeakKeyDictionary()
)


def ingest_for(
    opeka: Opeka, *, expiry_days: int = DEFAULT_EXPIRY_DAYS, max_batch: int = 512
) -> Ingest:
    """The one :class:`Ingest` of ``opeka`` with these settings (shared by route and fast path)."""
    made = _INGESTS.setdefault(opeka, {})
    key = (expiry_days, max_batch)
    if key not in made:
        made[key] = Ingest(
            opeka.data_engine, opeka.policy, expiry_days=expiry_days, max_batch=max_batch
        )
    return made[key]


def cookie_problem(exc: CookieError) -> Problem:
    """The problem for a cookies error: its status, and the rule it names in both languages."""
    status, ru, en = next((s, r, e) for kind, s, r, e in _TITLES if isinstance(exc, kind))
    return Problem(status, exc.code, ru, en, exc.message_ru, exc.message)


def body_problem(content_type: str, size: int) -> Problem | None:
    """Refuse a body that is not JSON (``text/plain`` JSON from ``sendBeacon`` is) or too big."""
    if content_type.split(";", 1)[0].strip().lower() not in BODY_TYPES:
        return Problem(
            415,
            "unsupported_media_type",
            "Неподдерживаемый тип данных",
            "Unsupported media type",
            "Отправьте JSON (application/json или text/plain).",
            "Send JSON (application/json or text/plain).",
        )
    if size > MAX_BODY:
        return Problem(
            413,
            "too_large",
            "Слишком большой запрос",
            "Request too large",
            f"Не больше {MAX_BODY} байт.",
            f"At most {MAX_BODY} bytes.",
        )
    return None


class ConsentEventsFastPath:
    """ASGI middleware answering ``POST /cookies/events`` itself; everything else passes on."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        opeka: Opeka,
        expiry_days: int = DEFAULT_EXPIRY_DAYS,
        max_batch: int = 512,
    ) -> None:
        self.app = app
        self.ingest = ingest_for(opeka, expiry_days=expiry_days, max_batch=max_batch)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != EVENTS_PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        body = b""
        trouble = body_problem(headers.get(b"content-type", b"").decode("latin-1"), 0)
        more = trouble is None
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if trouble := body_problem("application/json", len(body)):
                break
        if trouble is None:
            client = scope.get("client")
            try:
                await self.ingest.consent_event(
                    body,
                    gpc_header=headers.get(b"sec-gpc") == b"1",
                    client_ip=client[0] if client else None,
                    user_agent=headers.get(b"user-agent", b"").decode("latin-1") or None,
                )
            except CookieError as exc:
                trouble = cookie_problem(exc)
        if trouble is not None:
            await problem_json(trouble, instance=EVENTS_PATH)(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 204, "headers": HEADERS})
        await send({"type": "http.response.body", "body": b""})
