"""``opeka requests …`` through Typer's CliRunner, against a test's store.

The sub-app is mounted on a root of its own here (the main ``opeka`` app registers it as
``requests``). Related checks share a test where they form one story.
"""

from __future__ import annotations

import csv
import re
import uuid
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
import typer
from tests.cli.support import assert_one_line_error, cli_env
from tests.factories import client_values
from tests.requests.support import collect_client
from typer.testing import CliRunner, Result

import opeka.cli.handlers  # noqa: F401  (registers the generic error mapping)
from opeka.app import Opeka
from opeka.cli.requests import requests_app
from opeka.consent import grants
from opeka.processing import ConsentEvidence, subjects
from opeka.processing.subjects import Status
from opeka.requests.clock import moscow_today

root = typer.Typer()
root.add_typer(requests_app, name="requests")
NUMBER = re.compile(r"\d{4}-\d{6}")


class Cli:
    """``opeka requests`` bound to a store."""

    def __init__(self, opeka: Opeka) -> None:
        self.env = cli_env(opeka.settings)

    def __call__(self, *args: str) -> Result:
        result = CliRunner().invoke(root, ["requests", *args], env=self.env)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"crashed: {result.exception!r}\n{result.output}"
        )
        assert "Traceback" not in result.output
        return result

    def ok(self, *args: str) -> str:
        result = self(*args, "--actor", "ivanova") if _takes_actor(args) else self(*args)
        assert (result.exit_code, result.stderr) == (0, ""), result.output
        return result.stdout


def _takes_actor(args: tuple[str, ...]) -> bool:
    return args[0] not in ("list", "show")


@pytest.fixture
def cli(opeka: Opeka) -> Cli:
    return Cli(opeka)


def register(cli: Cli, *args: str) -> str:
    """Register a request; returns its number."""
    out = cli.ok("register", *args)
    match = NUMBER.search(out)
    assert match is not None, out
    return match.group(0)


def test_register_list_show_and_export_the_register(cli: Cli, opeka: Opeka, tmp_path: Path) -> None:
    late = register(cli, "--kind", "access", "--channel", "paper", "--received", "2026-01-12 14:30")
    today = moscow_today().isoformat()
    fresh = register(cli, "--kind", "question", "--channel", "phone", "--received", today)

    table = cli.ok("list").splitlines()
    assert table[0].startswith("Номер | Получен (МСК) | Вид | Срок")
    assert [line.split(" | ")[0] for line in table[1:]] == [late, fresh]
    assert "26.01.2026" in table[1]
    assert table[1].endswith("просрочен")
    assert cli.ok("list", "--overdue").splitlines()[1:] == [table[1]]

    csv_file, xlsx_file = tmp_path / "register.csv", tmp_path / "register.xlsx"
    assert "записей: 2" in cli.ok("list", "--all", "--format", "csv", "--output", str(csv_file))
    with csv_file.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert [row[0] for row in rows[1:]] == [late, fresh]
    cli.ok("list", "--all", "--format", "xlsx", "--output", str(xlsx_file))
    sheet = openpyxl.load_workbook(xlsx_file).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [late, fresh]

    shown = cli.ok("show", late)
    assert f"Номер / Number: {late}" in shown
    assert "Срок / Due: 26.01.2026" in shown
    assert "Получен / Received: 12.01.2026" in shown
    assert "received" in shown.split("История / History:")[1]


def test_verify_executes_a_withdrawal_and_sweep_destroys_the_data(cli: Cli, opeka: Opeka) -> None:
    sid = collect_client(opeka, 7)
    with opeka.unit_of_work() as uow:
        grants.record(
            uow.data,
            subject_id=sid,
            purposes=["2.2.3"],
            evidence=ConsentEvidence("portal", "согласие в личном кабинете"),
        )
    number = register(
        cli,
        "--kind", "withdrawal", "--channel", "email", "--received", "2026-01-10",
        "--subject", str(sid), "--all-purposes",
    )  # fmt: skip
    out = cli.ok("verify", number, "--document", "паспорт РФ, проверен лично")
    assert "личность подтверждена" in out
    assert "уничтожение до 09.02.2026" in out
    with opeka.data_engine.connect() as conn:
        assert subjects.load(conn, sid).status is Status.BLOCKED

    swept = cli.ok("sweep")
    assert "уничтожено субъектов: 1" in swept
    assert "subjects destroyed: 1" in swept
    for value in client_values(7).values():
        assert value not in swept  # the captured name is never printed
    with opeka.data_engine.connect() as conn:
        assert subjects.load(conn, sid).status is Status.DESTROYED
    assert "исполнен (done)" in cli.ok("show", number)


def test_staff_extend_verify_start_complete_and_refuse(cli: Cli) -> None:
    today = moscow_today().isoformat()
    number = register(cli, "--kind", "access", "--channel", "in_person", "--received", today)
    notice = cli.ok("extend", number, "--reason", "требуется выборка из архива")
    assert "срок продлён до" in notice
    assert f"№ {number}" in notice
    assert "Причина продления: требуется выборка из архива" in notice
    again = cli("extend", number, "--reason", "ещё раз", "--actor", "ivanova")
    assert_one_line_error(again, 1, "только один раз", "already extended")

    leaked = cli("verify", number, "--document", "паспорт 4512 345678", "--actor", "ivanova")
    message = assert_one_line_error(leaked, 1, "без номера")
    assert "345678" not in message

    cli.ok("verify", number, "--document", "паспорт РФ, проверен лично")
    assert "исполняется" in cli.ok("start", number)
    assert "исполнен / done" in cli.ok("complete", number, "--result", "сведения направлены")

    other = register(cli, "--kind", "question", "--channel", "paper", "--received", today)
    assert "отказано" in cli.ok("refuse", other, "--reason", "вопрос не касается ПДн")
    unverified = cli("start", other, "--actor", "ivanova")
    assert_one_line_error(unverified, 1, "нельзя перевести")


def test_match_links_a_subject(cli: Cli, opeka: Opeka) -> None:
    sid = collect_client(opeka, 8)
    number = register(
        cli, "--kind", "rectification", "--channel", "paper", "--received", "2026-11-02"
    )
    assert "субъект указан" in cli.ok("match", number, "--subject", str(sid))
    assert f"Субъект / Subject: {sid}" in cli.ok("show", number)


REGISTER = ("register", "--kind", "access", "--channel")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((*REGISTER, "portal", "--received", "2026-01-12"), "--channel"),
        ((*REGISTER, "paper", "--received", "12.01.2026"), "ГГГГ-ММ-ДД"),
        ((*REGISTER, "paper", "--received", "2026-01-12", "--purpose", "2.2.8"), "цели"),
        (("show", "not-a-number"), "номер запроса"),
        (("show", "2026-999999"), "не найден"),
        (("show", str(uuid.UUID(int=1))), "не найден"),
        (("list", "--format", "xlsx"), "--output"),
        (("list", "--format", "pdf"), "--format"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    shared: Opeka, args: tuple[str, ...], fragment: str
) -> None:
    assert_one_line_error(Cli(shared)(*args), 1, fragment)
