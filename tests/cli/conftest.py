"""Fixtures of the CLI tests: the ``opeka`` command bound to a test's settings."""

from __future__ import annotations

import pytest
from tests.cli.support import Cli, cli_env

from opeka.app import Opeka
from opeka.settings import Settings


@pytest.fixture
def bare_cli(settings: Settings) -> Cli:
    """``opeka`` on a data directory and database that are not initialised yet."""
    return Cli(cli_env(settings))


@pytest.fixture
def cli(opeka: Opeka) -> Cli:
    """``opeka`` on an initialised store (``opeka`` gives the test direct access to it)."""
    return Cli(cli_env(opeka.settings))
