"""The root ``opeka`` Typer app; each domain adds its sub-app here."""

from __future__ import annotations

import opeka.cli.handlers  # noqa: F401  (registers the error mapping)
from opeka.cli import setup
from opeka.cli.apikeys import apikeys_app
from opeka.cli.consent import consent_app
from opeka.cli.documents import documents_app
from opeka.cli.errors import OpekaTyper, one_line_errors
from opeka.cli.journal import journal_app
from opeka.cli.policy import policy_app
from opeka.cli.requests import requests_app
from opeka.cli.staff import staff_app
from opeka.cli.subjects import subjects_app

app = OpekaTyper(
    name="opeka",
    help="Opeka — personal data under 152-FZ: policy, encrypted vault, journal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(setup.init)
app.command()(setup.migrate)
app.command()(setup.serve)
app.add_typer(policy_app, name="policy")
app.add_typer(subjects_app, name="subjects")
app.add_typer(journal_app, name="journal")
app.add_typer(consent_app, name="consent")
app.add_typer(requests_app, name="requests")
app.add_typer(staff_app, name="staff")
app.add_typer(apikeys_app, name="apikeys")
app.add_typer(documents_app, name="documents")


def main() -> None:
    """Console-script entry point."""
    with one_line_errors():
        app(standalone_mode=True)
