"""«Мои данные»: view (journaled extraction), edit (уточнение), download as JSON."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from opeka.processing import subjects
from opeka.selfservice import mydata
from opeka.selfservice.download import data_copy
from opeka.selfservice.errors import EmailUnavailable, InvalidForm
from opeka.selfservice.fields import submitted
from opeka.selfservice.reconsent import pending_reconsent
from opeka.uow import UnitOfWork
from opeka.web import csrf
from opeka.web.deps import UowDep
from opeka.web.portal.support import (
    NO_STORE,
    FormDep,
    Portal,
    SubjectDep,
    form_errors,
    message,
    page,
    redirect,
)
from opeka.web.principals import SubjectPrincipal


def _edit_page(
    request: Request,
    uow: UnitOfWork,
    who: SubjectPrincipal,
    *,
    form: FormData | None = None,
    error: InvalidForm | EmailUnavailable | None = None,
) -> HTMLResponse:
    data = mydata.my_data(uow, subject_id=who.subject_id)
    fields = mydata.editable_fields(uow.services.rules.policy, data.category)
    errors = form_errors(error)
    if form is None:
        values = {held.code: held.value for held in data.fields}
    else:
        values = {f.code: str(form.get(f.code, "")) for f in fields if f.code not in errors}
    return page(
        request,
        "portal/me_edit.html.j2",
        status_code=409 if isinstance(error, EmailUnavailable) else 422 if error else 200,
        signed_in=True,
        section="me",
        fields=fields,
        values=values,
        errors=errors,
        error=message(request, error) if error else "",
    )


def router(portal: Portal) -> APIRouter:
    """GET /portal/me, the edit form and the download."""
    api = APIRouter()

    @api.get("/me")
    def my_data(request: Request, uow: UowDep, who: SubjectDep) -> HTMLResponse:
        """Every field held, its purposes, source and recipients."""
        data = mydata.my_data(uow, subject_id=who.subject_id)
        review = pending_reconsent(uow.data, subject_id=who.subject_id)
        return page(
            request, "portal/me.html.j2", signed_in=True, section="me", data=data, reconsent=review
        )

    @api.get("/me/edit")
    def edit_form(request: Request, uow: UowDep, who: SubjectDep) -> HTMLResponse:
        """The edit form, filled with the current values."""
        return _edit_page(request, uow, who)

    @api.post("/me/edit")
    def edit_submit(
        request: Request,
        uow: UowDep,
        who: SubjectDep,
        form: FormDep,
        csrf_token: Annotated[str, Form()] = "",
    ) -> Response:
        """Rectify (уточнение) what changed; emptied optional fields are deleted."""
        csrf.verify(request, csrf_token, request.app.state.csrf_key)
        fields = mydata.editable_fields(portal.opeka.policy, _category(uow, who))
        values = submitted(fields, {k: str(v) for k, v in form.items()})
        try:
            done = mydata.rectify(uow, subject_id=who.subject_id, values=values)
        except (InvalidForm, EmailUnavailable) as exc:
            return _edit_page(request, uow, who, form=form, error=exc)
        changed = done.updated or done.erased
        return redirect("/portal/me?done=" + ("rectified" if changed else "unchanged"))

    @api.get("/me/download")
    def download(uow: UowDep, who: SubjectDep) -> Response:
        """The copy of the data as a JSON attachment (journaled as an extraction)."""
        body = json.dumps(data_copy(uow, subject_id=who.subject_id), ensure_ascii=False, indent=2)
        return Response(
            body.encode("utf-8"),
            media_type="application/json; charset=utf-8",
            headers={
                "content-disposition": 'attachment; filename="my-personal-data.json"',
                "cache-control": NO_STORE,
            },
        )

    return api


def _category(uow: UnitOfWork, who: SubjectPrincipal) -> str:
    return subjects.load(uow.data, who.subject_id).category
