"""RFC 9457 problem details, and the mapping of domain errors to HTTP statuses.

Every error answers with a Russian and an English message saying what to fix; the policy clause
when the policy refused; never the exception's own text (it could quote input) and never a
traceback. Under ``/api`` the answer is ``application/problem+json``; elsewhere an HTML page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from opeka.auth import errors as auth_errors
from opeka.consent.errors import (
    ConsentError,
    DocumentNotForSubject,
    NotConsentPurpose,
    UnknownDocument,
    UnknownRecord,
)
from opeka.documents.errors import ActNotFound, DownloadRefused, TokenInvalid
from opeka.policy.errors import InvalidValue, MissingMandatory, PolicyRefusal
from opeka.processing.errors import SubjectNotFound
from opeka.requests.errors import InvalidRequest, RequestError, RequestNotFound
from opeka.selfservice.errors import SelfServiceError
from opeka.web.csrf import CsrfError
from opeka.web.security import HEADERS
from opeka.web.templating import render


@dataclass(frozen=True, slots=True)
class Problem:
    """What went wrong, in both languages."""

    status: int
    code: str
    title_ru: str
    title_en: str
    detail_ru: str = ""
    detail_en: str = ""
    clause: str | None = None


class ProblemError(Exception):
    """Raised by routes to answer with a :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.code)


def _auth(exc: auth_errors.AuthError) -> Problem:
    e = auth_errors
    status = 400
    if isinstance(exc, e.InvalidCredentials | e.InvalidApiKey):
        status = 401
    elif isinstance(exc, e.ScopeDenied | e.PurposeDenied | e.AccountNotAllowed):
        status = 403
    elif isinstance(exc, e.TooManyAttempts):
        status = 429
    elif isinstance(exc, e.PasswordRejected | e.InvalidLogin | e.UnknownRole | e.UnknownPurpose):
        status = 422
    elif isinstance(exc, e.StaffExists | e.AccountExists):
        status = 409
    elif isinstance(exc, e.StaffNotFound | e.AccountNotFound | e.ApiClientNotFound):
        status = 404
    elif isinstance(exc, e.ResetTokenExpired | e.ResetTokenUsed):
        status = 410
    title_ru, title_en = _TITLES.get(status, ("Ошибка", "Error"))
    return Problem(status, type(exc).__name__, title_ru, title_en, exc.message_ru, exc.message_en)


def _requests(exc: RequestError) -> Problem:
    status = 404 if isinstance(exc, RequestNotFound) else 409
    if isinstance(exc, InvalidRequest):
        status = 422
    title_ru, title_en = _TITLES.get(status, ("Ошибка", "Error"))
    return Problem(status, type(exc).__name__, title_ru, title_en, exc.message_ru, exc.message)


def _consent(exc: ConsentError) -> Problem:
    status = 404 if isinstance(exc, UnknownDocument | UnknownRecord) else 409
    if isinstance(exc, NotConsentPurpose | DocumentNotForSubject):
        status = 422
    title_ru, title_en = _TITLES.get(status, ("Ошибка", "Error"))
    return Problem(status, exc.code, title_ru, title_en, exc.message_ru, exc.message)


_TITLES = {
    400: ("Неверный запрос", "Bad request"),
    401: ("Требуется вход", "Sign-in required"),
    403: ("Доступ запрещён", "Forbidden"),
    404: ("Не найдено", "Not found"),
    409: ("Конфликт", "Conflict"),
    410: ("Больше не действует", "No longer valid"),
    422: ("Неверные данные", "Invalid data"),
    429: ("Слишком много попыток", "Too many attempts"),
}


def _policy(exc: PolicyRefusal) -> Problem:
    if isinstance(exc, InvalidValue | MissingMandatory):
        return Problem(
            422,
            exc.code,
            "Неверные данные",
            "Invalid data",
            exc.message_ru,
            exc.message,
            exc.clause,
        )
    return Problem(
        403,
        exc.code,
        "Отказано политикой",
        "Refused by the policy",
        exc.message_ru,
        exc.message,
        exc.clause,
    )


