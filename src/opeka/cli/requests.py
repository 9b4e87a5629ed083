"""``opeka requests list|register|match|verify|start|complete|extend|refuse|sweep|show``.

Each command is one unit of work over :mod:`opeka.requests`; staff notes (``--document``,
``--reason``, ``--result``) must name no person and carry no document number, phone or e-mail.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path
from typing import Annotated

import typer

from opeka.cli.context import cli_actor, opened
from opeka.cli.errors import EXIT_INPUT, OpekaTyper, fail, register_handler
from opeka.db.engine import read_only
from opeka.documents import acts
from opeka.mail.factory import build_mailer
from opeka.requests import actions, executors, extension, notices, register, service, store, sweep
from opeka.requests.clock import MOSCOW, day_of_receipt, moscow_today, parse_received
from opeka.requests.errors import RequestError
from opeka.requests.kinds import KINDS, STAFF_CHANNELS, Channel, VerificationMethod
from opeka.requests.states import STATUS_TITLES_RU
from opeka.requests.store import ALL_PURPOSES

requests_app = OpekaTyper(help="Запросы субъектов / Data-subject requests.", no_args_is_help=True)

_NUMBER = re.compile(r"^\d{4}-\d{6}$")
ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Staff login to journal (default: OS user).")
]
RequestArg = Annotated[str, typer.Argument(help="Request number (2026-000123) or ID.")]
TABLE = (
    "Номер / Number",
    "Получен (МСК) / Received",
    "Вид / Kind",
    "Срок / Due",
    "Продлён до / Extended to",
    "Статус / Status",
    "Соблюдение срока / Deadline",
)


@register_handler
def _map(exc: Exception) -> tuple[str, int] | None:
    if isinstance(exc, RequestError):
        return (f"{exc.message_ru} / {exc.message}", EXIT_INPUT)
    return None


def _request_ref(raw: str) -> uuid.UUID | str:
    if _NUMBER.match(raw.strip()):
        return raw.strip()
    try:
        return uuid.UUID(raw)
    except ValueError:
        fail("укажите номер запроса (2026-000123) или его ID / give a request number or ID")


def _subject_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        fail("subject ID must be a UUID such as 0b6f3c1e-5d1a-4c83-9e4f-2a7b9d0c1e23")


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        moment = value.astimezone(MOSCOW) if value.tzinfo else value
        return moment.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


@requests_app.command("list")
def list_(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue requests.")] = False,
    all_: Annotated[
        bool, typer.Option("--all", help="Closed requests too (the register).")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or xlsx.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", help="File for csv/xlsx.")] = None,
) -> None:
    """Open requests by deadline (overdue and due soon marked); csv/xlsx export the register."""
    if fmt not in ("table", "csv", "xlsx"):
        fail("--format: table, csv или xlsx / table, csv or xlsx")
    if fmt != "table" and output is None:
        fail(f"--format {fmt} needs --output FILE / укажите файл --output")
    with opened(ctx) as opeka, read_only(opeka.data_engine) as conn:
        rows = register.register_rows(
            conn, today=moscow_today(), open_only=not all_, overdue_only=overdue
        )
    if output is not None and fmt == "csv":
        register.write_csv(rows, output)
    elif output is not None and fmt == "xlsx":
        register.write_xlsx(rows, output)
    if fmt != "table":
        typer.echo(f"записей: {len(rows)} → {output} / {len(rows)} row(s) written")
        return
    if not rows:
        typer.echo("Запросов нет / No requests")
        return
    index = [register.HEADERS.index(h) for h in TABLE]
    typer.echo(" | ".join(h.split(" / ")[0] for h in TABLE))
    for row in rows:
        typer.echo(" | ".join(_cell(row.cells[i]) for i in index))


@requests_app.command("register")
def register_(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option(help=", ".join(k.value for k in KINDS))],
    channel: Annotated[str, typer.Option(help=", ".join(sorted(STAFF_CHANNELS)))],
    received: Annotated[
        str, typer.Option(help="Real receipt date, Moscow time: 2026-01-12 or 2026-01-12 14:30.")
    ],
    subject: Annotated[str | None, typer.Option(help="Subject ID, if known.")] = None,
    purpose: Annotated[
        list[str] | None, typer.Option("--purpose", help="Withdrawn purpose (repeatable).")
    ] = None,
    all_purposes: Annotated[
        bool, typer.Option("--all-purposes", help="Withdrawal of every consent.")
    ] = False,
    actor: ActorOption = None,
) -> None:
    """Register a request received on paper, by phone, by e-mail or in person."""
    if channel not in STAFF_CHANNELS:
        fail(f"--channel: {', '.join(sorted(STAFF_CHANNELS))} (portal and API register their own)")
    purposes = [ALL_PURPOSES] if all_purposes else list(purpose or [])
    sid = _subject_id(subject) if subject else None
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        row = service.open_request(
            uow,
            kind=kind,
            channel=Channel(channel),
            received_at=parse_received(received),
            subject_id=sid,
            purposes=purposes,
            actor=cli_actor(actor),
        )
    typer.echo(
        f"зарегистрирован запрос {row.number}, срок {row.due_date:%d.%m.%Y} / "
        f"registered request {row.number}, due {row.due_date.isoformat()}"
    )
    typer.echo(str(row.id))


@requests_app.command("match")
def match(
    ctx: typer.Context,
    request: RequestArg,
    subject: Annotated[str, typer.Option(help="Subject ID.")],
    actor: ActorOption = None,
) -> None:
    """Link a request to the subject it concerns."""
    ref, sid = _request_ref(request), _subject_id(subject)
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        row = service.match(uow, request_id=ref, subject_id=sid, actor=cli_actor(actor))
    typer.echo(f"запрос {row.number}: субъект указан / subject set")


@requests_app.command("verify")
def verify(
    ctx: typer.Context,
    request: RequestArg,
    document: Annotated[
        str,
        typer.Option(
            help="Which document was checked, e.g. «паспорт РФ, проверен лично» — no number."
        ),
    ],
    actor: ActorOption = None,
) -> None:
    """Confirm the requester's identity from a document; automatic kinds are executed at once."""
    ref, who = _request_ref(request), cli_actor(actor)
    with opened(ctx) as opeka:
        with opeka.unit_of_work() as uow:
            row = service.verify(
                uow,
                request_id=ref,
                method=VerificationMethod.STAFF_DOCUMENT,
                evidence=document,
                actor=who,
            )
        typer.echo(f"запрос {row.number}: личность подтверждена / identity verified")
        if not KINDS[row.kind].automatic:
            return
        if row.subject_id is None:
            typer.echo("исполнение — после указания субъекта (match) / execute after `match`")
            return
        done = executors.execute(opeka, request_id=row.id, actor=who)
    if done is not None:
        closed = "закрыт / closed" if done.closed else "исполняется / in progress"
        due = f"; уничтожение до {done.destruction_due:%d.%m.%Y}" if done.destruction_due else ""
        typer.echo(f"запрос {done.number} исполнен: {closed}{due}")


