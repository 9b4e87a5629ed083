"""The ``opeka`` command: a Typer sub-app per domain, all calling the same services as the web.

Every command is one unit of work. Errors are one line on stderr and a non-zero exit code
(see :mod:`opeka.cli.errors`), never a traceback.
"""

from __future__ import annotations

from opeka.cli.main import app, main

__all__ = ["app", "main"]
