"""The subject read's fast path: ``GET /api/v1/subjects/{id}`` answered in front of the router.

Reading a subject's values is the API's hottest call. The framework's router tries the
application's routes one by one (the portal, console and API make about 180, which costs
≈ 0.3 ms a request on the bench machine, three times a whole bare Starlette endpoint), so this
plain ASGI middleware answers a well-formed read itself — through the same function as the route
(:func:`opeka.web.api.subjects.read_values` in a journaled read), with the same status, body,
problems and security headers. Anything it does not recognise exactly (another method or path,
an id not in canonical form, a missing or malformed ``X-Opeka-Purpose``, a query other than one
well-formed ``fields``) passes on to the route, which answers it — validation errors included.

    app.add_middleware(SubjectReadFastPath, opeka=opeka)   # inside SecurityHeaders
"""

from __future__ import annotations

import re
import uuid
from functools import partial
from urllib.parse import parse_qsl

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from opeka.app import Opeka
from opeka.web.api.subjects import read_values
from opeka.web.problems import from_exception, problem_json

PATH = re.compile(
    r"^/api/v1/subjects/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
PURPOSE = re.compile(rb"^[A-Za-z0-9_.]{1,64}$")
FIELDS = re.compile(r"^[a-z0-9_, ]{0,2000}$")
"""The route's own constraints on the purpose header and the ``fields`` query (see calls.py,
subjects.py); a request outside them goes to the route, which explains the error."""


def _fields(query: bytes) -> tuple[bool, str | None]:
    """(handled, fields): the query holds nothing, or exactly one well-formed ``fields``."""
    if not query:
        return True, None
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    if len(pairs) != 1 or pairs[0][0] != "fields" or not FIELDS.match(pairs[0][1]):
        return False, None
    return True, pairs[0][1]


def _headers(scope: Scope) -> tuple[str, bytes | None]:
    """The first ``Authorization`` header, and the purpose when it is sent exactly once."""
    authorization: bytes | None = None
    purposes: list[bytes] = []
    for name, value in scope["headers"]:
        if name == b"authorization" and authorization is None:
            authorization = value
        elif name == b"x-opeka-purpose":
            purposes.append(value)
    purpose = purposes[0] if len(purposes) == 1 and PURPOSE.match(purposes[0]) else None
    return (authorization or b"").decode("latin-1"), purpose


class SubjectReadFastPath:
    """ASGI middleware answering well-formed subject reads; everything else passes on."""

    def __init__(self, app: ASGIApp, *, opeka: Opeka) -> None:
        self.app = app
        self.opeka = opeka

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = PATH.match(scope["path"]) if scope["type"] == "http" else None
        if match is None or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        handled, fields = _fields(scope["query_string"])
        authorization, purpose = _headers(scope)
        if not handled or purpose is None:
            await self.app(scope, receive, send)
            return
        subject_id = uuid.UUID(match.group(1))
        read = partial(
            read_values,
            self.opeka.rules,
            authorization=authorization,
            purpose=purpose.decode("ascii"),
            subject_id=subject_id,
            fields=fields,
        )
        try:
            values = await self.opeka.reads.run(read)
        except Exception as exc:
            problem = from_exception(exc)
            if problem is None:
                raise  # the application's error handler answers 500
            await problem_json(problem, instance=scope["path"])(scope, receive, send)
            return
        response = JSONResponse({"id": str(subject_id), "values": values})
        await response(scope, receive, send)
