"""Giving consent: the append-only record, the grant and the journal entry, together.

    with opeka.unit_of_work() as uow:
        record = records.give(uow, actor=..., subject_id=sid, document_id="consent:2.2.8:client",
                              version=..., channel="portal", evidence=Evidence.collect(...))
        outcome = records.withdraw(uow, actor=..., subject_id=sid, purposes=["2.2.8"], ...)

Each call writes, in the caller's unit of work (one transaction): the consent record
(:mod:`opeka.consent.store`), the authorization grant the spine reads
(:mod:`opeka.consent.grants`), and a journal entry (action запись, see
:mod:`opeka.consent.events`). Withdrawal lives in :mod:`opeka.consent.withdrawal` and is
re-exported here. A consent refers to one published version of one document; online channels
may only consent to the current version, while a paper form or an e-mail may carry an older one
(the subject signed what it was given), which :func:`registry.reconsent_needed` then lists if
that version was superseded materially.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING

from opeka.consent import events, grants, registry, store
from opeka.consent.document_view import document_id as make_document_id
from opeka.consent.errors import (
    ConsentError,
    DocumentNotForSubject,
    DocumentSuperseded,
    UnknownDocument,
)
from opeka.consent.events import CHANNELS, OFFLINE_CHANNELS
from opeka.consent.evidence import Evidence
from opeka.consent.grants import ConsentEvidence
from opeka.consent.store import ConsentRecord, Event
from opeka.consent.withdrawal import ALL, WithdrawalOutcome, withdraw
from opeka.db.base import utcnow
from opeka.policy.errors import PolicyRefusal, SubjectDestroyed
from opeka.processing import subjects
from opeka.processing.actor import Actor
from opeka.processing.subjects import Status

if TYPE_CHECKING:
    from opeka.processing.service import Processing
    from opeka.uow import UnitOfWork

__all__ = [
    "ALL",
    "CHANNELS",
    "OFFLINE_CHANNELS",
    "ConsentRecord",
    "Evidence",
    "WithdrawalOutcome",
    "collect_with_consent",
    "give",
    "grant_evidence",
    "usable_document",
    "withdraw",
]


def usable_document(
    uow: UnitOfWork, *, document_id: str, version: str, channel: str
) -> registry.PublishedDocument:
    """The published version a consent may be given to on ``channel``, or a ConsentError."""
    events.check_document_ref(document_id, version)
    document = registry.get(uow.data, document_id, version)
    if document is None:
        raise UnknownDocument(
            f"no published consent document {document_id} version {version}",
            message_ru=f"документ согласия {document_id} версии {version} не опубликован",
        )
    if not document.current and channel not in OFFLINE_CHANNELS:
        raise DocumentSuperseded(
            f"{document_id} version {version} is superseded; show the current version",
            message_ru=f"версия {version} документа {document_id} заменена; покажите текущую",
        )
    return document


def _check_subject(
    uow: UnitOfWork, subject_id: uuid.UUID, document: registry.PublishedDocument
) -> None:
    row = subjects.load(uow.data, subject_id)
    if row.status is Status.DESTROYED:
        raise SubjectDestroyed(
            "the subject's data were destroyed",
            clause="5.3",
            message_ru="данные субъекта уничтожены",
        )
    if row.category != document.category:
        raise DocumentNotForSubject(
            f"{document.id} is written for category `{document.category}`, "
            f"not the subject's `{row.category}`",
            message_ru=f"документ {document.id} составлен для другой категории субъектов",
        )


def give(
    uow: UnitOfWork,
    *,
    actor: Actor,
    document_id: str,
    version: str,
    channel: str,
    evidence: Evidence | None = None,
    subject_id: uuid.UUID | None = None,
    visitor_id: uuid.UUID | None = None,
    language: str = "ru",
) -> ConsentRecord:
    """Record a consent to one document version by a subject or a visitor (grant + journal).

    A subject's consent needs a document of its category and a subject not destroyed (a
    blocked subject may consent again; lifting the block is the requests module's decision).
    A visitor's consent (``visitor_id``, the random id of the site's consent cookie) is recorded
    without a grant: there is no subject to authorize reads of yet.
    """
    events.check_inputs(channel, language)
    if (subject_id is None) == (visitor_id is None):
        raise ValueError("give exactly one of subject_id, visitor_id")
    try:
        document = usable_document(uow, document_id=document_id, version=version, channel=channel)
        if subject_id is not None:
            _check_subject(uow, subject_id, document)
    except (ConsentError, PolicyRefusal) as exc:
        events.refuse(uow, actor, subject_id, events.purpose_of(document_id), exc)
        raise
    record = _given(actor, document, channel, evidence, language, subject_id, visitor_id)
    _append_given(uow, record)
    return record


def _given(
    actor: Actor,
    document: registry.PublishedDocument,
    channel: str,
    evidence: Evidence | None,
    language: str,
    subject_id: uuid.UUID | None,
    visitor_id: uuid.UUID | None,
) -> ConsentRecord:
    return ConsentRecord(
        id=uuid.uuid4(),
        subject_id=subject_id,
        visitor_id=visitor_id,
        event=Event.GIVEN,
        purpose=document.purpose,
        document_id=document.id,
        document_version=document.version,
        text_hash=document.text_hash,
        channel=channel,
        evidence=evidence or Evidence(),
        language=language,
        actor=str(actor),
        recorded_at=utcnow(),
    )


def _append_given(uow: UnitOfWork, record: ConsentRecord, *, grant: bool = True) -> None:
    store.append(uow.data, record)
    sid = record.subject_id
    if (
        grant
        and sid is not None
        and not grants.has_active(uow.data, subject_id=sid, purpose=record.purpose)
    ):
        grants.record(
            uow.data, subject_id=sid, purposes=[record.purpose], evidence=grant_evidence(record)
        )
    events.journal(uow, record)


def grant_evidence(record: ConsentRecord) -> ConsentEvidence:
    """The grant's evidence: the channel and a reference to the consent record."""
    return ConsentEvidence(record.channel, f"consent_record:{record.id}")


def collect_with_consent(
    processing: Processing,
    *,
    category: str,
    values: Mapping[str, object],
    source: str,
    version: str,
    channel: str,
    evidence: Evidence | None = None,
    language: str = "ru",
) -> tuple[uuid.UUID, ConsentRecord]:
    """Collect a new subject under a consent-based purpose together with its consent record.

    The document is the current one of ``processing``'s purpose for ``category``; the spine's
    collection writes the grant, this writes the record and its journal entry.
    """
    uow, actor = processing.uow, processing.actor
    events.check_inputs(channel, language)
    try:
        document = usable_document(
            uow,
            document_id=make_document_id(processing.purpose_id, category),
            version=version,
            channel=channel,
        )
    except ConsentError as exc:
        events.refuse(uow, actor, None, processing.purpose_id, exc)
        raise
    sealed = processing.seal(processing.prepare(category=category, values=values))
    record = _given(actor, document, channel, evidence, language, sealed.subject_id, None)
    processing.collect_sealed([sealed], source=source, consent=grant_evidence(record))
    _append_given(uow, record, grant=False)
    return sealed.subject_id, record
