"""``opeka init`` and ``opeka migrate``: keys readable by the owner only, safe to run again."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from tests.cli.support import Cli, assert_one_line_error

from opeka.db.migrate import head_revision
from opeka.settings import Settings

DATA_HEAD, KEYS_HEAD = head_revision("data"), head_revision("keys")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_creates_both_keys_with_mode_0600_in_a_0700_folder(
    bare_cli: Cli, settings: Settings
) -> None:
    result = bare_cli("init")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert mode(settings.master_key_file) == 0o600
    assert mode(settings.signing_key_file) == 0o600
    assert mode(settings.keys_dir) == 0o700
    assert mode(settings.data_dir) == 0o700
    assert f"created  master key {settings.master_key_file} (0600)" in result.stdout
    assert f"created  journal signing key {settings.signing_key_file} (0600)" in result.stdout
    assert "Back up keys/master.key and keys/journal-signing.key" in result.stdout


def test_init_reports_the_database_and_key_store_it_created(
    bare_cli: Cli, request: pytest.FixtureRequest
) -> None:
    result = bare_cli("init")
    assert result.exit_code == 0, result.output
    assert f"  created  database at revision {DATA_HEAD}" in result.stdout.splitlines()
    assert f"  created  key store at revision {KEYS_HEAD}" in result.stdout.splitlines()


def test_init_creates_a_usable_store_with_an_empty_journal(bare_cli: Cli) -> None:
    assert bare_cli("init").exit_code == 0
    result = bare_cli("journal", "verify")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("journal intact: 0 entries, ")


def test_init_run_again_keeps_everything_and_never_replaces_a_key(
    bare_cli: Cli, settings: Settings, request: pytest.FixtureRequest
) -> None:
    first = bare_cli("init")
    keys = (settings.master_key_file.read_bytes(), settings.signing_key_file.read_bytes())
    again = bare_cli("init")
    assert (first.exit_code, again.exit_code) == (0, 0)
    assert "created" not in again.stdout
    assert f"kept     master key {settings.master_key_file}" in again.stdout
    assert f"kept     journal signing key {settings.signing_key_file}" in again.stdout
    assert "kept     database at revision " in again.stdout
    assert "kept     key store at revision " in again.stdout
    assert (settings.master_key_file.read_bytes(), settings.signing_key_file.read_bytes()) == keys
    assert mode(settings.master_key_file) == 0o600


def test_init_if_needed_is_silent_when_everything_exists(
    bare_cli: Cli, request: pytest.FixtureRequest
) -> None:
    first = bare_cli("init", "--if-needed")
    assert first.exit_code == 0
    assert "created  master key" in first.stdout  # it reports what it had to make
    second = bare_cli("init", "--if-needed")
    assert second.exit_code == 0
    assert (second.stdout, second.stderr) == ("", "")


def test_migrate_reports_both_stores_at_their_newest_revision(
    bare_cli: Cli, request: pytest.FixtureRequest
) -> None:
    assert bare_cli("init").exit_code == 0
    result = bare_cli("migrate")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"data: at {DATA_HEAD}", f"keys: at {KEYS_HEAD}"]


def test_a_command_before_init_is_one_line_telling_to_run_init(bare_cli: Cli) -> None:
    result = bare_cli("journal", "verify")
    assert_one_line_error(result, 5, "opeka init")


@pytest.mark.parametrize(
    ("variable", "value"),
    [("OPEKA_DATABASE_SCHEMA", "Bad-Schema"), ("OPEKA_CHECKPOINT_EVERY_ENTRIES", "0")],
)
def test_a_bad_setting_is_one_line_naming_the_variable(
    bare_cli: Cli, variable: str, value: str
) -> None:
    result = bare_cli("init", env={variable: value})
    assert_one_line_error(result, 1, variable)


def test_production_commands_refuse_sqlite(bare_cli: Cli, settings: Settings) -> None:
    if not settings.is_sqlite:
        pytest.skip("the refusal concerns the embedded SQLite store")
    assert bare_cli("init").exit_code == 0
    result = bare_cli("journal", "verify", env={"OPEKA_ENVIRONMENT": "production"})
    assert_one_line_error(result, 5, "production needs PostgreSQL", "OPEKA_DATABASE_URL")


def test_production_init_refuses_sqlite_and_a_master_key_on_disk(
    bare_cli: Cli, settings: Settings
) -> None:
    if not settings.is_sqlite:
        pytest.skip("the refusal concerns the embedded SQLite store")
    result = bare_cli("init", env={"OPEKA_ENVIRONMENT": "production"})
    assert not settings.master_key_file.exists()
    assert_one_line_error(result, 5, "production needs PostgreSQL")
