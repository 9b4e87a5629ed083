"""``opeka staff create|list|deactivate``: the operator's console users.

Also maps the authentication errors to one-line messages (Russian, then English) for every
command, this module's and ``opeka apikeys``'.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from opeka.auth import staff
from opeka.auth.context import Auth
from opeka.auth.errors import AuthError, TooManyAttempts
from opeka.cli.context import opened
from opeka.cli.errors import EXIT_INPUT, EXIT_REFUSED, OpekaTyper, fail, register_handler
from opeka.db.engine import read_only

staff_app = OpekaTyper(help="Staff users of the console (сотрудники).", no_args_is_help=True)


@register_handler
def auth_errors(exc: Exception) -> tuple[str, int] | None:
    """Authentication errors as one line, Russian first (exit 3 when rate limited, else 1)."""
    if not isinstance(exc, AuthError):
        return None
    return exc.bilingual(), EXIT_REFUSED if isinstance(exc, TooManyAttempts) else EXIT_INPUT


def read_password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or typed twice at a hidden prompt."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("пароль не передан на stdin / no password on stdin")
        return password
    return str(
        typer.prompt(
            "Пароль / Password",
            hide_input=True,
            confirmation_prompt="Повторите пароль / Repeat the password",
        )
    )


@staff_app.command("create")
def create(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(help="Login: 2-64 characters of a-z 0-9 . _ -")],
    role: Annotated[str, typer.Option("--role", help="One of the policy's roles.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Add a staff user with a role of the policy (the password is asked twice)."""
    password = read_password(password_stdin)
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        user = staff.create_staff(
            uow.data, auth=Auth.from_opeka(opeka), login=login, role=role, password=password
        )
    typer.echo(
        f"сотрудник {user.login} создан, роль {user.role} / "
        f"staff user {user.login} created, role {user.role}"
    )


@staff_app.command("list")
def list_(ctx: typer.Context) -> None:
    """List staff users: login, role, state, last sign-in."""
    with opened(ctx) as opeka, read_only(opeka.data_engine) as conn:
        users = staff.list_staff(conn)
    typer.echo(f"{'логин / login':<24} {'роль / role':<20} {'состояние / state':<22} last sign-in")
    for user in users:
        state = "active" if user.active else "inactive"
        if user.locked_until is not None:
            state += f", locked until {user.locked_until:%Y-%m-%d %H:%M}Z"
        last = f"{user.last_login_at:%Y-%m-%d %H:%M}Z" if user.last_login_at else "-"
        typer.echo(f"{user.login:<24} {user.role:<20} {state:<22} {last}")


@staff_app.command("deactivate")
def deactivate(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(help="The staff user's login.")],
) -> None:
    """Stop a staff user from signing in and end their sessions (the record stays)."""
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        user = staff.get_by_login(uow.data, login=login)
        staff.deactivate(uow.data, staff_id=user.id)
    typer.echo(f"сотрудник {user.login} отключён / staff user {user.login} deactivated")
