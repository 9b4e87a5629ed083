"""``opeka policy check|render``: validate the policy file, write the published policy text."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from opeka.cli.errors import EXIT_ENVIRONMENT, EXIT_INPUT, OpekaTyper, fail
from opeka.policy.loader import DEFAULT_POLICY_PATH, check_policy_file, load_policy
from opeka.policy.render import render_policy

policy_app = OpekaTyper(help="Check and render the policy file.", no_args_is_help=True)


class TextFormat(StrEnum):
    """Formats of the rendered policy."""

    MD = "md"
    HTML = "html"


PolicyFile = Annotated[
    Path | None,
    typer.Argument(help="Policy file (default: policies/km-assistance.yaml).", show_default=False),
]


@policy_app.command("check")
def check(file: PolicyFile = None) -> None:
    """Validate a policy file; print each problem as file:line: path: message."""
    path = file or _shown(DEFAULT_POLICY_PATH)
    policy, problems = check_policy_file(path)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems or policy is None:
        raise typer.Exit(EXIT_INPUT)
    typer.echo(
        f"OK: {path} — {len(policy.fields)} fields, "
        f"{len(policy.subject_categories)} subject categories, {len(policy.purposes)} purposes"
    )


@policy_app.command("render")
def render(
    policy_file: Annotated[
        Path | None,
        typer.Option("--policy", help="Policy file (default: policies/km-assistance.yaml)."),
    ] = None,
    fmt: Annotated[TextFormat, typer.Option("--format", help="Output format.")] = TextFormat.MD,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Write the privacy policy text (Russian) generated from the policy file."""
    path = policy_file or _shown(DEFAULT_POLICY_PATH)
    policy = load_policy(path)  # a PolicyFileError becomes one line (opeka.cli.handlers)
    text = render_policy(policy, fmt="html" if fmt is TextFormat.HTML else "md")
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or type(exc).__name__}", EXIT_ENVIRONMENT)
    typer.echo(f"Written: {output}", err=True)


def _shown(path: Path) -> Path:
    """``path`` relative to the working directory when it lies below it, as people type it."""
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path
