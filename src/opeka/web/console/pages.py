"""What every console page shares: navigation by role, the overdue banner, rendering, forms.

Every console page is rendered by :func:`page`: it carries the navigation the role may use
(every route checks its permission on the server anyway), the banner that no overdue request
can hide from, and ``Cache-Control: no-store`` (console pages show internal data and, after an
unmasking, personal data: no browser or proxy may keep them).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from opeka.app import Opeka
from opeka.db.engine import read_only
from opeka.policy.schema import Permission
from opeka.requests.clock import MOSCOW, moscow_today
from opeka.requests.queue import queue
from opeka.subjects.access import StaffRole
from opeka.web import csrf
from opeka.web.i18n import language, pick
from opeka.web.principals import StaffPrincipal
from opeka.web.problems import Problem, ProblemError
from opeka.web.templating import render

NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}


@dataclass(frozen=True, slots=True)
class NavItem:
    """A link of the console's navigation, shown to roles with ``permission``."""

    path: str
    ru: str
    en: str
    permission: Permission | None


NAV = (
    NavItem("/console", "Обзор", "Overview", None),
    NavItem("/console/subjects", "Субъекты", "Subjects", Permission.SUBJECTS_SEARCH),
    NavItem("/console/requests", "Запросы", "Requests", Permission.REQUESTS_READ),
    NavItem("/console/journal", "Журнал", "Journal", Permission.JOURNAL_READ),
    NavItem("/console/consents", "Согласия", "Consents", Permission.CONSENTS_READ),
    NavItem("/console/documents", "Документы", "Documents", Permission.DOCUMENTS_READ),
    NavItem("/console/analytics", "Аналитика", "Analytics", Permission.ANALYTICS_READ),
    NavItem("/console/staff", "Сотрудники", "Staff", Permission.STAFF_MANAGE),
    NavItem("/console/apikeys", "API-ключи", "API keys", Permission.APIKEYS_MANAGE),
)

SUBJECT_STATUS: dict[str, tuple[str, str]] = {
    "active": ("активен", "active"),
    "blocked": ("заблокирован", "blocked"),
    "destruction_scheduled": ("уничтожение запланировано", "destruction scheduled"),
    "destroyed": ("данные уничтожены", "data destroyed"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    "updated": ("Данные уточнены.", "The data were rectified."),
    "blocked": ("Субъект заблокирован.", "The subject is blocked."),
    "unblocked": ("Блокирование снято.", "The block is lifted."),
    "destroyed": ("Данные субъекта уничтожены.", "The subject's data were destroyed."),
    "registered": ("Запрос зарегистрирован.", "The request is registered."),
    "saved": ("Изменения сохранены.", "The changes are saved."),
    "executed": ("Запрос исполнен автоматически.", "The request was executed."),
    "created": ("Сотрудник добавлен.", "The staff user was added."),
    "revoked": ("Ключ отозван.", "The key was revoked."),
}


def opeka_of(request: Request) -> Opeka:
    """The application's :class:`Opeka`."""
    opeka: Opeka = request.app.state.opeka
    return opeka


def staff_role(principal: StaffPrincipal) -> StaffRole:
    """The principal's role as the subject operations check it."""
    return StaffRole(principal.role_code, principal.role)


def check_csrf(request: Request, token: str) -> None:
    """Refuse a form without the request's CSRF token (before anything changes)."""
    csrf.verify(request, token, request.app.state.csrf_key)


def overdue_count(opeka: Opeka) -> int:
    """How many open requests are past their deadline today (Moscow)."""
    with read_only(opeka.data_engine) as conn:
        return len(queue(conn, today=moscow_today(), overdue_only=True))


def when(moment: dt.datetime | None) -> str:
    """A time as staff read it: Moscow time, ``ДД.ММ.ГГГГ ЧЧ:ММ``."""
    if moment is None:
        return "—"
    return moment.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")


def day(value: dt.date | None) -> str:
    """A date as ``ДД.ММ.ГГГГ``."""
    return "—" if value is None else value.strftime("%d.%m.%Y")


def page(
    request: Request,
    principal: StaffPrincipal | None,
    template: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a console page with the shared context; never cached."""
    opeka = opeka_of(request)
    nav = [i for i in NAV if principal and (i.permission is None or principal.may(i.permission))]
    message = MESSAGES.get(request.query_params.get("msg", ""))
    lang = language(request)
    response = render(
        request,
        f"console/{template}",
        status_code=status_code,
        me=principal,
        nav=nav,
        current=request.url.path,
        overdue=overdue_count(opeka) if principal else 0,
        may=principal.may if principal else (lambda _p: False),
        P=Permission,
        policy=opeka.policy,
        when=when,
        day=day,
        status_titles=SUBJECT_STATUS,
        flash=pick(lang, *message) if message else None,
        **context,
    )
    response.headers.update(NO_STORE)
    return response


def redirect(path: str) -> RedirectResponse:
    """A 303 to a console path (after a form: the browser then GETs the result)."""
    return RedirectResponse(path, status_code=303, headers=NO_STORE)


def parse_uuid(raw: str, what_ru: str, what_en: str) -> uuid.UUID:
    """A pseudonymous id from a form or query, or a 422 naming what was expected."""
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise ProblemError(
            Problem(
                422,
                "invalid_id",
                "Неверный идентификатор",
                "Invalid identifier",
                f"{what_ru}: ожидается идентификатор вида 8-4-4-4-12.",
                f"{what_en}: expected an identifier like 8-4-4-4-12.",
            )
        ) from None
