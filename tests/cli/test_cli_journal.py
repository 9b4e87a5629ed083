"""``opeka journal verify|export|checkpoint`` through the real Typer app."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, update
from tests.cli.support import STAFF, Cli, assert_one_line_error, journal_entries
from tests.factories import client_values

from opeka.app import Opeka
from opeka.db.journal import journal_entry
from opeka.journal.export import COLUMNS
from opeka.processing import Actor

ACTOR = Actor.staff(STAFF)


def collect(opeka: Opeka, i: int) -> uuid.UUID:
    with opeka.processing(ACTOR, "2.2.7") as p:
        return p.collect(category="client", values=client_values(i), source="договор")


def read(opeka: Opeka, sid: uuid.UUID) -> None:
    with opeka.processing(ACTOR, "2.2.7") as p:
        p.read(sid)


@pytest.fixture
def journaled(opeka: Opeka) -> tuple[uuid.UUID, uuid.UUID]:
    """Two clients, each collected then read: four entries, alternating subjects."""
    first, second = collect(opeka, 1), collect(opeka, 2)
    read(opeka, first)
    read(opeka, second)
    return first, second


def blob(opeka: Opeka, seq: int) -> bytes:
    with opeka.data_engine.connect() as conn:
        stmt = select(journal_entry.c.entry).where(journal_entry.c.seq == seq)
        return bytes(conn.execute(stmt).scalar_one())


def rewrite(opeka: Opeka, seq: int, entry: bytes) -> None:
    with opeka.data_engine.begin() as conn:
        conn.execute(update(journal_entry).where(journal_entry.c.seq == seq).values(entry=entry))


def parse_csv(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


# --- verify and checkpoint ------------------------------------------------------------------------


def snapshot(opeka: Opeka) -> list[dict[str, object]]:
    with opeka.data_engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(journal_entry))]


def restore(opeka: Opeka, rows: list[dict[str, object]]) -> None:
    with opeka.data_engine.begin() as conn:
        conn.execute(delete(journal_entry))
        conn.execute(insert(journal_entry), rows)


def edit_entry(seq: int, old: str, new: str) -> Callable[[Opeka], None]:
    def edit(opeka: Opeka) -> None:
        rewrite(opeka, seq, blob(opeka, seq).replace(old.encode(), new.encode()))

    return edit


def delete_entry(seq: int) -> Callable[[Opeka], None]:
    def remove(opeka: Opeka) -> None:
        with opeka.data_engine.begin() as conn:
            conn.execute(delete(journal_entry).where(journal_entry.c.seq == seq))

    return remove


def move_entry(seq: int, to: uuid.UUID) -> Callable[[Opeka], None]:
    """Rewrite the subject inside an entry's bytes (there is no separate subject column)."""

    def move(opeka: Opeka) -> None:
        with opeka.data_engine.begin() as conn:
            stmt = select(journal_entry.c.entry).where(journal_entry.c.seq == seq)
            raw = bytes(conn.execute(stmt).scalar_one())
            moved = raw[:48] + to.bytes + raw[64:]
            conn.execute(
                update(journal_entry).where(journal_entry.c.seq == seq).values(entry=moved)
            )

    return move


def test_verify_exits_0_with_the_count_and_4_naming_the_entry_after_any_tampering(
    cli: Cli, opeka: Opeka, journaled: tuple[uuid.UUID, uuid.UUID]
) -> None:
    intact = cli("journal", "verify")
    assert (intact.exit_code, intact.stderr) == (0, ""), intact.output
    assert intact.stdout == (
        "journal intact: 4 entries, 0 signed checkpoints (newest covers 0; 4 after it)\n"
    )
    tamperings = [
        (edit_entry(2, '"2.2.7"', '"2.2.9"'), "entry #2 was altered"),
        (delete_entry(3), "entry #3 is missing"),
        (move_entry(1, journaled[1]), "entry #1 was altered"),
        (edit_entry(4, "извлечение", "уточнение"), "newest entry altered"),
    ]
    original = snapshot(opeka)
    for tamper, fragment in tamperings:
        tamper(opeka)
        message = assert_one_line_error(cli("journal", "verify"), 4, fragment)
        assert message.startswith("journal verification FAILED: ")
        restore(opeka, original)
        assert cli("journal", "verify").stdout == intact.stdout


