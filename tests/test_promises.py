"""The policy's promises proven on bytes: no personal data in clear anywhere Opeka writes.

Two hundred synthetic clients (and a few unique marker strings) go in through ``opeka subjects
import``; then every file under the data directory (the databases with their WAL and shared
memory, the key store, key files, logs, the checkpoint file), every table of both PostgreSQL
schemas, full journal exports and the command line's own output are searched for each value —
as UTF-8 and as UTF-16-LE, and on PostgreSQL also as the hex that ``bytea`` prints as.

``subjects show`` is left out of the output scan: printing values is what it is for.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select, text
from tests.cli.support import STAFF, Cli, cli_env, count_subjects, rows_of, write_csv
from tests.factories import client_values
from typer.testing import Result

from opeka.app import Opeka
from opeka.db.engine import read_only
from opeka.db.keys import subject_key

FIELDS = [
    "last_name",
    "first_name",
    "organization",
    "position",
    "email",
    "phone",
    "purchase_invoice_number",
]
POPULATION = 200
MARKERS = ["QZXMARK-7F3A91", "QZXMARK-K2P8W4", "QZXMARK-0B5E6D", "QZXMARK-Y9R1T3"]
SOURCE = "OPKSRC-CRM-EXPORT-42"
"""The import's source (not personal data): a positive control the scans must find."""
PREFIX = 6


# --- the population and the values to look for ---------------------------------------------------


def population(size: int) -> list[dict[str, str]]:
    """Clients as in tests/factories.py, phones typed two ways, markers in a few rows."""
    people = [{code: client_values(i)[code] for code in FIELDS} for i in range(1, size + 1)]
    for i, person in enumerate(people):
        if i % 3 == 0:  # the same number as a person would type it with the trunk prefix
            person["phone"] = "8 (" + person["phone"].removeprefix("+7 ").replace(" ", ") ", 1)
    for i, marker in enumerate(MARKERS):
        if i < len(people):
            people[i * 37 % len(people)]["position"] = f"инженер {marker}"
    return people


