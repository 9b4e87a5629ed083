"""``opeka policy check|render`` through the real Typer app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from opeka.cli.main import app
from opeka.policy.loader import DEFAULT_POLICY_PATH, load_policy
from opeka.policy.render import Format, render_policy

SHIPPED = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")


def run(*args: str) -> Result:
    """Invoke ``opeka`` with ``args``; a crash (anything but an exit) fails the test."""
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_default_policy_is_ok() -> None:
    result = run("policy", "check")
    assert result.exit_code == 0
    assert re.fullmatch(
        r"OK: \S*km-assistance\.yaml — 17 fields, 3 subject categories, 10 purposes\n",
        result.stdout,
    )
    assert result.stderr == ""


def test_check_names_the_file_it_checked(tmp_path: Path) -> None:
    path = write(tmp_path, SHIPPED)
    result = run("policy", "check", str(path))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"OK: {path} — ")


def test_check_prints_each_problem_with_file_and_line(tmp_path: Path) -> None:
    text = SHIPPED.replace("basis: legitimate_interest", "basis: legit_interest")
    text = text.replace("data_category: user.payment", "data_category: system.payment")
    path = write(tmp_path, text)
    result = run("policy", "check", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    field_line = text.count("\n", 0, text.index("system.payment")) + 1
    basis_line = text.count("\n", 0, text.index("legit_interest")) + 1
    assert lines[0].startswith(
        f"{path}:{field_line}: fields.purchase_invoice_number.data_category: "
    )
    assert lines[1].startswith(f"{path}:{basis_line}: purposes.2.2.6.basis: legal basis")


def test_check_reports_a_yaml_error_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, SHIPPED.replace("language: ru", "language: ru: en"))
    result = run("policy", "check", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"{path}:6: YAML syntax: mapping values are not allowed here\n"


def test_check_missing_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    result = run("policy", "check", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"{path}:1: cannot read the file: No such file or directory\n"


def test_render_writes_markdown_to_stdout_by_default() -> None:
    result = run("policy", "render")
    assert result.exit_code == 0
    assert result.stdout == render_policy(load_policy(), fmt="md")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_writes_the_chosen_format_to_a_file(tmp_path: Path, fmt: Format) -> None:
    policy_path = write(tmp_path, SHIPPED)
    out = tmp_path / f"policy.{fmt}"
    result = run(
        "policy", "render", "--policy", str(policy_path), "--format", fmt, "--output", str(out)
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == render_policy(load_policy(policy_path), fmt=fmt)


def test_render_of_a_broken_policy_is_a_one_line_error(tmp_path: Path) -> None:
    path = write(tmp_path, SHIPPED.replace("basis: legitimate_interest", "basis: legit_interest"))
    result = run("policy", "render", "--policy", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"opeka: error: policy file: {path}:")
    assert "legit_interest" in result.stderr


def test_render_to_an_unwritable_place_is_a_one_line_error(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "dir" / "policy.html"
    result = run("policy", "render", "--format", "html", "--output", str(out))
    assert result.exit_code == 5
    assert result.stderr == f"opeka: error: cannot write {out}: No such file or directory\n"


def test_render_refuses_an_unknown_format() -> None:
    result = run("policy", "render", "--format", "pdf")
    assert result.exit_code == 2