@requests_app.command("start")
def start(ctx: typer.Context, request: RequestArg, actor: ActorOption = None) -> None:
    """Take a verified request into work."""
    ref = _request_ref(request)
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        row = service.start(uow, request_id=ref, actor=cli_actor(actor))
    typer.echo(f"запрос {row.number}: {STATUS_TITLES_RU[row.status]} / {row.status.value}")


@requests_app.command("complete")
def complete(
    ctx: typer.Context,
    request: RequestArg,
    result: Annotated[str, typer.Option(help="What was done (no personal data).")],
    actor: ActorOption = None,
) -> None:
    """Close a request in progress as done."""
    ref = _request_ref(request)
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        row = service.complete(uow, request_id=ref, result=result, actor=cli_actor(actor))
    typer.echo(f"запрос {row.number}: исполнен / done")


@requests_app.command("extend")
def extend(
    ctx: typer.Context,
    request: RequestArg,
    reason: Annotated[str, typer.Option(help="Why more time is needed (sent to the subject).")],
    actor: ActorOption = None,
) -> None:
    """Extend the term once by the law's extension; prints the reasoned notice to send."""
    ref = _request_ref(request)
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        notice = extension.extend(
            uow, request_id=ref, reason=reason, actor=cli_actor(actor), today=moscow_today()
        )
    typer.echo(
        f"запрос {notice.number}: срок продлён до {notice.extended_due:%d.%m.%Y} / "
        f"extended to {notice.extended_due.isoformat()}"
    )
    typer.echo("")
    typer.echo(notice.text_ru)


