"""``opeka subjects import|find|show|destroy``."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeRemainingColumn

from opeka.cli.context import cli_actor, opened
from opeka.cli.errors import OpekaTyper, fail
from opeka.consent.grants import ConsentEvidence
from opeka.documents import acts
from opeka.ops import logs
from opeka.subjects.importer import import_csv

subjects_app = OpekaTyper(help="The subject registry.", no_args_is_help=True)

ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Staff login to journal (default: OS user).")
]
PurposeOption = Annotated[str, typer.Option("--purpose", help="Purpose id, e.g. 2.2.7.")]


def _subject_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        fail("subject ID must be a UUID such as 0b6f3c1e-5d1a-4c83-9e4f-2a7b9d0c1e23")


@subjects_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="UTF-8 CSV whose header names field codes.")],
    category: Annotated[str, typer.Option(help="Subject category: visitor, registered, client.")],
    purpose: PurposeOption,
    source: Annotated[str, typer.Option(help="Where the data came from (no personal data).")],
    consent_evidence: Annotated[
        str | None,
        typer.Option(help="Reference to the consents obtained (needed for consent purposes)."),
    ] = None,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Import the good rows.")] = False,
    repeat: Annotated[
        bool, typer.Option("--repeat", help="Import a file that was already imported.")
    ] = False,
    actor: ActorOption = None,
) -> None:
    """Import subjects; nothing is imported if a row is bad, unless --skip-bad."""
    consent = ConsentEvidence("import", consent_evidence) if consent_evidence else None
    with (
        opened(ctx) as opeka,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            disable=not sys.stderr.isatty(),
        ) as bar,
    ):
        tasks: dict[str, TaskID] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                label = "Проверка строк" if phase == "validate" else "Импорт"
                tasks[phase] = bar.add_task(label, total=total)
            bar.update(tasks[phase], completed=done)

        report = import_csv(
            opeka,
            path=file,
            category=category,
            purpose=purpose,
            source=source,
            actor=cli_actor(actor),
            consent=consent,
            skip_bad=skip_bad,
            progress=progress,
            repeat=repeat,
        )
    logs.get("import").info(
        "import batch %s: %d rows, %d imported, %d bad, resumed after %d",
        report.batch_id,
        report.rows,
        report.imported,
        len(report.bad),
        report.resumed_from,
    )
    for bad in report.bad:
        typer.echo(f"{file}:{bad.line}: {bad.reason_ru} / {bad.reason}", err=True)
    if report.refused:
        fail(f"{len(report.bad)} bad row(s); nothing imported (use --skip-bad to import the rest)")
    resumed = f", resumed after {report.resumed_from}" if report.resumed_from else ""
    typer.echo(
        f"imported {report.imported} subject(s){resumed}; skipped {len(report.bad)} bad row(s)"
    )


@subjects_app.command("find")
def find(
    ctx: typer.Context,
    purpose: PurposeOption,
    email: Annotated[str | None, typer.Option(help="E-mail to look up.")] = None,
    phone: Annotated[str | None, typer.Option(help="Phone to look up.")] = None,
    actor: ActorOption = None,
) -> None:
    """Find subjects by e-mail or phone (journaled as извлечение)."""
    if (email is None) == (phone is None):
        fail("give exactly one of --email, --phone")
    with opened(ctx) as opeka, opeka.processing(cli_actor(actor), purpose) as p:
        found = p.find(email=email, phone=phone)
    for sid in found:
        typer.echo(str(sid))
    if not found:
        fail("no subject found")


@subjects_app.command("show")
def show(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(help="Subject ID.")],
    purpose: PurposeOption,
    actor: ActorOption = None,
) -> None:
    """Show the fields this purpose may use (journaled as извлечение)."""
    sid = _subject_id(subject)
    with opened(ctx) as opeka, opeka.processing(cli_actor(actor), purpose) as p:
        values = p.read(sid)
        titles = {code: spec.title.ru for code, spec in opeka.rules.fields.items()}
    for code, value in values.items():
        typer.echo(f"{titles.get(code, code)} ({code}): {value}")


@subjects_app.command("destroy")
def destroy(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(help="Subject ID.")],
    reason: Annotated[
        str,
        typer.Option(
            help="withdrawal, purpose_achieved, unlawful, unlawfully_obtained, "
            "demand or retention_expired."
        ),
    ],
    note: Annotated[str, typer.Option(help="Free-text note (no personal data).")] = "",
    actor: ActorOption = None,
) -> None:
    """Destroy every value of a subject and shred its key (уничтожение)."""
    sid = _subject_id(subject)
    who = cli_actor(actor)
    with opened(ctx) as opeka, opeka.processing(who, "legal.subject_rights") as p:
        result = p.destroy(sid, reason_code=reason, note=note, capture_identifier=True)
        number = acts.record_act(p.uow, [result], who)
    logs.get("destroy").info(
        "destroyed subject %s: %d fields, reason %s", result.subject_id, len(result.fields), reason
    )
    typer.echo(
        f"destroyed subject {result.subject_id}: {len(result.fields)} field(s) "
        f"({', '.join(result.data_categories)}); reason: {result.reason}; act {number}"
    )
