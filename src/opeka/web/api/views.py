"""Domain objects as API responses (ids, statuses, dates: no personal data)."""

from __future__ import annotations

from opeka.consent.store import ConsentRecord
from opeka.requests.store import RequestRow
from opeka.web.api.schemas import ConsentEvent, RequestStatus


def request_status(row: RequestRow) -> RequestStatus:
    """A request's status and deadline."""
    return RequestStatus(
        id=row.id,
        number=row.number,
        kind=row.kind.value,
        channel=row.channel.value,
        status=row.status.value,
        subject_id=row.subject_id,
        received_at=row.received_at,
        due_date=row.due_date,
        effective_due=row.effective_due,
        closed_at=row.closed_at,
    )


def consent_event(record: ConsentRecord) -> ConsentEvent:
    """One consent record, without its evidence."""
    return ConsentEvent(
        record_id=record.id,
        event=record.event.value,
        purpose=record.purpose,
        document_id=record.document_id,
        document_version=record.document_version,
        channel=record.channel,
        recorded_at=record.recorded_at,
    )
