"""Map exceptions to one-line messages and exit codes for the CLI.

Exit codes: 1 — the input or the request is wrong (the message says what to fix);
2 — usage (Typer's own); 3 — refused by the policy; 4 — integrity failure (journal, keys);
5 — environment (database, files) not ready.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer

EXIT_INPUT = 1
EXIT_REFUSED = 3
EXIT_INTEGRITY = 4
EXIT_ENVIRONMENT = 5


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Print ``message`` as one line on stderr and exit with ``code``."""
    one_line = " ".join(message.split())
    typer.echo(f"opeka: error: {one_line}", err=True)
    raise typer.Exit(code)


Handler = Callable[[Exception], tuple[str, int] | None]
_HANDLERS: list[Handler] = []


def register_handler(handler: Handler) -> Handler:
    """Register a function that maps some exceptions to (message, exit code)."""
    _HANDLERS.append(handler)
    return handler


P = ParamSpec("P")
R = TypeVar("R")


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so that any error becomes one line and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with one_line_errors():
            return command(*args, **kwargs)
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


class OpekaTyper(typer.Typer):
    """A Typer whose commands all report errors as one line (see :func:`guarded`)."""

    def command(  # type: ignore[override]  # same call, wrapped result
        self, *args: Any, **kwargs: Any
    ) -> Callable[[Callable[P, R]], Callable[P, R]]:
        register = super().command(*args, **kwargs)

        def decorator(function: Callable[P, R]) -> Callable[P, R]:
            register(guarded(function))
            return function

        return decorator


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Turn any known error into a one-line message; unknown ones too, without a traceback."""
    try:
        yield
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except BrokenPipeError:
        # The reader went away (`… | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(141) from None
    except Exception as exc:  # the CLI boundary: nothing reaches the user as a traceback
        for handler in _HANDLERS:
            mapped = handler(exc)
            if mapped is not None:
                fail(*mapped)
        if os.environ.get("OPEKA_DEBUG"):
            raise
        fail(f"unexpected {type(exc).__name__}; run again with OPEKA_DEBUG=1 for details", 70)
