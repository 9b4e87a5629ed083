"""The state machine of a request.

::

    received ──verify──▶ verified ──start──▶ in_progress ──complete──▶ done
        │                    │                    │
        └────────────────────┴───────refuse───────┴──────────────────▶ refused

A request is executed only for a verified requester: ``received`` cannot go to ``in_progress``
or ``done``. ``done`` and ``refused`` are final. A refusal is allowed from every open status
(e.g. the requester's identity could not be confirmed); it carries a reasoned text.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from opeka.requests.errors import NotVerified, TransitionRefused

__all__ = ["ALLOWED", "OPEN", "STATUS_TITLES_RU", "RequestStatus", "check_transition"]


class RequestStatus(StrEnum):
    """Where a request stands."""

    RECEIVED = "received"
    VERIFIED = "verified"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REFUSED = "refused"


ALLOWED: Mapping[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.RECEIVED: frozenset({RequestStatus.VERIFIED, RequestStatus.REFUSED}),
    RequestStatus.VERIFIED: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.REFUSED}),
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.DONE, RequestStatus.REFUSED}),
    RequestStatus.DONE: frozenset(),
    RequestStatus.REFUSED: frozenset(),
}

OPEN = frozenset({RequestStatus.RECEIVED, RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS})
"""Statuses of a request still to be answered."""

STATUS_TITLES_RU: Mapping[RequestStatus, str] = {
    RequestStatus.RECEIVED: "получен",
    RequestStatus.VERIFIED: "личность подтверждена",
    RequestStatus.IN_PROGRESS: "исполняется",
    RequestStatus.DONE: "исполнен",
    RequestStatus.REFUSED: "отказано",
}


def check_transition(current: RequestStatus, target: RequestStatus) -> None:
    """Return quietly if ``current → target`` is allowed; raise a typed error otherwise.

    :class:`NotVerified` when an unverified request would be executed;
    :class:`TransitionRefused` for any other step the machine does not allow.
    """
    if target in ALLOWED[current]:
        return
    message = f"a request cannot go from {current} to {target}"
    message_ru = (
        f"запрос со статусом «{STATUS_TITLES_RU[current]}» нельзя перевести "
        f"в статус «{STATUS_TITLES_RU[target]}»"
    )
    if current is RequestStatus.RECEIVED and target in (
        RequestStatus.IN_PROGRESS,
        RequestStatus.DONE,
    ):
        raise NotVerified(
            message + ": the requester's identity is not verified",
            message_ru=message_ru + ": личность заявителя не подтверждена",
            current=current,
            target=target,
        )
    raise TransitionRefused(message, message_ru=message_ru, current=current, target=target)
