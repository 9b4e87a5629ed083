"""Who is calling: staff (console), a data subject (portal) or an API client, checked per route.

Routes declare what they need as dependencies — :class:`RequirePermission` for console pages,
:class:`RequireSubject` for the portal, :class:`RequireScope` for the API — so that every refusal
happens on the server, and a test can read each route's requirement from the route itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Connection
from starlette.responses import Response

from opeka.app import Opeka
from opeka.auth import apikeys, sessions, staff
from opeka.auth.apikeys import ApiClient, Scope
from opeka.auth.context import Auth
from opeka.auth.cookie import cookie_attributes
from opeka.auth.errors import StaffNotFound
from opeka.auth.principals import PrincipalKind
from opeka.auth.staff import StaffUser
from opeka.db.engine import read_only
from opeka.policy.schema import Permission, Role
from opeka.processing.actor import Actor
from opeka.web.deps import UowDep
from opeka.web.problems import Problem, ProblemError


class LoginRequired(Exception):
    """No valid session: pages redirect to the sign-in page, the API answers 401."""

    def __init__(self, kind: PrincipalKind) -> None:
        self.kind = kind
        super().__init__(kind.value)


@dataclass(frozen=True, slots=True)
class StaffPrincipal:
    """A signed-in staff member and their role from the policy."""

    user: StaffUser
    role_code: str
    role: Role
    session_code: bytes

    @property
    def actor(self) -> Actor:
        """The journal's name for them."""
        return Actor.staff(self.user.login)

    def may(self, permission: Permission) -> bool:
        """Whether the role has ``permission``."""
        return permission in self.role.permissions


@dataclass(frozen=True, slots=True)
class SubjectPrincipal:
    """A signed-in data subject (portal)."""

    subject_id: uuid.UUID
    session_code: bytes

    @property
    def actor(self) -> Actor:
        """The journal's name for the subject acting on their own data."""
        return Actor("subject", str(self.subject_id))


def auth_of(request: Request) -> Auth:
    """The application's authentication services."""
    auth: Auth = request.app.state.auth
    return auth


def _session(request: Request, kind: PrincipalKind) -> tuple[sessions.Session, bytes] | None:
    opeka: Opeka = request.app.state.opeka
    auth = auth_of(request)
    name = cookie_attributes(kind, tls=request.url.scheme == "https").name
    value = request.cookies.get(name)
    if not value:
        return None
    user_agent = request.headers.get("user-agent")
    with opeka.data_engine.begin() as conn:
        found = sessions.resolve_cookie(
            conn, auth=auth, value=value, kind=kind, user_agent=user_agent
        )
        if found is not None:
            sessions.touch(conn, auth=auth, code=found[1])
    return found


def current_staff(request: Request) -> StaffPrincipal | None:
    """The signed-in, active staff member, or None."""
    found = _session(request, PrincipalKind.STAFF)
    if found is None:
        return None
    opeka: Opeka = request.app.state.opeka
    try:
        with read_only(opeka.data_engine) as conn:
            user = staff.get(conn, staff_id=int(found[0].principal_id))
    except StaffNotFound:
        return None
    role = opeka.policy.roles.get(user.role)
    if not user.active or role is None:
        return None
    return StaffPrincipal(user=user, role_code=user.role, role=role, session_code=found[1])


def current_subject(request: Request) -> SubjectPrincipal | None:
    """The signed-in data subject, or None."""
    found = _session(request, PrincipalKind.SUBJECT)
    if found is None:
        return None
    return SubjectPrincipal(subject_id=uuid.UUID(found[0].principal_id), session_code=found[1])


class RequireStaff:
    """Dependency: a signed-in staff member (any role)."""

    def __call__(self, request: Request) -> StaffPrincipal:
        principal = current_staff(request)
        if principal is None:
            raise LoginRequired(PrincipalKind.STAFF)
        return principal


class RequirePermission(RequireStaff):
    """Dependency: a signed-in staff member whose role has ``permission`` (else 403)."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    def __call__(self, request: Request) -> StaffPrincipal:
        principal = super().__call__(request)
        if not principal.may(self.permission):
            raise ProblemError(
                Problem(
                    403,
                    "permission_denied",
                    "Недостаточно прав",
                    "Not allowed",
                    f"Роли «{principal.role.title.ru}» не разрешено: {self.permission}.",
                    f"The role {principal.role_code} lacks {self.permission}.",
                )
            )
        return principal


class RequireSubject:
    """Dependency: a signed-in data subject."""

    def __call__(self, request: Request) -> SubjectPrincipal:
        principal = current_subject(request)
        if principal is None:
            raise LoginRequired(PrincipalKind.SUBJECT)
        return principal


class RequireScope:
    """Dependency: an API client (``Authorization: Bearer opk_…``) holding ``scope``."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def __call__(self, request: Request, uow: UowDep) -> ApiClient:
        # In the request's own transaction: one write lock per request, not two.
        return api_client(uow.data, request.headers.get("authorization", ""), self.scope)


def api_client(
    conn: Connection, authorization: str, scope: Scope, *, touch: bool = True
) -> ApiClient:
    """The client of an ``Authorization: Bearer opk_…`` header, holding ``scope``.

    401 without a bearer token; the key's own errors (invalid, revoked, scope) otherwise.
    """
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ProblemError(
            Problem(
                401,
                "api_key_required",
                "Нужен API-ключ",
                "API key required",
                "Передайте ключ в заголовке Authorization: Bearer opk_…",
                "Send the key as Authorization: Bearer opk_…",
            )
        )
    client = apikeys.authenticate_api_key(conn, token=token, touch=touch)
    apikeys.require(client, scope)
    return client


def sign_in(
    request: Request, response: Response, *, kind: PrincipalKind, principal_id: str
) -> None:
    """Open a session (its own transaction) and set the encrypted auth cookie of policy 6.3."""
    opeka: Opeka = request.app.state.opeka
    auth = auth_of(request)
    with opeka.data_engine.begin() as conn:
        new = sessions.create(
            conn,
            auth=auth,
            kind=kind,
            principal_id=principal_id,
            user_agent=request.headers.get("user-agent"),
        )
    attributes = cookie_attributes(kind, tls=request.url.scheme == "https")
    response.set_cookie(value=new.cookie_value(auth), **attributes.set_cookie_arguments())  # type: ignore[arg-type]


def sign_out(request: Request, response: Response, *, kind: PrincipalKind) -> None:
    """Revoke the request's session of ``kind`` and clear its cookie."""
    found = _session(request, kind)
    opeka: Opeka = request.app.state.opeka
    if found is not None:
        with opeka.data_engine.begin() as conn:
            sessions.revoke(conn, code=found[1])
    attributes = cookie_attributes(kind, tls=request.url.scheme == "https")
    response.delete_cookie(
        attributes.name,
        path=attributes.path,
        secure=attributes.secure,
        httponly=True,
        samesite=attributes.same_site,
    )
