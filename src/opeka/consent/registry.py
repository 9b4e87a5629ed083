"""The registry of published consent documents: every version kept, the newest current.

:func:`publish` renders the policy's documents and stores each text not stored yet as a new
version of its document, superseding the older ones; publishing the same policy again changes
nothing. A new version is a *material* change when what the document says differs from the
version it replaces (:func:`opeka.consent.document_view.substance`: purpose, data list, actions,
methods, recipients, processors, term, withdrawal); a change of wording only (the template, or
the operator's address being filled in) is not. Consents given to a version whose substance
differs from the current one's need to be given again: :func:`reconsent_needed` lists them.
A document the policy no longer produces (its purpose gone or no longer consent-based) is
retired: superseded, with nothing to consent to again.

Service functions take the caller's connection and flush; they never commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, Row, and_, exists, func, insert, select, update

from opeka.consent.document_view import WITHDRAWAL_PAGE
from opeka.consent.documents import ConsentDocument, Format, render_documents
from opeka.db.base import utcnow
from opeka.db.consents import consent_document, consent_record
from opeka.db.subjects import consent_grant, subject
from opeka.policy.schema import Policy
from opeka.processing.subjects import Status

ChangeKind = Literal["new", "material", "wording", "retired"]

_META = [c for c in consent_document.c if c.name not in ("text", "html")]


@dataclass(frozen=True, slots=True)
class Change:
    """What :func:`publish` did to one document."""

    document_id: str
    kind: ChangeKind
    old_version: str | None
    new_version: str | None

    @property
    def material(self) -> bool:
        """True when subjects who consented to the old version must consent again."""
        return self.kind == "material"


@dataclass(frozen=True, slots=True)
class PublishedDocument:
    """One stored version of a consent document (without its text)."""

    id: str
    version: str
    purpose: str
    category: str
    fields: tuple[str, ...]
    text_hash: str
    substance_hash: str
    published_at: dt.datetime
    superseded_at: dt.datetime | None
    reconsent_required: bool

    @property
    def current(self) -> bool:
        """True for the version shown to subjects now."""
        return self.superseded_at is None


def _document(row: Row[tuple[object, ...]]) -> PublishedDocument:
    m = row._mapping
    return PublishedDocument(
        id=m["id"],
        version=m["version"],
        purpose=m["purpose"],
        category=m["category"],
        fields=tuple(m["fields"].split()),
        text_hash=m["text_hash"],
        substance_hash=m["substance_hash"],
        published_at=m["published_at"],
        superseded_at=m["superseded_at"],
        reconsent_required=bool(m["reconsent_required"]),
    )


def publish(
    conn: Connection,
    policy: Policy,
    *,
    portal: str = WITHDRAWAL_PAGE,
    now: dt.datetime | None = None,
) -> list[Change]:
    """Store the policy's documents where their text is new; return what changed (idempotent)."""
    now = now or utcnow()
    rendered = render_documents(policy, portal=portal)
    changes = [c for c in (_publish_one(conn, doc, now) for doc in rendered) if c is not None]
    produced = {doc.id for doc in rendered}
    for doc in listing(conn):
        if doc.id not in produced:
            conn.execute(
                update(consent_document)
                .where(consent_document.c.id == doc.id, consent_document.c.version == doc.version)
                .values(superseded_at=now, reconsent_required=False)
            )
            changes.append(Change(doc.id, "retired", doc.version, None))
    return changes


def _publish_one(conn: Connection, doc: ConsentDocument, now: dt.datetime) -> Change | None:
    table = consent_document.c
    old = current(conn, doc.id)
    if old is not None and old.text_hash == doc.text_hash:
        return None
    conn.execute(
        update(consent_document)
        .where(table.id == doc.id, table.superseded_at.is_(None))
        .values(superseded_at=now)
    )
    same_text = conn.execute(
        select(table.version).where(table.id == doc.id, table.text_hash == doc.text_hash)
    ).first()
    if same_text is None:
        conn.execute(insert(consent_document).values(**_row(doc, now)))
        version = doc.version
    else:  # the text went back to an earlier version's: that version is current again
        version = same_text.version
        conn.execute(
            update(consent_document)
            .where(table.id == doc.id, table.version == version)
            .values(superseded_at=None)
        )
    conn.execute(
        update(consent_document)
        .where(table.id == doc.id)
        .values(reconsent_required=table.substance_hash != doc.substance_hash)
    )
    if old is None:
        return Change(doc.id, "new", None, version)
    kind: ChangeKind = "material" if old.substance_hash != doc.substance_hash else "wording"
    return Change(doc.id, kind, old.version, version)


