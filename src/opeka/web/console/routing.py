"""The console's route class: known domain errors are answered as pages where they happen.

The application's catch-all handler also answers them, but from outside the middleware stack,
where Starlette re-raises the exception to the server after sending the answer — a refusal
(403, 404, 409, 422, 429) would be logged as a server fault. Here it is an answer: the problem
page (Russian or English), never cached. Sign-in redirects (:class:`LoginRequired`) and
unknown errors still go to the application's handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from opeka.web.problems import from_exception, respond


class ConsoleRoute(APIRoute):
    """Answers domain errors of the route (and its dependencies) with the problem page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:
                problem = from_exception(exc)
                if problem is None:
                    raise
                response = respond(request, problem)
                response.headers["cache-control"] = "no-store"
                return response

        return route
