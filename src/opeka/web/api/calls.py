"""Who calls and for what: the API key's scope, the stated purpose, the idempotency key.

Routes declare one dependency, which is a :class:`~opeka.web.principals.RequireScope`:

- :class:`RequirePurpose` — the key holds the scope and may state the purpose given in
  ``X-Opeka-Purpose`` (a purpose of the policy); a refused purpose is journaled, like the
  spine's own refusals, in the request's unit of work (kept although it rolls back);
- :class:`RequireWrite` — the same, plus the ``Idempotency-Key`` of a write: the key is claimed
  first in the unit of work (:mod:`opeka.idempotency`), and a repeated request is answered
  with the stored response (:class:`Replay`, turned into the response by
  :class:`~opeka.web.api.routing.ApiRoute`).

The journal names the caller ``api:<client id>``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial
from typing import Annotated

from fastapi import Depends, Header, Request
from pydantic import BaseModel
from starlette.responses import JSONResponse

from opeka import idempotency
from opeka.auth import apikeys
from opeka.auth.apikeys import ApiClient, Scope
from opeka.auth.errors import PurposeDenied
from opeka.journal.entry import Action, Record, Result, now_us
from opeka.policy.errors import PolicyRefusal, UnknownPurpose
from opeka.processing.actor import Actor
from opeka.processing.journaled_reads import Defer
from opeka.uow import UnitOfWork
from opeka.web.deps import UowDep
from opeka.web.keys import web_key
from opeka.web.principals import RequireScope, api_client
from opeka.web.problems import Problem, ProblemError

PURPOSE_HEADER = "X-Opeka-Purpose"
KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"

PurposeHeader = Annotated[
    str,
    Header(
        alias=PURPOSE_HEADER,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.]+$",
        description="Цель обработки из раздела 2.2 политики, разрешённая API-ключу / "
        "the purpose of processing (a purpose id of the policy the API key may state)",
        examples=["2.2.7", "legal.subject_rights"],
    ),
]
KeyHeader = Annotated[
    str,
    Header(
        alias=KEY_HEADER,
        min_length=1,
        max_length=200,
        pattern=r"^[!-~]+$",
        description="Ключ идемпотентности (1–200 видимых символов ASCII; новый для каждой "
        "операции) / a fresh key per operation: a retry with it never repeats the operation",
        examples=["5f0c7d52-3a4e-4c1b-9a0e-2d6f8b1e7c11"],
    ),
]


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated API client and the purpose it stated."""

    client: ApiClient
    purpose: str

    @property
    def actor(self) -> Actor:
        """The journal's name for the client."""
        return Actor("api", self.client.id)


@dataclass(frozen=True, slots=True)
class Writer(Caller):
    """A caller of a write that holds its idempotency key."""

    key_digest: bytes


class Replay(Exception):
    """The request repeats an earlier one: answer with the stored response."""

    def __init__(self, stored: idempotency.Stored) -> None:
        self.stored = stored
        super().__init__("replay")

    def response(self) -> JSONResponse:
        """The stored response, marked as replayed."""
        return JSONResponse(
            self.stored.body, status_code=self.stored.status, headers={REPLAYED_HEADER: "true"}
        )


def _idempotency_secret(request: Request) -> bytes:
    return web_key(request.app.state.opeka.master, "idempotency")


async def request_fingerprint(request: Request) -> bytes:
    """The keyed hash of the request (method, path, query, canonical JSON body)."""
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    body = await request.body()
    return idempotency.fingerprint(
        _idempotency_secret(request), method=request.method, path=path, body=body
    )


def _path_subject(request: Request) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(request.path_params.get("subject_id")))
    except ValueError:
        return None


