"""``opeka init``, ``opeka migrate`` and ``opeka serve``."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from opeka.app import make_engines
from opeka.cli.context import opened, settings
from opeka.db import migrate as migrations
from opeka.ops import logs
from opeka.ops.init import initialise
from opeka.web.app import create_app
from opeka.web.cookies_demo import demo_app


def init(
    ctx: typer.Context,
    if_needed: Annotated[
        bool, typer.Option("--if-needed", help="Say nothing when everything already exists.")
    ] = False,
) -> None:
    """Create the data directory, keys and databases (migrated); safe to run again."""
    conf = settings(ctx)
    report = initialise(conf)
    logs.configure(conf).info("init: made %d, kept %d", len(report.made), len(report.kept))
    if if_needed and not report.made:
        return
    typer.echo(f"Opeka data directory: {conf.data_dir.resolve()}")
    for item in report.made:
        typer.echo(f"  created  {item}")
    for item in report.kept:
        typer.echo(f"  kept     {item}")
    if any("master key" in m and "0600" in m for m in report.made):
        typer.echo(
            "Back up keys/master.key and keys/journal-signing.key apart from the database: "
            "without them the data cannot be read and the journal cannot be extended."
        )


def migrate(ctx: typer.Context) -> None:
    """Upgrade the database and the key store to the newest schema."""
    conf = settings(ctx)
    conf.check_safe()
    data, keys = make_engines(conf)
    try:
        for store, engine in migrations.stores(data, keys):
            migrations.upgrade(engine, store)
            typer.echo(f"{store}: at {migrations.current_revision(engine, store)}")
    finally:
        data.dispose()
        keys.dispose()


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Also serve the demo shop at /demo/.")
    ] = False,
) -> None:
    """Serve the web application (portal, console, API, cookie banner) with uvicorn."""
    conf = settings(ctx)
    with opened(ctx) as opeka:
        app = demo_app(opeka) if demo else create_app(opeka)
        base = f"http://{host or conf.host}:{port or conf.port}"
        typer.echo(f"Opeka on {base}/portal/  {base}/console/  {base}/policy")
        if demo:
            typer.echo(f"Demo shop: {base}/demo/")
        uvicorn.run(app, host=host or conf.host, port=port or conf.port, access_log=False)
