"""``opeka subjects import|find|show|destroy`` through the real Typer app.

Each test that needs a store pays for an initialised database on each backend, so related
checks share a test where they form one story (refused, then allowed; imported, then found).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from tests.cli.support import (
    STAFF,
    Cli,
    assert_one_line_error,
    count_subjects,
    journal_entries,
    rows_of,
    stored_values,
    write_csv,
)
from tests.factories import client_values, visitor_values

from opeka.app import Opeka
from opeka.cli import subjects as subjects_cli
from opeka.processing import Actor
from opeka.subjects import importer

CLIENT = ["last_name", "first_name", "organization", "position", "email", "phone"]
SOURCE = "CRM export 2026-11"


def clients(*numbers: int) -> list[dict[str, str]]:
    return [{code: client_values(i)[code] for code in CLIENT} for i in numbers]


def import_clients(path: Path, *extra: str) -> list[str]:
    """The arguments of ``subjects import`` of clients under purpose 2.2.7."""
    args = ["subjects", "import", str(path), "--category", "client", "--purpose", "2.2.7"]
    return [*args, "--source", SOURCE, "--actor", STAFF, *extra]


def find_one(cli: Cli, *option: str) -> str:
    result = cli("subjects", "find", *option, "--purpose", "2.2.7", "--actor", STAFF)
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    return line


# --- import ---------------------------------------------------------------------------------------


def test_import_reads_comma_and_semicolon_files_with_or_without_a_bom(
    cli: Cli, opeka: Opeka, tmp_path: Path
) -> None:
    comma = write_csv(tmp_path / "comma.csv", CLIENT, rows_of(clients(1, 2, 3), CLIENT))
    semicolon = write_csv(
        tmp_path / "semicolon.csv", CLIENT, rows_of(clients(4, 5), CLIENT), delimiter=";", bom=True
    )
    assert semicolon.read_bytes().startswith(b"\xef\xbb\xbflast_name;first_name;")

    first = cli(*import_clients(comma))
    assert (first.exit_code, first.stderr) == (0, ""), first.output
    assert first.stdout.strip() == "imported 3 subject(s); skipped 0 bad row(s)"
    second = cli(*import_clients(semicolon))
    assert (second.exit_code, second.stderr) == (0, ""), second.output
    assert second.stdout.strip() == "imported 2 subject(s); skipped 0 bad row(s)"

    assert count_subjects(opeka) == 5
    assert stored_values(opeka, "email") == [f"client{i}@example.org" for i in range(1, 6)]
    assert stored_values(opeka, "phone") == [f"+7999000000{i}" for i in range(1, 6)]
    assert stored_values(opeka, "last_name") == sorted(
        c["last_name"] for c in clients(*range(1, 6))
    )


def test_import_journals_one_collection_per_subject_naming_the_source(
    cli: Cli, opeka: Opeka, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "clients.csv", CLIENT, rows_of(clients(1, 2), CLIENT))
    assert cli(*import_clients(path)).exit_code == 0
    entries = journal_entries(opeka)
    assert [(e.action, e.result, e.purpose, e.actor) for e in entries] == [
        ("сбор", "done", "2.2.7", f"cli:{STAFF}")
    ] * 2
    assert {e.reason for e in entries} == {f"источник: {SOURCE}"}
    assert {e.fields for e in entries} == {tuple(sorted(CLIENT))}
    assert len({e.subject_id for e in entries}) == 2


CARD = "2200 1234 5678 9019"
BAD_HEADER = [*CLIENT, "birth_date"]
BAD_REASONS = {
    3: r"поле `email`.*/ E-mail address \(field `email`\): is not a valid e-mail address",
    4: r"поле `organization`.*/ .*contains a full payment-card number.*\(policy §1\.1\.3\)",
    5: r"`birth_date`.*/ .*`birth_date`.*\(policy §",
    6: r"неверное число столбцов.* / wrong number of columns",
    7: r"/ mandatory field\(s\) missing: first_name \(policy §",
}
"""The reason (a regex) expected for each bad line of :func:`mixed_file`."""


def mixed_file(tmp_path: Path) -> tuple[Path, list[str]]:
    """Clients, good at lines 2 and 9, one bad row of each kind at lines 3–7, blank line 8.

    Returns the path and the values of the bad rows, which must never be echoed.
    """
    good_a, good_b = clients(1, 2)
    bad_email = clients(3)[0] | {"email": "petrov.at.example.org"}
    card = clients(4)[0] | {"organization": f"ООО Карта {CARD}"}
    not_in_category = clients(5)[0] | {"birth_date": "17.05.1984"}  # not a client's field
    no_first_name = clients(7)[0] | {"first_name": ""}
    rows = rows_of([good_a, bad_email, card, not_in_category], BAD_HEADER)
    rows.append(["Сидоров", "Сидор", "ООО Сидоров"])  # three cells of seven
    rows += rows_of([no_first_name], BAD_HEADER)
    rows.append([""] * len(BAD_HEADER))
    rows += rows_of([good_b], BAD_HEADER)
    path = write_csv(tmp_path / "mixed.csv", BAD_HEADER, rows)
    bad = [bad_email, card, not_in_category, no_first_name]
    secrets = [v for row in bad for v in row.values() if v]
    secrets += [CARD.replace(" ", ""), "1984-05-17", "Сидоров", "Сидор", "ООО Сидоров"]
    return path, secrets


def assert_bad_rows_reported(stderr_lines: Sequence[str], path: Path) -> None:
    assert len(stderr_lines) == len(BAD_REASONS), stderr_lines
    for line, (number, reason) in zip(stderr_lines, sorted(BAD_REASONS.items()), strict=True):
        assert line.startswith(f"{path}:{number}: "), line
        assert re.search(reason, line), (reason, line)


def test_bad_rows_stop_the_import_until_skip_bad_imports_the_good_ones(
    cli: Cli, opeka: Opeka, tmp_path: Path
) -> None:
    path, secrets = mixed_file(tmp_path)

    refused = cli(*import_clients(path))
    assert refused.exit_code == 1
    *reported, last = refused.stderr.splitlines()
    assert_bad_rows_reported(reported, path)
    assert last == (
        "opeka: error: 5 bad row(s); nothing imported (use --skip-bad to import the rest)"
    )
    assert refused.stdout.strip() == ""
    assert count_subjects(opeka) == 0

    skipped = cli(*import_clients(path, "--skip-bad"))
    assert skipped.exit_code == 0, skipped.output
    assert_bad_rows_reported(skipped.stderr.splitlines(), path)
    assert skipped.stdout.strip() == "imported 2 subject(s); skipped 5 bad row(s)"
    assert count_subjects(opeka) == 2
    assert stored_values(opeka, "email") == ["client1@example.org", "client2@example.org"]

    for secret in secrets:
        assert secret not in refused.output
        assert secret not in skipped.output


def test_a_bad_row_with_a_multi_line_cell_is_reported_at_the_line_it_starts_on(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "multiline.csv"
    path.write_text(
        "last_name,first_name,organization,email\n"
        'Тестов,Пётр,"ООО «Пример»\nфилиал 2",not-an-email\n',
        encoding="utf-8",
    )
    result = cli(*import_clients(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"{path}:2: ")


def test_a_consent_purpose_is_refused_without_consent_evidence_and_accepted_with_it(
    cli: Cli, opeka: Opeka, tmp_path: Path
) -> None:
    header = ["first_name", "email"]
    path = write_csv(tmp_path / "visitors.csv", header, rows_of([visitor_values(1)], header))
    args = ["subjects", "import", str(path), "--category", "visitor", "--purpose", "2.2.8"]
    args += ["--source", "форма на сайте", "--actor", STAFF]

    refused = cli(*args)
    message = assert_one_line_error(refused, 3, "refused: ", "consent")
    assert message.endswith("(policy §2.2.8)")
    assert "visitor1@example.org" not in refused.output
    assert count_subjects(opeka) == 0

    accepted = cli(*args, "--consent-evidence", "чек-бокс формы обратной связи, версия 3")
    assert accepted.exit_code == 0, accepted.output
    # the consent is recorded: the purpose resting on it may now read the subject
    assert stored_values(opeka, "email", purpose="2.2.8") == ["visitor1@example.org"]


def test_a_file_that_cannot_be_imported_at_all_is_one_line(
    cli: Cli, opeka: Opeka, tmp_path: Path
) -> None:
    unknown = tmp_path / "unknown-column.csv"
    write_csv(unknown, [*CLIENT, "shoe_size"], [[*rows_of(clients(1), CLIENT)[0], "42"]])
    message = assert_one_line_error(cli(*import_clients(unknown)), 1, "shoe_size")
    assert message.startswith(f"{unknown}:1: unknown column(s) shoe_size; ")
    assert "client1@example.org" not in message

    missing = tmp_path / "absent.csv"
    assert assert_one_line_error(cli(*import_clients(missing)), 1) == (
        f"cannot read {missing}: FileNotFoundError"
    )

    cp1251 = tmp_path / "cp1251.csv"
    cp1251.write_bytes("last_name,first_name\nТестов,Пётр\n".encode("cp1251"))
    assert assert_one_line_error(cli(*import_clients(cp1251)), 1) == (
        f"cannot read {cp1251}: UnicodeDecodeError"
    )
    assert count_subjects(opeka) == 0


class SimulatedCrash(Exception):
    """Stands for the process dying in the middle of an import."""


def test_an_interrupted_import_resumes_and_imports_every_row_exactly_once(
    cli: Cli, opeka: Opeka, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subjects = clients(*range(1, 9))
    path = write_csv(tmp_path / "clients.csv", CLIENT, rows_of(subjects, CLIENT))
    monkeypatch.setattr(importer, "CHUNK", 3)
    real_import = importer.import_csv

    def dies_after_the_first_chunk(opeka: Opeka, **options: Any) -> importer.ImportReport:
        report_progress: importer.Progress = options.pop("progress")

        def progress(phase: str, done: int, total: int) -> None:
            report_progress(phase, done, total)
            if phase == "import":  # reported once a chunk is committed
                raise SimulatedCrash

        return real_import(opeka, progress=progress, **options)

    monkeypatch.setattr(subjects_cli, "import_csv", dies_after_the_first_chunk)
    assert_one_line_error(cli(*import_clients(path)), 70, "unexpected SimulatedCrash")
    assert count_subjects(opeka) == 3

    monkeypatch.setattr(subjects_cli, "import_csv", real_import)
    result = cli(*import_clients(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "imported 5 subject(s), resumed after 3; skipped 0 bad row(s)"
    assert count_subjects(opeka) == 8
    collected = [e for e in journal_entries(opeka) if e.action == "сбор" and e.result == "done"]
    assert len(collected) == 8
    assert stored_values(opeka, "email") == sorted(s["email"] for s in subjects)


# --- find, show, destroy --------------------------------------------------------------------------


@pytest.fixture
def two_clients(opeka: Opeka) -> tuple[str, str]:
    """Clients 1 and 2, collected through the API; returns their ids."""
    with opeka.processing(Actor.staff(STAFF), "2.2.7") as p:
        ids = [p.collect(category="client", values=v, source="договор") for v in clients(1, 2)]
    return str(ids[0]), str(ids[1])


def test_find_prints_the_id_however_the_email_or_phone_is_typed(
    cli: Cli, two_clients: tuple[str, str]
) -> None:
    first, second = two_clients
    assert find_one(cli, "--email", "client1@example.org") == first
    assert find_one(cli, "--email", "CLIENT1@Example.ORG") == first
    assert find_one(cli, "--phone", "+7 999 000-00-02") == second
    assert find_one(cli, "--phone", "8 (999) 000-00-02") == second
    assert find_one(cli, "--phone", "+79990000001") == first

    for option in ("--email", "nobody@example.org"), ("--phone", "+7 999 000-99-99"):
        none = cli("subjects", "find", *option, "--purpose", "2.2.7", "--actor", STAFF)
        assert (none.exit_code, none.stdout, none.stderr) == (
            1,
            "",
            "opeka: error: no subject found\n",
        )


def test_find_needs_exactly_one_of_email_and_phone(bare_cli: Cli) -> None:
    args = ["subjects", "find", "--purpose", "2.2.7"]
    assert_one_line_error(bare_cli(*args), 1, "give exactly one of --email, --phone")
    both = bare_cli(*args, "--email", "client1@example.org", "--phone", "+79990000001")
    assert_one_line_error(both, 1, "give exactly one of --email, --phone")


def test_show_prints_exactly_the_fields_the_purpose_may_use(
    cli: Cli, two_clients: tuple[str, str]
) -> None:
    first, _ = two_clients
    values = client_values(1)
    everything = cli("subjects", "show", first, "--purpose", "2.2.7", "--actor", STAFF)
    assert (everything.exit_code, everything.stderr) == (0, ""), everything.output
    assert sorted(everything.stdout.splitlines()) == sorted(
        [
            f"Фамилия (last_name): {values['last_name']}",
            "Имя (first_name): Пётр",
            f"Сведения об организации (organization): {values['organization']}",
            "Должность (position): инженер",
            "Адрес электронной почты (email): client1@example.org",
            "Контактный телефон (phone): +79990000001",
        ]
    )
    research = cli("subjects", "show", first, "--purpose", "2.2.4", "--actor", STAFF)
    assert research.exit_code == 0, research.output
    assert sorted(research.stdout.splitlines()) == [
        "Должность (position): инженер",
        f"Сведения об организации (organization): {values['organization']}",
    ]


REFUSED = [
    # (command options, clause named, action journaled as refused)
    (["show", "{id}", "--purpose", "2.2.6"], "(policy §2.2.6)", "извлечение"),  # not clients
    (["show", "{id}", "--purpose", "2.2.3"], "(policy §2.2.3)", "извлечение"),  # no consent
    (["show", "{id}", "--purpose", "9.9.9"], "(policy §2.2)", "использование"),  # no such
    (
        ["find", "--email", "client1@example.org", "--purpose", "2.2.4"],
        "(policy §2.2, 2.2.4)",
        "извлечение",
    ),
]


def test_a_purpose_that_may_not_see_the_values_is_refused_in_one_line_naming_the_clause(
    cli: Cli, opeka: Opeka, two_clients: tuple[str, str]
) -> None:
    first, _ = two_clients
    for options, clause, action in REFUSED:
        args = [first if arg == "{id}" else arg for arg in options]
        result = cli("subjects", *args, "--actor", STAFF)
        message = assert_one_line_error(result, 3, "refused: ", clause)
        assert message.endswith(clause)
        assert result.stdout == ""
        assert "client1@example.org" not in message
        last = journal_entries(opeka)[-1]
        # an undeclared purpose is journaled as "unknown": the typed text is input
        purpose = "unknown" if args[-1] not in opeka.policy.purposes else args[-1]
        assert (last.action, last.result, last.purpose) == (action, "refused", purpose)


def test_destroy_removes_the_values_and_a_later_show_is_refused(
    cli: Cli, opeka: Opeka, two_clients: tuple[str, str]
) -> None:
    first, second = two_clients
    result = cli("subjects", "destroy", first, "--reason", "withdrawal", "--actor", STAFF)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"destroyed subject {first}: 6 field(s) (")
    assert re.search(
        r"reason: withdrawal: отзыв согласия субъекта \(152-ФЗ ст\. 21 ч\. 5; политика п\. 5\.3\); "
        r"act \d{4}-А-\d{6}$",
        result.stdout.rstrip(),
    )
    assert "client1@example.org" not in result.output

    show = cli("subjects", "show", first, "--purpose", "2.2.7", "--actor", STAFF)
    assert_one_line_error(show, 3, "destroyed", "(policy §5.3)")
    assert show.stdout == ""
    again = cli("subjects", "destroy", first, "--reason", "withdrawal", "--actor", STAFF)
    assert_one_line_error(again, 3, "already destroyed", "(policy §5.3)")
    gone = cli("subjects", "find", "--email", "client1@example.org", "--purpose", "2.2.7")
    assert (gone.exit_code, gone.stdout) == (1, "")
    assert find_one(cli, "--email", "client2@example.org") == second
    assert count_subjects(opeka) == 2  # the row stays, pseudonymous, for the journal


def test_a_subject_id_that_is_not_a_uuid_is_one_line(bare_cli: Cli) -> None:
    for command, option, value in ("show", "--purpose", "2.2.7"), ("destroy", "--reason", "demand"):
        result = bare_cli("subjects", command, "client1@example.org", option, value)
        message = assert_one_line_error(result, 1, "subject ID must be a UUID")
        assert "client1@example.org" not in message


def test_an_unknown_subject_or_destruction_reason_is_one_line_and_changes_nothing(
    cli: Cli, two_clients: tuple[str, str]
) -> None:
    nobody = str(uuid.uuid4())
    for command in ("show", "--purpose", "2.2.7"), ("destroy", "--reason", "demand"):
        result = cli("subjects", command[0], nobody, *command[1:])
        assert assert_one_line_error(result, 1) == f"no subject {nobody}"

    first, _ = two_clients
    result = cli("subjects", "destroy", first, "--reason", "forgot", "--actor", STAFF)
    assert_one_line_error(result, 1, "unknown destruction reason `forgot`", "withdrawal")
    assert find_one(cli, "--email", "client1@example.org") == first
