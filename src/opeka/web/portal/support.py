"""What the portal's routes share: the context, pages, forms, sessions, refusals.

Pages are rendered with ``Cache-Control: no-store`` (they may show personal data). A session
opened together with a change (registration, password change) is created on the unit of work's
own connection, so that the account and its session commit together; on SQLite a second writer
inside the request would wait for the first.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import Connection
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from opeka.app import Opeka
from opeka.auth import sessions
from opeka.auth.cookie import cookie_attributes
from opeka.auth.principals import PrincipalKind
from opeka.auth.ratelimit import Limit
from opeka.consent import signing
from opeka.mail.factory import build_mailer
from opeka.mail.mailers import Mailer
from opeka.selfservice import limits
from opeka.selfservice.client import Client
from opeka.selfservice.errors import (
    EmailUnavailable,
    FieldError,
    InvalidForm,
    SelfServiceError,
)
from opeka.selfservice.limits import PortalLimits
from opeka.web.deps import client_ip
from opeka.web.i18n import language
from opeka.web.principals import RequireSubject, SubjectPrincipal, auth_of, current_subject
from opeka.web.problems import Problem, ProblemError
from opeka.web.templating import render

NO_STORE = "no-store"
FLASH = {
    "registered": ("Учётная запись создана.", "Your account has been created."),
    "rectified": ("Данные уточнены.", "Your data have been updated."),
    "unchanged": ("Изменений нет.", "Nothing was changed."),
    "given": ("Согласие дано.", "Consent given."),
    "withdrawn": ("Согласие отозвано.", "Consent withdrawn."),
    "password": (
        "Пароль изменён; другие сеансы завершены.",
        "Password changed; other sessions ended.",
    ),
    "reset": ("Пароль задан. Войдите с новым паролем.", "Password set. Sign in with it."),
    "signed_out": ("Вы вышли из личного кабинета.", "You have signed out."),
}
_TITLES = {
    400: ("Неверный запрос", "Bad request"),
    404: ("Не найдено", "Not found"),
    409: ("Конфликт", "Conflict"),
    422: ("Неверные данные", "Invalid data"),
}


@dataclass
class Portal:
    """What the portal's routes need besides the request: Opeka, the mailer, the limits."""

    opeka: Opeka
    limits: PortalLimits = field(default_factory=PortalLimits)
    given_mailer: Mailer | None = None

    @functools.cached_property
    def mailer(self) -> Mailer:
        """The mailer given, or the one the settings choose (built on first use)."""
        return self.given_mailer or build_mailer(self.opeka.settings)

    @functools.cached_property
    def receipt_key(self) -> Ed25519PrivateKey:
        """The consent receipts' signing key (created on first use)."""
        return signing.signing_key(self.opeka.settings.keys_dir)

    def limit(self, request: Request, form: str, limit: Limit, who: str = "") -> None:
        """Count a submission of ``form`` (by client address unless ``who`` is given)."""
        limits.check(
            self.opeka.data_engine,
            auth=auth_of(request),
            form=form,
            who=who or f"ip:{client_ip(request)}",
            limit=limit,
        )


async def form_data(request: Request) -> FormData:
    """The submitted form (for forms whose fields come from the policy)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]
SubjectDep = Annotated[SubjectPrincipal, Depends(RequireSubject())]
ViewerDep = Annotated[SubjectPrincipal | None, Depends(current_subject)]


def client_of(request: Request) -> Client:
    """The submitting client, for consent evidence."""
    return Client(
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
        language=language(request),
    )


def page(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a portal page (never cached)."""
    done = str(request.query_params.get("done", ""))
    if done in FLASH and "flash" not in context:
        ru, en = FLASH[done]
        context["flash"] = en if language(request) == "en" else ru
    context.setdefault("contact_email", request.app.state.opeka.policy.operator.contact_email)
    response = render(request, name, status_code=status_code, **context)
    response.headers["cache-control"] = NO_STORE
    return response


def redirect(path: str) -> RedirectResponse:
    """A 303 to a portal path (after a POST)."""
    return RedirectResponse(path, status_code=303)


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a portal path only, else «Мои данные»."""
    if value and value.startswith("/portal/") and "//" not in value and "\\" not in value:
        return value
    return "/portal/me"


def start_session(
    request: Request, response: Response, conn: Connection, *, subject_id: str
) -> None:
    """Open a session on ``conn`` and set the encrypted auth cookie of policy 6.3."""
    auth = auth_of(request)
    new = sessions.create(
        conn,
        auth=auth,
        kind=PrincipalKind.SUBJECT,
        principal_id=subject_id,
        user_agent=request.headers.get("user-agent"),
    )
    attributes = cookie_attributes(PrincipalKind.SUBJECT, tls=request.url.scheme == "https")
    response.set_cookie(value=new.cookie_value(auth), **attributes.set_cookie_arguments())  # type: ignore[arg-type]


def problem_of(exc: SelfServiceError) -> Problem:
    """The problem page of a self-service refusal."""
    title_ru, title_en = _TITLES.get(exc.status, ("Ошибка", "Error"))
    return Problem(
        exc.status, type(exc).__name__, title_ru, title_en, exc.message_ru, exc.message_en
    )


@contextmanager
def refusals() -> Iterator[None]:
    """Answer a self-service refusal with its problem page."""
    try:
        yield
    except SelfServiceError as exc:
        raise ProblemError(problem_of(exc)) from None


def form_errors(error: Exception | None) -> dict[str, FieldError]:
    """The fields a refusal marks (the e-mail for an unavailable address); values not kept."""
    if isinstance(error, InvalidForm):
        return error.errors
    if isinstance(error, EmailUnavailable):
        return {"email": FieldError(error.message_ru, error.message_en)}
    return {}


def message(request: Request, exc: Exception) -> str:
    """The safe message of a domain error in the page's language."""
    ru = str(getattr(exc, "message_ru", ""))
    en = str(getattr(exc, "message_en", "") or getattr(exc, "message", ""))
    chosen = en if language(request) == "en" else ru
    return chosen[:1].upper() + chosen[1:]
