"""``opeka staff …`` and ``opeka apikeys …`` through Typer's CliRunner."""

from __future__ import annotations

import re

import pytest
from tests.auth.support import GOOD_PASSWORD, IP, unique
from tests.cli.support import assert_one_line_error, cli_env
from typer.testing import CliRunner, Result

from opeka.app import Opeka
from opeka.auth import apikeys, staff
from opeka.auth.context import Auth
from opeka.auth.errors import ApiKeyRevoked
from opeka.cli.apikeys import apikeys_app
from opeka.cli.errors import OpekaTyper
from opeka.cli.staff import staff_app

root = OpekaTyper(name="opeka", no_args_is_help=True, pretty_exceptions_enable=False)
root.add_typer(staff_app, name="staff")
root.add_typer(apikeys_app, name="apikeys")


def run(opeka: Opeka, *args: str, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(root, list(args), input=stdin, env=cli_env(opeka.settings))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_staff_create_prompts_twice_and_the_user_signs_in(opeka: Opeka, auth: Auth) -> None:
    login = unique("cli.")
    typed = f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n"
    result = run(opeka, "staff", "create", login, "--role", "support", stdin=typed)
    assert result.exit_code == 0, result.output
    assert f"staff user {login} created" in result.stdout
    assert GOOD_PASSWORD not in result.output
    user = staff.authenticate_staff(
        opeka.data_engine, auth=auth, login=login, password=GOOD_PASSWORD, ip=IP
    )
    assert user.role == "support"


def test_staff_create_reads_the_password_from_stdin(opeka: Opeka) -> None:
    login = unique("ci.")
    result = run(
        opeka,
        "staff",
        "create",
        login,
        "--role",
        "auditor",
        "--password-stdin",
        stdin=f"{GOOD_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    with opeka.data_engine.connect() as conn:
        assert staff.get_by_login(conn, login=login).role == "auditor"


def test_staff_create_refuses_a_weak_password_in_one_bilingual_line(opeka: Opeka) -> None:
    result = run(
        opeka,
        "staff",
        "create",
        unique("weak."),
        "--role",
        "support",
        "--password-stdin",
        stdin="short\n",
    )
    message = assert_one_line_error(result, 1, "пароль", "password")
    assert message.index("пароль") < message.index("password")


def test_staff_create_refuses_an_empty_stdin(opeka: Opeka) -> None:
    result = run(
        opeka, "staff", "create", unique("e."), "--role", "support", "--password-stdin", stdin=""
    )
    assert_one_line_error(result, 1, "stdin")


def test_staff_create_refuses_an_unknown_role(opeka: Opeka) -> None:
    result = run(
        opeka,
        "staff",
        "create",
        unique("r."),
        "--role",
        "root",
        "--password-stdin",
        stdin=GOOD_PASSWORD,
    )
    assert_one_line_error(result, 1, "root", "privacy_officer")


def test_staff_list_and_deactivate(opeka: Opeka, auth: Auth) -> None:
    login = unique("l.")
    run(
        opeka,
        "staff",
        "create",
        login,
        "--role",
        "marketing",
        "--password-stdin",
        stdin=GOOD_PASSWORD,
    )
    listed = run(opeka, "staff", "list")
    assert listed.exit_code == 0
    line = next(row for row in listed.stdout.splitlines() if row.startswith(login))
    assert "marketing" in line
    assert "active" in line
    deactivated = run(opeka, "staff", "deactivate", login)
    assert deactivated.exit_code == 0
    assert "deactivated" in deactivated.stdout
    line = next(
        row for row in run(opeka, "staff", "list").stdout.splitlines() if row.startswith(login)
    )
    assert "inactive" in line


def test_staff_deactivate_refuses_an_unknown_login(opeka: Opeka) -> None:
    assert_one_line_error(
        run(opeka, "staff", "deactivate", unique("ghost.")), 1, "no such staff user"
    )


def test_apikeys_create_prints_the_token_once_and_it_works(opeka: Opeka) -> None:
    result = run(
        opeka,
        "apikeys",
        "create",
        "shop",
        "--scope",
        "subjects:read",
        "--scope",
        "events:write",
        "--purpose",
        "2.2.7",
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert re.fullmatch(r"opk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}", token)
    assert "shown once" in result.stderr
    with opeka.data_engine.begin() as conn:
        client = apikeys.authenticate_api_key(conn, token=token)
    assert client.purposes == {"2.2.7"}
    listed = run(opeka, "apikeys", "list").stdout
    assert client.id in listed
    assert token.split("_", 2)[2] not in listed


def test_apikeys_revoke_stops_the_token(opeka: Opeka) -> None:
    token = run(opeka, "apikeys", "create", "banner", "--scope", "events:write").stdout.strip()
    client_id = token.split("_")[1]
    result = run(opeka, "apikeys", "revoke", client_id)
    assert result.exit_code == 0
    assert "revoked" in result.stdout
    with pytest.raises(ApiKeyRevoked), opeka.data_engine.begin() as conn:
        apikeys.authenticate_api_key(conn, token=token)


def test_apikeys_create_refuses_an_unknown_purpose(opeka: Opeka) -> None:
    result = run(opeka, "apikeys", "create", "x", "--scope", "subjects:read", "--purpose", "9.9")
    assert_one_line_error(result, 1, "9.9")


def test_apikeys_create_refuses_an_unknown_scope(opeka: Opeka) -> None:
    result = run(opeka, "apikeys", "create", "x", "--scope", "subjects:everything")
    assert result.exit_code == 2


def test_apikeys_revoke_refuses_an_unknown_id(opeka: Opeka) -> None:
    assert_one_line_error(run(opeka, "apikeys", "revoke", "0" * 16), 1, "no such API client")
