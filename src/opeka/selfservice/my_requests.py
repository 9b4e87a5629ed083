"""«Мои запросы»: the signed-in subject's requests — number, kind, dates, deadline, status.

Whatever the channel (the portal, the API, paper registered by staff), every request matched to
the subject is listed, newest first, with the deadline in force (the extended one after a
reasoned extension). Only structured columns are read: no notes of staff, no personal data.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, select

from opeka.db.requests import subject_request
from opeka.policy.schema import Text
from opeka.requests.clock import day_of_receipt, moscow_date
from opeka.requests.kinds import KINDS, RequestKind
from opeka.requests.states import OPEN, STATUS_TITLES_RU, RequestStatus

__all__ = ["STATUS_TITLES", "MyRequest", "my_requests"]

STATUS_EN: Mapping[RequestStatus, str] = {
    RequestStatus.RECEIVED: "received",
    RequestStatus.VERIFIED: "identity confirmed",
    RequestStatus.IN_PROGRESS: "in progress",
    RequestStatus.DONE: "answered",
    RequestStatus.REFUSED: "refused",
}
STATUS_TITLES: Mapping[RequestStatus, Text] = {
    status: Text(ru=STATUS_TITLES_RU[status], en=STATUS_EN[status]) for status in RequestStatus
}


@dataclass(frozen=True, slots=True)
class MyRequest:
    """One request as the subject sees it."""

    number: str
    kind: RequestKind
    kind_title: Text
    received: dt.date
    due: dt.date
    extended: bool
    status: RequestStatus
    status_title: Text
    closed: dt.date | None

    @property
    def open(self) -> bool:
        """True while the request is still to be answered."""
        return self.status in OPEN


def my_requests(conn: Connection, *, subject_id: uuid.UUID) -> list[MyRequest]:
    """The subject's requests, newest first."""
    r = subject_request.c
    rows = conn.execute(
        select(
            r.number, r.kind, r.received_at, r.due_date, r.extended_due_date, r.status, r.closed_at
        )
        .where(r.subject_id == subject_id)
        .order_by(r.received_at.desc(), r.number.desc())
    )
    found = []
    for row in rows:
        kind, status = RequestKind(row.kind), RequestStatus(row.status)
        spec = KINDS[kind]
        found.append(
            MyRequest(
                number=row.number,
                kind=kind,
                kind_title=Text(ru=spec.title_ru, en=spec.title_en),
                received=day_of_receipt(row.received_at),
                due=row.extended_due_date or row.due_date,
                extended=row.extended_due_date is not None,
                status=status,
                status_title=STATUS_TITLES[status],
                closed=moscow_date(row.closed_at) if row.closed_at else None,
            )
        )
    return found
