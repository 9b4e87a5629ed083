"""``opeka documents acts|act|access-package|purge``: acts of destruction and access packages.

PDFs go to the file given by ``--output`` (created with mode 0600: they hold personal data) and
never to a terminal; JSON may go to standard output. Opening an act and building an access
package are journaled under ``--actor``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer

from opeka.cli.context import cli_actor, opened
from opeka.cli.errors import (
    EXIT_ENVIRONMENT,
    EXIT_INPUT,
    EXIT_INTEGRITY,
    OpekaTyper,
    fail,
    register_handler,
)
from opeka.db.engine import read_only
from opeka.documents import access_package, act_render, acts, downloads, retention
from opeka.documents.errors import ActUnreadable, DocumentsError, FontMissing
from opeka.documents.extract import build_extract
from opeka.documents.pdf import font_files
from opeka.requests.clock import moscow_today
from opeka.requests.journaling import DUTY

documents_app = OpekaTyper(
    help="Документы: акты об уничтожении, пакеты сведений / Destruction acts, access packages.",
    no_args_is_help=True,
)

ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Staff login to journal (default: OS user).")
]
FormatOption = Annotated[str, typer.Option("--format", help="pdf or json.")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", help="File to write (required for pdf on a terminal).")
]
_NUMBER = re.compile(r"^(\d{4})-[АA]-(\d{6})$")


@register_handler
def _map(exc: Exception) -> tuple[str, int] | None:
    if isinstance(exc, FontMissing):
        return (exc.message, EXIT_ENVIRONMENT)
    if isinstance(exc, ActUnreadable):
        return (f"{exc.message_ru} / {exc.message}", EXIT_INTEGRITY)
    if isinstance(exc, DocumentsError):
        return (f"{exc.message_ru} / {exc.message}", EXIT_INPUT)
    return None


def _date(raw: str | None, option: str) -> dt.date | None:
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        fail(f"{option}: дата ГГГГ-ММ-ДД / a date such as 2026-11-24")


def _act_number(raw: str) -> str:
    found = _NUMBER.match(raw.strip())
    if found is None:
        fail("номер акта вида 2026-А-000123 / an act number such as 2026-А-000123")
    return f"{found.group(1)}-А-{found.group(2)}"


def _check_format(fmt: str, output: Path | None) -> None:
    if fmt not in ("pdf", "json"):
        fail("--format: pdf или json / pdf or json")
    if fmt == "pdf" and output is None and sys.stdout.isatty():
        fail("PDF не выводится в терминал: укажите --output FILE / give --output FILE for a PDF")


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        typer.get_binary_stream("stdout").write(data)
        return
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    typer.echo(f"записано / written: {output} ({len(data):,} bytes)", err=True)


@documents_app.command("acts")
def list_acts(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--from", help="From this date (incl.).")] = None,
    until: Annotated[str | None, typer.Option("--to", help="To this date (incl.).")] = None,
) -> None:
    """Acts of destruction: number, date, subjects, reasons (no names)."""
    start, end = _date(since, "--from"), _date(until, "--to")
    with opened(ctx) as opeka, read_only(opeka.data_engine) as conn:
        rows = acts.list_acts(conn, since=start, until=end)
    if not rows:
        typer.echo("Актов нет / No acts")
        return
    typer.echo("Номер | Дата | Субъектов | Причины | Хранится до")
    for row in rows:
        typer.echo(
            f"{row.number} | {row.act_date:%d.%m.%Y} | {row.subjects} | "
            f"{', '.join(row.reason_codes)} | {row.retain_until:%d.%m.%Y}"
        )


@documents_app.command("act")
def act(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Act number, e.g. 2026-А-000123.")],
    fmt: FormatOption = "pdf",
    output: OutputOption = None,
    actor: ActorOption = None,
) -> None:
    """An act of destruction with its log extract (Order 179), as PDF or JSON."""
    ref = _act_number(number)
    _check_format(fmt, output)
    with opened(ctx) as opeka:
        font_dir = opeka.settings.pdf_font_dir
        if fmt == "pdf":
            font_files(font_dir)  # fail before anything is journaled
        with opeka.unit_of_work() as uow:
            found = acts.issue(uow, number=ref, actor=cli_actor(actor), what=fmt)
        extract = build_extract(opeka.data_engine, found, policy=opeka.policy)
    if fmt == "pdf":
        _write(act_render.document_pdf(found, extract, font_dir=font_dir), output)
    else:
        _write(act_render.document_json(found, extract), output)


@documents_app.command("access-package")
def access_package_(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(help="Subject ID.")],
    fmt: FormatOption = "pdf",
    output: OutputOption = None,
    actor: ActorOption = None,
) -> None:
    """Everything held on a subject (152-FZ art. 14 p. 7), for a request answered by staff."""
    try:
        sid = uuid.UUID(subject)
    except ValueError:
        fail("subject ID must be a UUID")
    _check_format(fmt, output)
    with opened(ctx) as opeka:
        font_dir = opeka.settings.pdf_font_dir
        if fmt == "pdf":
            font_files(font_dir)
        with opeka.processing(cli_actor(actor), DUTY) as p:
            package = access_package.build(p, sid)
    if fmt == "pdf":
        _write(access_package.to_pdf(package, font_dir=font_dir), output)
    else:
        _write(access_package.to_json(package), output)


@documents_app.command("purge")
def purge(ctx: typer.Context) -> None:
    """Remove acts kept three years (Order 179 p. 8) and expired download links."""
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        numbers = retention.purge_expired(uow, today=moscow_today())
        tokens = downloads.purge_tokens(uow.data)
    typer.echo(
        f"удалено актов: {len(numbers)}; ссылок: {tokens}\n"
        f"acts removed: {len(numbers)}; download links removed: {tokens}"
    )