_NOT_FOUND = Problem(
    404,
    "subject_not_found",
    "Субъект не найден",
    "Subject not found",
    "Проверьте идентификатор субъекта: субъекта с таким идентификатором нет.",
    "Check the subject id: no subject has it.",
)
_CSRF = Problem(
    403,
    "csrf",
    "Форма устарела",
    "The form has expired",
    "Обновите страницу и отправьте форму ещё раз.",
    "Reload the page and submit again.",
)


def _documents(exc: ActNotFound | DownloadRefused) -> Problem:
    """An unknown act or link is not found; a used or expired link is gone (410)."""
    status = 404 if isinstance(exc, ActNotFound | TokenInvalid) else 410
    title_ru, title_en = _TITLES[status]
    ru, en = (m[:1].upper() + m[1:] + "." for m in (exc.message_ru, exc.message))
    return Problem(status, type(exc).__name__, title_ru, title_en, ru, en)


def _selfservice(exc: SelfServiceError) -> Problem:
    title_ru, title_en = _TITLES.get(exc.status, ("Ошибка", "Error"))
    return Problem(
        exc.status, type(exc).__name__, title_ru, title_en, exc.message_ru, exc.message_en
    )


_CONVERTERS: list[tuple[type[Exception], Callable[[Any], Problem]]] = [
    (ProblemError, lambda exc: exc.problem),
    (auth_errors.AuthError, _auth),
    (RequestError, _requests),
    (ConsentError, _consent),
    (SelfServiceError, _selfservice),
    (ActNotFound, _documents),
    (DownloadRefused, _documents),
    (PolicyRefusal, _policy),
    (SubjectNotFound, lambda _: _NOT_FOUND),
    (CsrfError, lambda _: _CSRF),
]


KNOWN_ERRORS: tuple[type[Exception], ...] = tuple(kind for kind, _ in _CONVERTERS)
"""The exception families :func:`from_exception` answers (registered as app handlers)."""


def from_exception(exc: Exception) -> Problem | None:
    """The problem for a known domain error (None for unknown ones)."""
    for kind, convert in _CONVERTERS:
        if isinstance(exc, kind):
            return convert(exc)
    return None


def problem_json(problem: Problem, *, instance: str = "") -> JSONResponse:
    """An ``application/problem+json`` response."""
    body: dict[str, object] = {
        "type": f"https://opeka.wwgroup.ru/problems/{problem.code}",
        "status": problem.status,
        "title": problem.title_ru,
        "title_en": problem.title_en,
    }
    if problem.detail_ru:
        body["detail"] = problem.detail_ru
        body["detail_en"] = problem.detail_en
    if problem.clause:
        body["clause"] = problem.clause
    if instance:
        body["instance"] = instance
    # Headers set here too: a 500 is sent from outside the middleware stack.
    headers = {name.decode(): value.decode() for name, value in HEADERS}
    return JSONResponse(
        body, status_code=problem.status, media_type="application/problem+json", headers=headers
    )


def wants_json(request: Request) -> bool:
    """API paths (and clients that ask for JSON) get problem JSON; pages get HTML."""
    return request.url.path.startswith("/api") or "json" in request.headers.get("accept", "")


def respond(request: Request, problem: Problem) -> Response:
    """Answer ``problem`` in the form the request expects."""
    if wants_json(request):
        return problem_json(problem, instance=request.url.path)
    lang_ru = request.cookies.get("opeka_lang") != "en"
    response = render(
        request,
        "error.html.j2",
        status_code=problem.status,
        status=problem.status,
        title=problem.title_ru if lang_ru else problem.title_en,
        detail=problem.detail_ru if lang_ru else problem.detail_en,
        clause=problem.clause,
    )
    for name, value in HEADERS:  # a 500 is sent from outside the middleware stack
        response.headers.setdefault(name.decode(), value.decode())
    return response
