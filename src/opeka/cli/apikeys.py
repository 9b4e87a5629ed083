"""``opeka apikeys create|list|revoke``: clients of the REST API."""

from __future__ import annotations

from typing import Annotated

import typer

import opeka.cli.staff  # noqa: F401  (registers the mapping of authentication errors)
from opeka.auth import apikeys
from opeka.auth.apikeys import Scope
from opeka.auth.context import Auth
from opeka.cli.context import opened
from opeka.cli.errors import OpekaTyper
from opeka.db.engine import read_only

apikeys_app = OpekaTyper(help="API clients and their keys (API-ключи).", no_args_is_help=True)


@apikeys_app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What the client is, e.g. 'shop backend'.")],
    scope: Annotated[list[Scope], typer.Option("--scope", help="A scope (repeat the option).")],
    purpose: Annotated[
        list[str] | None,
        typer.Option("--purpose", help="A purpose of the policy it may state (repeat)."),
    ] = None,
) -> None:
    """Create a client and print its key ONCE on stdout (only a hash is kept)."""
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        client, token = apikeys.create_api_key(
            uow.data, auth=Auth.from_opeka(opeka), name=name, scopes=scope, purposes=purpose or []
        )
    typer.echo(
        f"API-клиент {client.id} создан; ключ показан один раз, сохраните его сейчас / "
        f"API client {client.id} created; the key is shown once, store it now",
        err=True,
    )
    typer.echo(token)


@apikeys_app.command("list")
def list_(ctx: typer.Context) -> None:
    """List clients: id, name, scopes, purposes, last use, revocation."""
    with opened(ctx) as opeka, read_only(opeka.data_engine) as conn:
        clients = apikeys.list_clients(conn)
    typer.echo("id / ид\tname / имя\tscopes / права\tpurposes / цели\tlast used\trevoked")
    for client in clients:
        used = f"{client.last_used_at:%Y-%m-%d %H:%M}Z" if client.last_used_at else "-"
        revoked = f"{client.revoked_at:%Y-%m-%d %H:%M}Z" if client.revoked_at else "-"
        scopes = ",".join(sorted(client.scopes))
        purposes = ",".join(sorted(client.purposes)) or "-"
        typer.echo(f"{client.id}\t{client.name}\t{scopes}\t{purposes}\t{used}\t{revoked}")


@apikeys_app.command("revoke")
def revoke(
    ctx: typer.Context,
    client_id: Annotated[str, typer.Argument(metavar="ID", help="The client's id (16 hex).")],
) -> None:
    """Revoke a client: its key stops working at once."""
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        client = apikeys.revoke(uow.data, client_id=client_id)
    typer.echo(f"API-клиент {client.id} отозван / API client {client.id} revoked")
