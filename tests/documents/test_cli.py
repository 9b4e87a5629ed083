"""``opeka documents …``: list acts, write an act or an access package, purge; one-line errors."""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections.abc import Mapping
from pathlib import Path

import pytest
from sqlalchemy import update
from tests.cli.support import cli_env
from tests.documents.support import collect_clients, destroy_with_act, journal
from typer.testing import CliRunner, Result

from opeka.app import Opeka
from opeka.cli.documents import documents_app
from opeka.cli.errors import OpekaTyper
from opeka.db.documents import destruction_act
from opeka.journal.entry import Action

root = OpekaTyper(name="opeka")
root.add_typer(documents_app, name="documents")


@root.callback()
def _root() -> None:
    """The ``opeka`` root, holding only the documents commands under test."""


def run(opeka: Opeka, *args: str, env: Mapping[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(
        root, ["documents", *args], env={**cli_env(opeka.settings), **(env or {})}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def test_acts_are_listed_without_names(opeka: Opeka) -> None:
    assert "No acts" in run(opeka, "acts").stdout
    number, _ = destroy_with_act(opeka, *collect_clients(opeka, 1, 2))
    out = run(opeka, "acts", "--from", "2020-01-01").stdout
    assert number in out
    assert "| 2 | withdrawal |" in out
    assert "Тестов" not in out


def test_an_act_is_written_as_pdf_to_a_private_file(opeka: Opeka, tmp_path: Path) -> None:
    number, _ = destroy_with_act(opeka, *collect_clients(opeka, 3))
    target = tmp_path / "act.pdf"
    latin = number.replace("А", "A")  # typed with a Latin letter
    result = run(opeka, "act", latin, "--output", str(target), "--actor", "ivanova")
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    opened = [e for e in journal(opeka) if e.action == Action.EXTRACT.value and number in e.reason]
    assert [e.actor for e in opened] == ["cli:ivanova"]


def test_an_act_is_written_as_json_to_stdout(opeka: Opeka) -> None:
    number, _ = destroy_with_act(opeka, *collect_clients(opeka, 4))
    result = run(opeka, "act", number, "--format", "json", "--actor", "ivanova")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["act"]["number"] == number
    assert len(data["extract"]["entries"]) == 1


def test_an_access_package_is_written_for_staff(opeka: Opeka, tmp_path: Path) -> None:
    (sid,) = collect_clients(opeka, 5)
    target = tmp_path / "package.json"
    result = run(
        opeka,
        "access-package",
        str(sid),
        "--format",
        "json",
        "--output",
        str(target),
        "--actor",
        "ivanova",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["subject_id"] == str(sid)
    assert journal(opeka)[-1].actor == "cli:ivanova"


def test_purge_removes_expired_acts(opeka: Opeka) -> None:
    number, _ = destroy_with_act(opeka, *collect_clients(opeka, 6))
    with opeka.data_engine.begin() as conn:
        conn.execute(update(destruction_act).values(retain_until=destruction_act.c.act_date))
    result = run(opeka, "purge")
    assert result.exit_code == 0, result.output
    assert "acts removed: 0" in result.stdout  # today is still within its last day
    with opeka.data_engine.begin() as conn:
        conn.execute(update(destruction_act).values(retain_until=dt.date(2020, 1, 1)))
    assert "acts removed: 1" in run(opeka, "purge").stdout
    assert number not in run(opeka, "acts").stdout


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (("act", "2026-000001"), 1, "2026-А-000123"),
        (("act", "2026-А-999999", "--format", "json"), 1, "не найден"),
        (("act", "2026-А-000001", "--format", "docx"), 1, "pdf or json"),
        (("access-package", "not-a-uuid"), 1, "UUID"),
        (("acts", "--from", "yesterday"), 1, "2026-11-24"),
    ],
)
def test_bad_input_is_one_line(opeka: Opeka, args: tuple[str, ...], code: int, text: str) -> None:
    result = run(opeka, *args)
    assert result.exit_code == code
    assert text in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_font_stops_before_anything_is_journaled(opeka: Opeka, tmp_path: Path) -> None:
    number, _ = destroy_with_act(opeka, *collect_clients(opeka, 7))
    before = len(journal(opeka))
    result = run(
        opeka,
        "act",
        number,
        "--output",
        str(tmp_path / "a.pdf"),
        env={"OPEKA_PDF_FONT_DIR": str(tmp_path / "none")},
    )
    assert result.exit_code == 5
    assert "OPEKA_PDF_FONT_DIR" in result.stderr
    assert len(journal(opeka)) == before
