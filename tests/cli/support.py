"""Running the real ``opeka`` command in-process against a test's settings.

The command reads its settings from the environment (``OPEKA_*``), as it does in production; a
:class:`Cli` passes an environment built from the test's :class:`~opeka.settings.Settings` to
:class:`typer.testing.CliRunner`, which keeps stdout and stderr apart.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from opeka.app import Opeka
from opeka.cli.main import app
from opeka.db.journal import journal_entry
from opeka.db.subjects import subject
from opeka.journal.entry import Entry, decode
from opeka.processing import Actor
from opeka.settings import Settings

STAFF = "ivanova"
"""The ``--actor`` every test passes (the default would be the operating-system user)."""


def cli_env(settings: Settings) -> dict[str, str | None]:
    """The ``OPEKA_*`` environment that makes the command use ``settings`` (None unsets)."""
    return {
        "OPEKA_DATA_DIR": str(settings.data_dir),
        "OPEKA_DATABASE_URL": settings.database_url,
        "OPEKA_DATABASE_SCHEMA": settings.database_schema,
        "OPEKA_MASTER_KEY": None,
        "OPEKA_POLICY": str(settings.policy),
        "OPEKA_ENVIRONMENT": settings.environment,
        "OPEKA_CHECKPOINT_EVERY_ENTRIES": str(settings.checkpoint_every_entries),
        "OPEKA_CHECKPOINT_EVERY_SECONDS": str(settings.checkpoint_every_seconds),
        "OPEKA_DEBUG": None,
    }


@dataclass(frozen=True, slots=True)
class Cli:
    """``opeka`` bound to one environment; calling it runs one command."""

    env: Mapping[str, str | None]

    def __call__(self, *args: str, env: Mapping[str, str | None] | None = None) -> Result:
        """Run ``opeka *args``; a crash (anything but an exit) or a traceback fails the test."""
        result = CliRunner().invoke(app, list(args), env={**self.env, **(env or {})})
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"opeka {' '.join(args)} crashed: {result.exception!r}\n{result.output}"
        )
        assert "Traceback" not in result.output
        return result


def assert_one_line_error(result: Result, code: int, *fragments: str) -> str:
    """Assert exit ``code`` and exactly one ``opeka: error:`` line on stderr holding ``fragments``.

    Returns the message after the prefix.
    """
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("opeka: error: "), lines[0]
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0].removeprefix("opeka: error: ")


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    """Write a CSV file as an operator's export would be (UTF-8, optionally with a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig" if bom else "utf-8", newline="")
    return path


def rows_of(values: Sequence[Mapping[str, str]], header: Sequence[str]) -> list[list[str]]:
    """CSV rows of ``values`` in the order of ``header`` (absent fields empty)."""
    return [[item.get(code, "") for code in header] for item in values]


def count_subjects(opeka: Opeka) -> int:
    """How many subject rows the database holds (active or not)."""
    with opeka.data_engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(subject)).scalar_one())


def stored_values(opeka: Opeka, field: str, purpose: str = "2.2.7") -> list[str]:
    """Every active subject's decrypted ``field``, sorted (read through the spine)."""
    with opeka.data_engine.connect() as conn:
        ids = [
            row[0] for row in conn.execute(select(subject.c.id).where(subject.c.status == "active"))
        ]
    found: list[str] = []
    with opeka.processing(Actor.staff("test-reader"), purpose) as processing:
        for sid in ids:
            found += processing.read(sid, [field]).values()
    return sorted(found)


def journal_entries(opeka: Opeka) -> list[Entry]:
    """Every journal entry, oldest first."""
    with opeka.data_engine.connect() as conn:
        rows = conn.execute(select(journal_entry.c.entry).order_by(journal_entry.c.seq))
        return [decode(bytes(row[0])) for row in rows]
