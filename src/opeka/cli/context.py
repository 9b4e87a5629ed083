"""Settings and the wired Opeka for CLI commands, built once per invocation."""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError

from opeka.app import Opeka
from opeka.cli.errors import fail
from opeka.ops import logs
from opeka.ops.recovery import reconcile
from opeka.processing.actor import Actor
from opeka.settings import Settings


def settings_from_env() -> Settings:
    """Read the settings; a bad variable is a one-line error naming it."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "OPEKA_" + "_".join(str(p) for p in first["loc"]).upper()
        fail(f"{name}: {first['msg']}")


def settings(ctx: typer.Context) -> Settings:
    """The invocation's settings (read from the environment on first use)."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = settings_from_env()
    return root.obj


@contextmanager
def opened(ctx: typer.Context) -> Iterator[Opeka]:
    """A wired Opeka for one command, recovered from any interrupted work first."""
    conf = settings(ctx)
    logs.configure(conf)
    opeka = Opeka(conf)
    try:
        report = reconcile(opeka)
        if report.keys_shredded or report.checkpoints_appended or report.orphan_keys_removed:
            logs.get("recovery").info("finished interrupted work: %s", report)
        yield opeka
    finally:
        opeka.close()


def cli_actor(name: str | None) -> Actor:
    """The actor for a CLI command: ``--actor`` or the operating-system user."""
    raw = name or getpass.getuser()
    return Actor.cli(re.sub(r"[^A-Za-z0-9_.:@-]", "_", raw)[:64] or "unknown")
