"""The API's route class and the problem responses its operations document.

:class:`ApiRoute` answers a :class:`~opeka.web.api.calls.Replay` with the stored response, and
strips request validation errors of anything the client sent: the location of an error inside a
JSON object is named by its key, and a key is client input (a mistyped request could use an
e-mail as a key), so only keys the API itself defines — model fields and the policy's field
codes — are named; any other is shown as ``*``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from fastapi import Depends
from fastapi.exceptions import RequestValidationError
from fastapi.params import Depends as DependsParam
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from opeka.web.api.calls import Replay

PROBLEM_MEDIA_TYPE = "application/problem+json"
_LOCATIONS = frozenset({"body", "query", "header", "path", "cookie"})
_DESCRIPTIONS = {
    400: "Тело запроса не читается как JSON в UTF-8 / the body is not JSON in UTF-8",
    401: "Нет API-ключа, ключ неверен или отозван / no, a wrong or a revoked API key",
    403: "Права ключа, цель или политика не позволяют (clause — пункт политики) / "
    "refused by the key's scopes or purposes, or by the policy (clause names it)",
    404: "Не найдено / not found",
    409: "Конфликт: повторите позже или исправьте состояние / conflict: retry later",
    422: "Неверные данные; detail говорит, что исправить / invalid input; detail says what to fix",
}


BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    bearerFormat="opk_<id>_<secret>",
    description="API-ключ (консоль или `opeka apikeys create`) / an API key",
)
"""Documents the API key in OpenAPI (:class:`~opeka.web.principals.RequireScope` checks it)."""


def documented_key() -> list[DependsParam]:
    """Router dependencies that mark every operation as needing the API key."""
    return [Depends(BEARER)]


class ProblemBody(BaseModel):
    """An RFC 9457 problem: Russian title and detail, English ``*_en``, the policy clause."""

    type: str
    status: int
    title: str
    title_en: str
    detail: str | None = None
    detail_en: str | None = None
    clause: str | None = None
    instance: str | None = None


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entry documenting these problem statuses."""
    ref = {"$ref": "#/components/schemas/ProblemBody"}
    return {
        status: {
            "model": ProblemBody,
            "description": _DESCRIPTIONS[status],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": ref}},
        }
        for status in statuses
    }


def safe_names(models: Iterable[type[BaseModel]], extra: Iterable[str] = ()) -> frozenset[str]:
    """Field names (and aliases) of ``models`` and their nested models, plus ``extra``."""
    names: set[str] = set(extra) | _LOCATIONS
    pending = list(models)
    while pending:
        model = pending.pop()
        for name, field in model.model_fields.items():
            names.update(n for n in (name, field.alias) if n)
            names.update(n.lower() for n in (name, field.alias) if n)
            annotation = field.annotation
            for arg in (annotation, *getattr(annotation, "__args__", ())):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    pending.append(arg)
    return frozenset(names)


def _clean(errors: Iterable[Any], safe: frozenset[str]) -> list[dict[str, Any]]:
    cleaned = []
    for error in errors:
        loc = tuple(part if isinstance(part, int) or part in safe else "*" for part in error["loc"])
        cleaned.append({"type": error["type"], "loc": loc, "msg": "invalid"})
    return cleaned


def api_route_class(safe: frozenset[str]) -> type[APIRoute]:
    """An :class:`ApiRoute` naming only ``safe`` keys in validation errors."""

    class ApiRoute(APIRoute):
        """Replays stored responses; validation errors never echo client input."""

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def route(request: Request) -> Response:
                try:
                    return await handler(request)
                except Replay as replay:
                    return replay.response()
                except RequestValidationError as exc:
                    raise RequestValidationError(_clean(exc.errors(), safe)) from None

            return route

    return ApiRoute
