"""Staff management (administrators): list, add with a role and an initial password, change the
role, deactivate. Changes are logged (ids and roles, never passwords); a member cannot change
their own role or deactivate themselves, so the last administrator cannot lock everyone out by
a slip.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from opeka.auth import staff as staff_service
from opeka.ops import logs
from opeka.web.console.deps import StaffManage
from opeka.web.console.pages import check_csrf, page, redirect
from opeka.web.console.routing import ConsoleRoute
from opeka.web.deps import UowDep
from opeka.web.principals import StaffPrincipal, auth_of
from opeka.web.problems import Problem, ProblemError

log = logs.get("console")
Csrf = Annotated[str, Form()]
RoleCode = Annotated[str, Form(max_length=48)]


def _not_self(principal: StaffPrincipal, staff_id: int) -> None:
    if principal.user.id == staff_id:
        raise ProblemError(
            Problem(
                409,
                "own_account",
                "Нельзя изменить свою учётную запись",
                "You cannot change your own account",
                "Роль и доступ сотрудника меняет другой администратор.",
                "Another administrator changes your role or access.",
            )
        )


def staff_list(request: Request, principal: StaffManage, uow: UowDep) -> Response:
    """Every staff user with role and state, and the form to add one."""
    users = staff_service.list_staff(uow.data)
    return page(request, principal, "staff.html.j2", users=users)


def create(
    request: Request,
    principal: StaffManage,
    uow: UowDep,
    login: Annotated[str, Form(max_length=64)],
    role: RoleCode,
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Csrf = "",
) -> Response:
    """Add a staff user with one of the policy's roles and an initial password."""
    check_csrf(request, csrf_token)
    user = staff_service.create_staff(
        uow.data, auth=auth_of(request), login=login, role=role, password=password
    )
    log.info("staff user %d added staff user %d (%s)", principal.user.id, user.id, user.role)
    return redirect("/console/staff?msg=created")


def change_role(
    request: Request,
    principal: StaffManage,
    uow: UowDep,
    staff_id: int,
    role: RoleCode,
    csrf_token: Csrf = "",
) -> Response:
    """Give a staff user another role of the policy."""
    check_csrf(request, csrf_token)
    _not_self(principal, staff_id)
    user = staff_service.set_role(uow.data, auth=auth_of(request), staff_id=staff_id, role=role)
    log.info("staff user %d set the role of %d to %s", principal.user.id, user.id, user.role)
    return redirect("/console/staff?msg=saved")


def deactivate(
    request: Request, principal: StaffManage, uow: UowDep, staff_id: int, csrf_token: Csrf = ""
) -> Response:
    """Stop a staff user from signing in (their sessions end; the row stays for the journal)."""
    check_csrf(request, csrf_token)
    _not_self(principal, staff_id)
    staff_service.deactivate(uow.data, staff_id=staff_id)
    log.info("staff user %d deactivated staff user %d", principal.user.id, staff_id)
    return redirect("/console/staff?msg=saved")


def routes() -> APIRouter:
    """Staff management."""
    api = APIRouter(include_in_schema=False, route_class=ConsoleRoute)
    api.add_api_route("/console/staff", staff_list, methods=["GET"])
    api.add_api_route("/console/staff", create, methods=["POST"])
    api.add_api_route("/console/staff/{staff_id}/role", change_role, methods=["POST"])
    api.add_api_route("/console/staff/{staff_id}/deactivate", deactivate, methods=["POST"])
    return api