@requests_app.command("refuse")
def refuse(
    ctx: typer.Context,
    request: RequestArg,
    reason: Annotated[str, typer.Option(help="Reasoned refusal citing the legal ground.")],
    actor: ActorOption = None,
) -> None:
    """Refuse a request with a reasoned text (152-FZ art. 20 p. 2)."""
    ref = _request_ref(request)
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        row = service.refuse(uow, request_id=ref, reason=reason, actor=cli_actor(actor))
    typer.echo(f"запрос {row.number}: отказано / refused")


@requests_app.command("sweep")
def sweep_(ctx: typer.Context, actor: ActorOption = None) -> None:
    """Execute what is due: verified withdrawals and blockings, due destructions."""
    who = cli_actor(actor)
    with opened(ctx) as opeka:
        report = sweep.sweep(
            opeka, today=moscow_today(), actor=who, on_destroyed=acts.for_sweep(who)
        )
    typer.echo(report.summary_ru())
    for item in report.destroyed:
        typer.echo(f"  {item.request_number or '—'}: subject {item.subject_id} destroyed")
    if report.failures:
        raise typer.Exit(EXIT_INPUT)


@requests_app.command("notify")
def notify_(ctx: typer.Context) -> None:
    """E-mail the notices that are due (received, extended, done, refused); serve does too."""
    with opened(ctx) as opeka:
        run = notices.send_due(opeka, build_mailer(opeka.settings))
    typer.echo(f"notices: sent {run.sent}, skipped {run.skipped}, failed {run.failed}")


@requests_app.command("show")
def show(ctx: typer.Context, request: RequestArg) -> None:
    """A request with its history and scheduled actions."""
    ref = _request_ref(request)
    with opened(ctx) as opeka, read_only(opeka.data_engine) as conn:
        row = store.require(conn, ref)
        history = store.events(conn, row.id)
        planned = actions.for_request(conn, row.id)
    lines = [
        ("Номер / Number", row.number),
        ("ID", row.id),
        ("Вид / Kind", f"{KINDS[row.kind].title_ru} ({row.kind.value})"),
        ("Канал / Channel", row.channel.value),
        ("Субъект / Subject", row.subject_id),
        ("Цели / Purposes", ", ".join(row.purposes) or None),
        ("Получен / Received", f"{day_of_receipt(row.received_at):%d.%m.%Y}"),
        ("Срок / Due", row.due_date),
        ("Продлён до / Extended to", row.extended_due_date),
        ("Причина продления / Extension reason", row.extension_reason),
        ("Статус / Status", f"{STATUS_TITLES_RU[row.status]} ({row.status.value})"),
        ("Подтверждение / Verification", row.verification_evidence),
        ("Результат / Result", row.result),
        ("Причина отказа / Refusal reason", row.refusal_reason),
    ]
    for title, value in lines:
        typer.echo(f"{title}: {_cell(value)}")
    typer.echo("История / History:")
    for event in history:
        step = f"{event.from_status or ''} → {event.to_status}" if event.to_status else ""
        typer.echo(f"  {_cell(event.at)} {event.actor} {event.event} {step} {event.note or ''}")
    for action, due, state in planned:
        typer.echo(f"Действие / Action: {action} {due:%d.%m.%Y} {state}")
