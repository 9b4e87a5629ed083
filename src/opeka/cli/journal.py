"""``opeka journal verify|export|checkpoint``."""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer

from opeka.cli.context import opened
from opeka.cli.errors import OpekaTyper, fail
from opeka.db.engine import read_only
from opeka.journal import export as journal_export
from opeka.journal.errors import JournalCorrupt
from opeka.journal.verify import verify_journal
from opeka.ops import logs
from opeka.ops.scheduler import checkpoint_now

journal_app = OpekaTyper(
    help="The event journal (журнал регистрации событий).", no_args_is_help=True
)


@journal_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Verify the chain and the signed checkpoints; exit 0 with the count when intact."""
    with opened(ctx) as opeka, read_only(opeka.data_engine) as conn:
        try:
            report = verify_journal(
                conn,
                public_key=opeka.signing_key.public_key(),
                checkpoint_file=opeka.services.checkpoint_file,
            )
        except JournalCorrupt as exc:
            logs.get("journal").error("verify: FAILED at entry %s: %s", exc.seq, exc)
            raise
    logs.get("journal").info("verify: intact, %d entries", report.entries)
    typer.echo(
        f"journal intact: {report.entries} entries, {report.checkpoints} signed checkpoints "
        f"(newest covers {report.newest_checkpoint}; {report.unsigned_tail} after it)"
    )


def _instant(raw: str | None, option: str) -> int | None:
    if raw is None:
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        fail(f"{option} must be a date or time such as 2026-11-24 or 2026-11-24T10:00")
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return int(value.timestamp() * 1_000_000)


@journal_app.command("export")
def export(
    ctx: typer.Context,
    subject: Annotated[str | None, typer.Option(help="Only this subject's entries.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="From this UTC date/time.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Before this UTC date/time.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    output: Annotated[Path | None, typer.Option(help="File to write (default stdout).")] = None,
) -> None:
    """Write journal entries as CSV or JSON (Order 179 extract)."""
    if subject is None and start is None and end is None:
        fail("give --subject ID, or --from/--to")
    if fmt not in ("csv", "json"):
        fail("--format must be csv or json")
    try:
        sid = uuid.UUID(subject) if subject else None
    except ValueError:
        fail("--subject must be a subject ID (UUID)")
    start_us, end_us = _instant(start, "--from"), _instant(end, "--to")
    write = journal_export.write_csv if fmt == "csv" else journal_export.write_json
    with opened(ctx) as opeka, read_only(opeka.data_engine) as conn:
        entries = journal_export.select_entries(
            conn, subject_id=sid, start_us=start_us, end_us=end_us
        )
        try:
            if output is None:
                count = write(entries, sys.stdout)
            else:
                with output.open("w", encoding="utf-8", newline="") as handle:
                    count = write(entries, handle)
        finally:
            entries.close()  # release the cursor before the connection closes
    typer.echo(f"{count} entries", err=True)


@journal_app.command("checkpoint")
def checkpoint(ctx: typer.Context) -> None:
    """Sign a checkpoint of the journal now (if it grew since the last one)."""
    with opened(ctx) as opeka:
        signed = checkpoint_now(opeka)
    typer.echo("checkpoint signed" if signed else "nothing new since the last checkpoint")