def _row(doc: ConsentDocument, now: dt.datetime) -> dict[str, object]:
    return {
        "id": doc.id,
        "version": doc.version,
        "purpose": doc.purpose,
        "category": doc.category,
        "fields": " ".join(doc.fields),
        "text_hash": doc.text_hash,
        "substance_hash": doc.substance_hash,
        "text": doc.text,
        "html": doc.html,
        "published_at": now,
        "superseded_at": None,
        "reconsent_required": False,
    }


def get(conn: Connection, document_id: str, version: str) -> PublishedDocument | None:
    """The stored version, or None."""
    row = conn.execute(
        select(*_META).where(
            consent_document.c.id == document_id, consent_document.c.version == version
        )
    ).first()
    return _document(row) if row is not None else None


def current(conn: Connection, document_id: str) -> PublishedDocument | None:
    """The current version of a document, or None when never published (or retired)."""
    row = conn.execute(
        select(*_META).where(
            consent_document.c.id == document_id, consent_document.c.superseded_at.is_(None)
        )
    ).first()
    return _document(row) if row is not None else None


def listing(conn: Connection, *, include_superseded: bool = False) -> list[PublishedDocument]:
    """Published documents (current ones only unless asked), by id and publication time."""
    query = select(*_META).order_by(consent_document.c.id, consent_document.c.published_at)
    if not include_superseded:
        query = query.where(consent_document.c.superseded_at.is_(None))
    return [_document(row) for row in conn.execute(query)]


def text(conn: Connection, document_id: str, version: str, *, fmt: Format = "md") -> str | None:
    """The exact stored text (``md``) or its HTML fragment (``html``) of a version."""
    column = consent_document.c.text if fmt == "md" else consent_document.c.html
    return conn.execute(
        select(column).where(
            consent_document.c.id == document_id, consent_document.c.version == version
        )
    ).scalar_one_or_none()


def hash_lookup(conn: Connection) -> Callable[[str, str], str | None]:
    """A function (document id, version) → the stored text hash, for receipt verification."""

    def lookup(document_id: str, version: str) -> str | None:
        found = get(conn, document_id, version)
        return found.text_hash if found is not None else None

    return lookup


def reconsent_needed(
    conn: Connection, *, subject_id: uuid.UUID | None = None
) -> list[tuple[uuid.UUID, str]]:
    """(subject, purpose) whose active consent refers to a version that must be given again.

    Only active subjects with a still-active grant are listed, and only where the subject's
    latest consent event for the purpose is a consent to such a version; with ``subject_id``,
    only that subject's (an indexed lookup, for the portal's pages).
    """
    record, doc, grant = consent_record.c, consent_document.c, consent_grant.c
    whose = (
        record.subject_id.is_not(None) if subject_id is None else record.subject_id == subject_id
    )
    latest = (
        select(func.max(record.seq).label("seq"))
        .where(whose)
        .group_by(record.subject_id, record.purpose)
        .subquery()
    )
    query = (
        select(record.subject_id, record.purpose)
        .join(latest, record.seq == latest.c.seq)
        .join(
            consent_document,
            and_(doc.id == record.document_id, doc.version == record.document_version),
        )
        .join(subject, subject.c.id == record.subject_id)
        .where(record.event == "given", doc.reconsent_required.is_(True))
        .where(subject.c.status == Status.ACTIVE.value)
        .where(
            exists().where(
                grant.subject_id == record.subject_id,
                grant.purpose == record.purpose,
                grant.withdrawn_at.is_(None),
            )
        )
        .order_by(record.subject_id, record.purpose)
    )
    return [(row.subject_id, row.purpose) for row in conn.execute(query)]