def check_purpose(
    uow: UnitOfWork,
    client: ApiClient,
    *,
    scope: Scope,
    action: Action,
    purpose: str,
    subject_id: uuid.UUID | None,
) -> None:
    """Refuse (and journal) a purpose the policy does not declare or the key may not state."""
    rules = uow.services.rules
    declared = rules.policy.purposes.get(purpose)
    try:
        if declared is None:
            raise UnknownPurpose(
                "the stated purpose is not declared in the policy; state one of section 2.2",
                clause="2.2",
                message_ru="указанная цель не объявлена в политике; укажите цель из раздела 2.2",
            )
        apikeys.require(client, scope, purpose=purpose)
    except (PolicyRefusal, PurposeDenied) as exc:
        code = exc.code if isinstance(exc, PolicyRefusal) else "purpose_denied"
        uow.refuse(
            Record(
                time_us=now_us(),
                actor=str(Actor("api", client.id)),
                action=action,
                subject_id=subject_id,
                fields=(),
                purpose=purpose if declared is not None else "",
                basis=rules.basis(declared).article if declared is not None else "",
                reason=f"{code}: цель не разрешена API-ключу или не объявлена в политике",
                result=Result.REFUSED,
            )
        )
        raise


def read_caller(
    uow: UnitOfWork,
    defer: Defer,
    *,
    authorization: str,
    scope: Scope,
    purpose: str,
    subject_id: uuid.UUID | None,
) -> Caller:
    """:class:`RequirePurpose` for a journaled read (:mod:`opeka.processing.journaled_reads`).

    Checks the key in the read-only unit of work and hands its "last used" stamp to ``defer``.
    """
    client = api_client(uow.data, authorization, scope, touch=False)
    if apikeys.needs_touch(client):
        defer(partial(apikeys.stamp, client_id=client.id))
    check_purpose(
        uow, client, scope=scope, action=Action.EXTRACT, purpose=purpose, subject_id=subject_id
    )
    return Caller(client, purpose)


class RequirePurpose(RequireScope):
    """Dependency: a key holding ``scope`` that may state the purpose of ``X-Opeka-Purpose``."""

    def __init__(self, scope: Scope, action: Action) -> None:
        super().__init__(scope)
        self.action = action

    def __call__(  # type: ignore[override]
        self, request: Request, uow: UowDep, purpose: PurposeHeader
    ) -> Caller:
        client = super().__call__(request, uow)
        check_purpose(
            uow,
            client,
            scope=self.scope,
            action=self.action,
            purpose=purpose,
            subject_id=_path_subject(request),
        )
        return Caller(client, purpose)


_KEY_REUSED = 422
_KEY_IN_USE = 409


class RequireWrite(RequirePurpose):
    """Dependency: :class:`RequirePurpose` for a write, which claims its ``Idempotency-Key``."""

    def __call__(  # type: ignore[override]
        self,
        request: Request,
        uow: UowDep,
        purpose: PurposeHeader,
        key: KeyHeader,
        fingerprint: Annotated[bytes, Depends(request_fingerprint)],
    ) -> Writer:
        caller = super().__call__(request, uow, purpose)
        digest = idempotency.key_digest(_idempotency_secret(request), key)
        try:
            stored = idempotency.claim(
                uow.data, client_id=caller.client.id, key_digest=digest, fingerprint=fingerprint
            )
        except idempotency.IdempotencyError as exc:
            reused = isinstance(exc, idempotency.KeyReused)
            raise ProblemError(
                Problem(
                    _KEY_REUSED if reused else _KEY_IN_USE,
                    "idempotency_key_reused" if reused else "idempotency_key_in_use",
                    "Ключ идемпотентности уже использован" if reused else "Запрос ещё выполняется",
                    "Idempotency key reused" if reused else "Request in progress",
                    exc.message_ru,
                    exc.message,
                )
            ) from None
        if stored is not None:
            raise Replay(stored)
        return Writer(caller.client, caller.purpose, digest)


def answer(uow: UnitOfWork, writer: Writer, body: BaseModel, *, status: int = 200) -> JSONResponse:
    """Answer a write with ``body`` and store it under the writer's idempotency key."""
    payload = body.model_dump(mode="json")
    idempotency.complete(
        uow.data,
        client_id=writer.client.id,
        key_digest=writer.key_digest,
        status=status,
        body=payload,
    )
    return JSONResponse(payload, status_code=status)
