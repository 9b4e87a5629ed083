"""Forms without an account (policy 1.1.2): a question to the operator, event registration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy import Connection
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from opeka.db.engine import read_only
from opeka.mail.errors import MailError
from opeka.selfservice import consents, visitors
from opeka.selfservice.errors import InvalidForm, SelfServiceError
from opeka.selfservice.events import EVENTS
from opeka.selfservice.fields import submitted
from opeka.uow import UnitOfWork
from opeka.web import csrf
from opeka.web.deps import UowDep
from opeka.web.portal.support import (
    FormDep,
    Portal,
    ViewerDep,
    client_of,
    message,
    page,
    redirect,
)
from opeka.web.problems import Problem, ProblemError

Field = Annotated[str, Form()]
FORMS = {"question": visitors.QUESTION_PURPOSE, "event": visitors.EVENT_PURPOSE}
MAIL_DOWN = Problem(
    503,
    "mail_unavailable",
    "Не удалось отправить вопрос",
    "The question could not be sent",
    "Почта оператора сейчас недоступна; ничего не сохранено. Повторите позже.",
    "The operator's mail is unavailable; nothing was stored. Please try again later.",
)


def _page(
    request: Request,
    portal: Portal,
    conn: Connection,
    form_name: str,
    *,
    signed_in: bool,
    form: FormData | None = None,
    error: SelfServiceError | None = None,
) -> HTMLResponse:
    policy = portal.opeka.policy
    purpose = FORMS[form_name]
    fields = visitors.visitor_fields(policy, purpose)
    errors = error.errors if isinstance(error, InvalidForm) else {}
    keep = [f.code for f in fields if f.code not in errors] + ["question", "event"]
    values = {code: str(form.get(code, "")) for code in keep} if form is not None else {}
    return page(
        request,
        f"portal/{form_name}.html.j2",
        status_code=422 if error else 200,
        signed_in=signed_in,
        section=form_name,
        fields=fields,
        offer=consents.offer(conn, policy, category=visitors.VISITOR, purpose=purpose),
        events=EVENTS,
        values=values,
        errors=errors,
        error=message(request, error) if error else "",
    )


def _version(form: FormData) -> str | None:
    return str(form.get("version", "")) if form.get("consent") == "yes" else None


def router(portal: Portal) -> APIRouter:
    """GET and POST /portal/question and /portal/event."""
    api = APIRouter()
    opeka = portal.opeka

    @api.get("/question")
    @api.get("/event")
    def visitor_form(request: Request, viewer: ViewerDep) -> HTMLResponse:
        """The empty form, with its consent document and an unticked box."""
        name = request.url.path.rsplit("/", 1)[1]
        with read_only(opeka.data_engine) as conn:
            return _page(request, portal, conn, name, signed_in=viewer is not None)

    @api.post("/question")
    def question(
        request: Request, uow: UowDep, form: FormDep, viewer: ViewerDep, csrf_token: Field = ""
    ) -> Response:
        """Collect with consent and forward the question to the operator's mailbox."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        portal.limit(request, "question", portal.limits.form_per_ip)
        try:
            visitors.ask_question(
                uow,
                mailer=portal.mailer,
                values=_values(uow, form, visitors.QUESTION_PURPOSE),
                question=str(form.get("question", "")),
                consent_version=_version(form),
                client=client_of(request),
            )
        except SelfServiceError as exc:
            return _page(
                request, portal, uow.data, "question", signed_in=bool(viewer), form=form, error=exc
            )
        except MailError:
            raise ProblemError(MAIL_DOWN) from None
        return redirect("/portal/sent?form=question")

    _event(api, portal)
    return api


def _event(api: APIRouter, portal: Portal) -> None:
    """Event registration and the thank-you page."""

    @api.post("/event")
    def event(
        request: Request, uow: UowDep, form: FormDep, viewer: ViewerDep, csrf_token: Field = ""
    ) -> Response:
        """Collect with consent for the chosen event."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        portal.limit(request, "event", portal.limits.form_per_ip)
        try:
            visitors.register_for_event(
                uow,
                event_code=str(form.get("event", "")),
                values=_values(uow, form, visitors.EVENT_PURPOSE),
                consent_version=_version(form),
                client=client_of(request),
            )
        except SelfServiceError as exc:
            return _page(
                request, portal, uow.data, "event", signed_in=bool(viewer), form=form, error=exc
            )
        return redirect("/portal/sent?form=event")

    @api.get("/sent")
    def sent(request: Request, viewer: ViewerDep, form: str = "question") -> HTMLResponse:
        """The thank-you page of a visitor form."""
        kind = form if form in FORMS else "question"
        return page(request, "portal/sent.html.j2", signed_in=viewer is not None, kind=kind)


def _values(uow: UnitOfWork, form: FormData, purpose: str) -> dict[str, str]:
    fields = visitors.visitor_fields(uow.services.rules.policy, purpose)
    return submitted(fields, {k: str(v) for k, v in form.items()})