def e164(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    return "+7" + digits[-10:]


def secrets_of(people: Iterable[Mapping[str, str]]) -> set[str]:
    """Every value given, and each phone also in E.164 and as its ten national digits."""
    found: set[str] = set(MARKERS)
    for person in people:
        found.update(person.values())
        found.update({e164(person["phone"]), e164(person["phone"])[2:]})
    return found


@dataclass(frozen=True, slots=True)
class Needles:
    """Strings searched for in bytes; forms sharing a prefix are tried only where it occurs."""

    groups: Mapping[bytes, Sequence[tuple[bytes, str]]]
    count: int = field(default=0)

    @classmethod
    def of(cls, texts: Iterable[str], *, as_hex: bool = False) -> Needles:
        groups: dict[bytes, list[tuple[bytes, str]]] = defaultdict(list)
        count = 0
        for value in sorted(set(texts)):
            for encoding in ("utf-8", "utf-16-le"):
                raw = value.encode(encoding)
                forms = [(raw, f"{value!r} ({encoding})")]
                if as_hex:
                    forms.append((raw.hex().encode("ascii"), f"{value!r} (hex of {encoding})"))
                for form, label in forms:
                    groups[form[:PREFIX]].append((form, label))
                    count += 1
        return cls(groups, count)

    def found_in(self, blob: bytes) -> list[str]:
        """Labels of the needles that occur in ``blob``."""
        return [
            label
            for prefix, forms in self.groups.items()
            if prefix in blob
            for form, label in forms
            if form in blob
        ]


def files_under(root: Path) -> Iterator[Path]:
    return (path for path in sorted(root.rglob("*")) if path.is_file())


def table_dump(opeka: Opeka) -> tuple[set[str], bytes]:
    """PostgreSQL: every row of every table of both schemas as text (bytea shows as hex)."""
    settings = opeka.settings
    schemas = (settings.database_schema, settings.keystore_schema)
    lines: list[str] = []
    with read_only(opeka.data_engine) as conn:
        tables = conn.execute(
            text(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_schema IN (:data, :keys) AND table_type = 'BASE TABLE'"
            ),
            {"data": schemas[0], "keys": schemas[1]},
        ).all()
        for schema, table in tables:
            rows = conn.execute(text(f'SELECT t::text FROM "{schema}"."{table}" t'))
            lines += [f"{schema}.{table}: {row[0]}" for row in rows]
    return {str(table) for _, table in tables}, "\n".join(lines).encode("utf-8")


# --- running the command line -------------------------------------------------------------------


@dataclass(slots=True)
class Session:
    """The command line on one store, keeping everything it printed (but ``show``)."""

    cli: Cli
    printed: list[str] = field(default_factory=list)

    def __call__(self, *args: str) -> Result:
        result = self.cli(*args, "--actor", STAFF) if args[0] == "subjects" else self.cli(*args)
        assert result.exit_code == 0, (args, result.output)
        if args[:2] != ("subjects", "show"):
            self.printed.append(result.output)
        return result

    def import_file(self, path: Path) -> None:
        result = self(
            "subjects",
            "import",
            str(path),
            "--category",
            "client",
            "--purpose",
            "2.2.7",
            "--source",
            SOURCE,
        )
        assert "imported" in result.stdout

    def find(self, option: str, value: str) -> uuid.UUID:
        result = self("subjects", "find", option, value, "--purpose", "2.2.7")
        (line,) = result.stdout.splitlines()
        return uuid.UUID(line)


@dataclass(frozen=True, slots=True)
class Imported:
    opeka: Opeka
    session: Session
    people: list[dict[str, str]]
    csv_file: Path


def import_population(opeka: Opeka, tmp_path: Path, size: int) -> Imported:
    people = population(size)
    csv_file = write_csv(tmp_path / "input" / "clients.csv", FIELDS, rows_of(people, FIELDS))
    session = Session(Cli(cli_env(opeka.settings)))
    session.import_file(csv_file)
    assert count_subjects(opeka) == size
    return Imported(opeka, session, people, csv_file)


@pytest.fixture
def imported(opeka: Opeka, tmp_path: Path) -> Imported:
    """The population imported through the CLI (the ``opeka`` fixture keeps a connection
    pooled, so that SQLite's ``opeka.db-wal`` outlives each command and is scanned too)."""
    return import_population(opeka, tmp_path, POPULATION)


# --- the promises ---------------------------------------------------------------------------------


def test_the_scan_finds_every_value_where_it_is_in_clear(tmp_path: Path) -> None:
    people = population(POPULATION)
    csv_file = write_csv(tmp_path / "clients.csv", FIELDS, rows_of(people, FIELDS))
    given = {value for person in people for value in person.values()} | set(MARKERS)
    raw = csv_file.read_bytes()
    needles = Needles.of(given, as_hex=True)
    assert len(needles.found_in(raw)) == len(given)  # every value, as UTF-8
    utf16 = raw.decode("utf-8").encode("utf-16-le")
    assert len(needles.found_in(utf16)) == len(given)
    assert len(needles.found_in(raw.hex().encode("ascii"))) == len(given)
    assert needles.found_in(b"\x00" * 4096 + b"client1@example.net") == []


def exercise_every_command(
    run: Session, people: Sequence[Mapping[str, str]], exports: Path
) -> None:
    """Look subjects up, show, destroy, checkpoint, verify and export (to stdout and files)."""
    for person in people[:5]:
        sid = run.find("--email", person["email"])
        assert run.find("--phone", person["phone"]) == sid
        run("subjects", "show", str(sid), "--purpose", "2.2.7")
    run("subjects", "destroy", str(run.find("--email", people[7]["email"])), "--reason", "demand")
    run("journal", "checkpoint")
    run("journal", "verify")
    exports.mkdir()
    for fmt in ("csv", "json"):
        everything = ["journal", "export", "--from", "2000-01-01", "--format", fmt]
        run(*everything)
        run(*everything, "--output", str(exports / f"journal.{fmt}"))
    journal = json.loads((exports / "journal.json").read_text(encoding="utf-8"))
    assert len([e for e in journal if e["action"] == "сбор"]) == len(people)


def test_no_value_is_in_clear_in_any_file_table_export_or_output(
    imported: Imported, tmp_path: Path
) -> None:
    opeka, run = imported.opeka, imported.session
    exercise_every_command(run, imported.people, tmp_path / "exports")
    data_dir = opeka.settings.data_dir
    scanned = {
        path.relative_to(data_dir).as_posix(): path.read_bytes() for path in files_under(data_dir)
    }
    if opeka.settings.is_sqlite:
        assert {"opeka.db", "opeka.db-wal", "keys.db"} <= set(scanned)
        assert SOURCE.encode() in scanned["opeka.db"] + scanned["opeka.db-wal"]  # it does look
    assert "journal/checkpoints.log" in scanned
    scanned |= {f"export {p.name}": p.read_bytes() for p in files_under(tmp_path / "exports")}
    scanned |= {f"output {i}": out.encode("utf-8") for i, out in enumerate(run.printed)}

    secrets = secrets_of(imported.people)
    needles = Needles.of(secrets)
    leaks = {name: found for name, blob in scanned.items() if (found := needles.found_in(blob))}
    if not opeka.settings.is_sqlite:
        tables, dump = table_dump(opeka)
        assert {"subject", "subject_data", "blind_index", "journal_entry", "subject_key"} <= tables
        assert SOURCE.encode() in dump  # subject.source, as text
        assert SOURCE.encode().hex().encode() in dump  # inside journal_entry.entry, as bytea
        if found := Needles.of(secrets, as_hex=True).found_in(dump):
            leaks["PostgreSQL tables"] = found
    assert leaks == {}


def test_destruction_keeps_the_journal_verifiable_and_its_extract_holds_no_values(
    opeka: Opeka, tmp_path: Path
) -> None:
    imported = import_population(opeka, tmp_path, 3)
    run, person = imported.session, imported.people[1]
    sid = run.find("--email", person["email"])
    with opeka.keys_engine.connect() as conn:
        stmt = select(subject_key.c.wrapped).where(subject_key.c.subject_id == sid)
        wrapped = bytes(conn.execute(stmt).scalar_one())

    destroyed = run("subjects", "destroy", str(sid), "--reason", "withdrawal")
    assert destroyed.stdout.startswith(f"destroyed subject {sid}: {len(FIELDS)} field(s)")
    verify = run("journal", "verify")
    assert verify.stdout.startswith("journal intact: ")

    as_json = run("journal", "export", "--subject", str(sid), "--format", "json")
    entries = json.loads(as_json.stdout)
    assert [(e["action"], e["result"]) for e in entries] == [
        ("сбор", "done"),
        ("извлечение", "done"),  # the look-up by e-mail
        ("извлечение", "done"),  # the name captured for the act of destruction
        ("уничтожение", "done"),
        ("запись", "done"),  # the name written into the (encrypted) act
    ]
    last = entries[-2]
    assert last["fields"].split() == sorted(FIELDS)
    assert last["reason"].startswith("withdrawal: отзыв согласия субъекта")
    as_csv = run("journal", "export", "--subject", str(sid), "--format", "csv")
    needles = Needles.of(secrets_of([person]))
    assert needles.found_in(as_json.stdout.encode()) == []
    assert needles.found_in(as_csv.stdout.encode()) == []

    with opeka.keys_engine.connect() as conn:
        stmt = select(subject_key.c.wrapped).where(subject_key.c.subject_id == sid)
        assert conn.execute(stmt).first() is None
    if opeka.settings.is_sqlite:  # crypto-shredding: not a byte of the wrapped key is left
        for path in opeka.settings.data_dir.glob("keys.db*"):
            assert wrapped not in path.read_bytes(), path.name
