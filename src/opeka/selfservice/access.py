"""«Получить копию моих данных»: the portal's access request and its one-time downloads.

The subject's right of access (152-FZ art. 14 p. 7) is answered as a request like any other, so
that it is registered, has a deadline, and shows in the console's queue:

* :func:`request_copy` opens an access request through the portal channel, verified by the
  signed-in session, takes it into work and issues two one-time links (JSON and PDF, 24 hours,
  :mod:`opeka.documents.downloads`). Nothing is generated in advance, nothing is mailed. While
  an access request of the portal is still open, asking again issues new links for it instead
  of opening another.
* :func:`download` redeems a link for the signed-in subject only, builds the package through the
  spine under ``legal.subject_rights`` (:func:`opeka.documents.access_package.build`, journaled
  as извлечение), renders it, and completes the open access request on the first download.

Both take the caller's unit of work and commit nothing. A link of another subject is refused as
an unknown one (:class:`~opeka.documents.errors.TokenInvalid`) after it was claimed: the
caller's unit of work rolls back on the error, which gives the link back to its owner.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from opeka.db.base import utcnow
from opeka.db.requests import subject_request
from opeka.documents import access_package, downloads
from opeka.documents.downloads import DownloadKind
from opeka.documents.errors import TokenInvalid
from opeka.processing.actor import Actor
from opeka.processing.service import Processing
from opeka.requests import service, store
from opeka.requests.journaling import DUTY
from opeka.requests.kinds import Channel, RequestKind, VerificationMethod
from opeka.requests.states import OPEN, RequestStatus
from opeka.requests.store import RequestRow
from opeka.selfservice.consents import subject_actor
from opeka.uow import UnitOfWork

__all__ = ["EXECUTOR", "AccessLinks", "Download", "download", "request_copy"]

EXECUTOR = Actor.system("portal-requests")
FORMATS: dict[DownloadKind, tuple[str, str]] = {
    DownloadKind.ACCESS_JSON: ("json", "application/json; charset=utf-8"),
    DownloadKind.ACCESS_PDF: ("pdf", "application/pdf"),
}


@dataclass(frozen=True, slots=True, repr=False)
class AccessLinks:
    """The access request and its one-time download tokens (secrets: shown once, never kept)."""

    number: str
    due: dt.date
    json_token: str
    pdf_token: str
    expires_at: dt.datetime

    def __repr__(self) -> str:
        return f"AccessLinks({self.number}, <tokens hidden>)"


@dataclass(frozen=True, slots=True, repr=False)
class Download:
    """A rendered access package (``body`` holds personal data)."""

    kind: DownloadKind
    body: bytes
    media_type: str
    filename: str
    completed: str | None  # the number of the request this download answered, if any

    def __repr__(self) -> str:
        return f"Download({self.kind}, {len(self.body)} bytes)"


def _open_access(conn: Connection, subject_id: uuid.UUID) -> list[RequestRow]:
    r = subject_request.c
    ids = conn.execute(
        select(r.id)
        .where(
            r.subject_id == subject_id,
            r.kind == RequestKind.ACCESS.value,
            r.channel == Channel.PORTAL.value,
            r.status.in_(sorted(s.value for s in OPEN)),
        )
        .order_by(r.received_at)
    ).scalars()
    return [store.require(conn, request_id) for request_id in ids]


def _in_progress(uow: UnitOfWork, row: RequestRow, subject: Actor) -> RequestRow:
    """Bring the request to ``in_progress``: verified by the session, taken by the portal."""
    if row.status is RequestStatus.RECEIVED:
        row = service.verify(
            uow,
            request_id=row.id,
            method=VerificationMethod.PORTAL_SESSION,
            evidence=None,
            actor=subject,
        )
    if row.status is RequestStatus.VERIFIED:
        row = service.start(uow, request_id=row.id, actor=EXECUTOR)
    return row


def request_copy(
    uow: UnitOfWork, *, subject_id: uuid.UUID, now: dt.datetime | None = None
) -> AccessLinks:
    """Open (or reuse) the subject's access request and issue its JSON and PDF links."""
    now = now or utcnow()
    subject = subject_actor(subject_id)
    found = _open_access(uow.data, subject_id)
    row = found[-1] if found else None
    if row is None:
        row = service.open_request(
            uow,
            kind=RequestKind.ACCESS,
            channel=Channel.PORTAL,
            received_at=now,
            subject_id=subject_id,
            actor=subject,
            now=now,
        )
    row = _in_progress(uow, row, subject)
    tokens = {
        kind: downloads.issue(uow.data, subject_id=subject_id, kind=kind, now=now)
        for kind in FORMATS
    }
    return AccessLinks(
        number=row.number,
        due=row.effective_due,
        json_token=tokens[DownloadKind.ACCESS_JSON],
        pdf_token=tokens[DownloadKind.ACCESS_PDF],
        expires_at=now + downloads.TTL,
    )


def _redeem(conn: Connection, token: str, now: dt.datetime) -> tuple[DownloadKind, uuid.UUID]:
    """Claim a link of either kind (a link of the other kind is refused without a change)."""
    try:
        owner = downloads.redeem(conn, token=token, kind=DownloadKind.ACCESS_JSON, now=now)
    except TokenInvalid:
        owner = downloads.redeem(conn, token=token, kind=DownloadKind.ACCESS_PDF, now=now)
        return DownloadKind.ACCESS_PDF, owner
    return DownloadKind.ACCESS_JSON, owner


def _complete(uow: UnitOfWork, subject_id: uuid.UUID, extension: str) -> str | None:
    done = None
    for row in _open_access(uow.data, subject_id):
        if row.status is RequestStatus.IN_PROGRESS:
            service.complete(
                uow,
                request_id=row.id,
                result=f"сведения предоставлены: пакет скачан в личном кабинете ({extension})",
                actor=EXECUTOR,
            )
            done = row.number
    return done


def download(
    uow: UnitOfWork,
    *,
    subject_id: uuid.UUID,
    token: str,
    font_dir: Path,
    now: dt.datetime | None = None,
) -> Download:
    """Redeem the subject's link, build and render the package, answer the open request.

    Raises :class:`TokenInvalid` (unknown, malformed, or another subject's link),
    :class:`~opeka.documents.errors.TokenExpired` or :class:`~opeka.documents.errors.TokenUsed`.
    """
    kind, owner = _redeem(uow.data, token, now or utcnow())
    if owner != subject_id:
        raise TokenInvalid  # the caller's unit of work rolls back: the link stays its owner's
    package = access_package.build(Processing(uow, subject_actor(subject_id), DUTY), subject_id)
    extension, media_type = FORMATS[kind]
    if kind is DownloadKind.ACCESS_PDF:
        body = access_package.to_pdf(package, font_dir=font_dir)
    else:
        body = access_package.to_json(package)
    return Download(
        kind=kind,
        body=body,
        media_type=media_type,
        filename=f"my-personal-data.{extension}",
        completed=_complete(uow, subject_id, extension.upper()),
    )
