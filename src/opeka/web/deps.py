"""Shared FastAPI dependencies: the wired Opeka, and the unit of work the request owns.

The unit of work commits after the route function returns and before the response is sent
(``scope="function"``), so a client never sees a success whose change could still be lost, and
rolls back (journaling refusals) when the route raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from opeka.app import Opeka
from opeka.uow import UnitOfWork


def get_opeka(request: Request) -> Opeka:
    """The application's :class:`Opeka`."""
    opeka: Opeka = request.app.state.opeka
    return opeka


OpekaDep = Annotated[Opeka, Depends(get_opeka)]


def unit_of_work(opeka: OpekaDep) -> Iterator[UnitOfWork]:
    """One unit of work per request: commit on success, roll back on error."""
    with opeka.unit_of_work() as uow:
        yield uow


UowDep = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]


def client_ip(request: Request) -> str:
    """The peer address (behind a trusted proxy, uvicorn's --proxy-headers sets it)."""
    return request.client.host if request.client else "0.0.0.0"  # noqa: S104  (a key, not a bind)