def test_checkpoint_signs_the_journal_once_and_covers_it_against_edits(
    cli: Cli, opeka: Opeka, journaled: tuple[uuid.UUID, uuid.UUID]
) -> None:
    checkpoints = opeka.settings.checkpoint_file
    first = cli("journal", "checkpoint")
    assert (first.exit_code, first.stdout, first.stderr) == (0, "checkpoint signed\n", "")
    signed = checkpoints.read_text(encoding="utf-8")
    assert len(signed.splitlines()) == 1
    again = cli("journal", "checkpoint")
    assert (again.exit_code, again.stdout) == (0, "nothing new since the last checkpoint\n")
    assert checkpoints.read_text(encoding="utf-8") == signed
    verify = cli("journal", "verify")
    assert verify.stdout == (
        "journal intact: 4 entries, 1 signed checkpoints (newest covers 4; 0 after it)\n"
    )
    edit_entry(4, '"2.2.7"', '"2.2.9"')(opeka)
    assert_one_line_error(cli("journal", "verify"), 4, "FAILED", "#4")


# --- export ---------------------------------------------------------------------------------------


def test_export_of_a_subject_holds_only_its_entries_without_values_as_csv_or_json(
    cli: Cli, journaled: tuple[uuid.UUID, uuid.UUID], tmp_path: Path
) -> None:
    first, second = journaled
    as_csv = cli("journal", "export", "--subject", str(first), "--format", "csv")
    assert (as_csv.exit_code, as_csv.stderr) == (0, "2 entries\n"), as_csv.output
    rows = parse_csv(as_csv.stdout)
    assert [(r["seq"], r["action"], r["subject_id"]) for r in rows] == [
        ("1", "сбор", str(first)),
        ("3", "извлечение", str(first)),
    ]
    assert {(r["actor"], r["purpose"], r["result"]) for r in rows} == {
        (f"staff:{STAFF}", "2.2.7", "done")
    }
    assert rows[0]["fields"].split() == sorted(client_values(1))
    for value in client_values(1).values():
        assert value not in as_csv.stdout

    as_json = cli("journal", "export", "--subject", str(first), "--format", "json")
    assert (as_json.exit_code, as_json.stderr) == (0, "2 entries\n"), as_json.output
    assert json.loads(as_json.stdout) == rows

    out = tmp_path / "extract.json"
    to_file = cli(
        "journal", "export", "--subject", str(second), "--format", "json", "--output", str(out)
    )
    assert (to_file.exit_code, to_file.stdout, to_file.stderr) == (0, "", "2 entries\n")
    assert [row["seq"] for row in json.loads(out.read_text(encoding="utf-8"))] == ["2", "4"]


def test_export_from_to_selects_entries_from_inclusive_to_exclusive(
    cli: Cli, opeka: Opeka, journaled: tuple[uuid.UUID, uuid.UUID]
) -> None:
    times = [e.time.isoformat(timespec="microseconds") for e in journal_entries(opeka)]
    assert len(set(times)) == 4

    def seqs(*args: str) -> list[str]:
        result = cli("journal", "export", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return [row["seq"] for row in json.loads(result.stdout)]

    assert seqs("--from", times[1], "--to", times[3]) == ["2", "3"]
    assert seqs("--from", "2000-01-01") == ["1", "2", "3", "4"]
    assert seqs("--to", times[1]) == ["1"]
    assert seqs("--subject", str(journaled[0]), "--from", times[1]) == ["3"]
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).date().isoformat()
    assert seqs("--from", tomorrow) == []
    empty = cli("journal", "export", "--from", tomorrow)
    assert (empty.exit_code, empty.stderr) == (0, "0 entries\n")
    assert parse_csv(empty.stdout) == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ([], "give --subject ID, or --from/--to"),
        (["--subject", "client1@example.org"], "--subject must be a subject ID (UUID)"),
        (["--from", "вчера"], "--from must be a date or time"),
        (["--from", "2026-01-01", "--to", "31.12.2026"], "--to must be a date or time"),
        (["--from", "2026-01-01", "--format", "xml"], "--format must be csv or json"),
    ],
    ids=["no-filter", "bad-subject", "bad-from", "bad-to", "bad-format"],
)
def test_export_with_a_wrong_option_is_one_line(
    bare_cli: Cli, args: list[str], fragment: str
) -> None:
    result = bare_cli("journal", "export", *args)
    message = assert_one_line_error(result, 1, fragment)
    assert "client1@example.org" not in message
    assert result.stdout == ""
