"""Consents in the portal: the documents offered, their state, giving, and receipts.

Each consent-based purpose that applies to a category is offered as its own document (the
current published version, 156-FZ: separate from any other text) with its own unticked box.
Giving records the consent (:func:`opeka.consent.records.give`: record, grant and journal in
the caller's unit of work). Withdrawing may end the subject's basis, which takes the requests
module: see :mod:`opeka.selfservice.closure`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection

from opeka.consent import receipts, records, registry, store
from opeka.consent.documents import consent_targets
from opeka.consent.errors import UnknownRecord
from opeka.consent.store import ConsentRecord, Event
from opeka.policy.schema import Policy, Text
from opeka.processing import subjects
from opeka.processing.actor import Actor
from opeka.selfservice.client import Client
from opeka.selfservice.errors import NotOwnRecord, UnknownConsent
from opeka.uow import UnitOfWork

FORM_ID = "portal:consents"


@dataclass(frozen=True, slots=True)
class ConsentOffer:
    """One consent document as a form shows it: purpose, current version and its HTML."""

    purpose: str
    title: Text
    document_id: str
    version: str
    html: str


@dataclass(frozen=True, slots=True)
class ConsentState:
    """A subject's state for one offered consent: in force, withdrawn, or never given."""

    offer: ConsentOffer
    latest: ConsentRecord | None
    history: tuple[ConsentRecord, ...]

    @property
    def given(self) -> bool:
        """True while the consent is in force."""
        return self.latest is not None and self.latest.event is Event.GIVEN


def subject_actor(subject_id: uuid.UUID) -> Actor:
    """The journal's name for a subject acting on their own data."""
    return Actor("subject", str(subject_id))


def offers(
    conn: Connection, policy: Policy, *, category: str, purposes: Iterable[str] | None = None
) -> list[ConsentOffer]:
    """The current consent documents of ``category`` (only ``purposes`` if given)."""
    wanted = None if purposes is None else set(purposes)
    found = []
    for purpose_id, target in consent_targets(policy):
        if target != category or (wanted is not None and purpose_id not in wanted):
            continue
        document = registry.current(conn, f"consent:{purpose_id}:{category}")
        if document is None:
            continue
        html = registry.text(conn, document.id, document.version, fmt="html") or ""
        title = policy.purposes[purpose_id].title
        found.append(ConsentOffer(purpose_id, title, document.id, document.version, html))
    return found


def offer(conn: Connection, policy: Policy, *, category: str, purpose: str) -> ConsentOffer:
    """The one offer of ``purpose`` for ``category``, or :class:`UnknownConsent`."""
    found = offers(conn, policy, category=category, purposes=[purpose])
    if not found:
        raise UnknownConsent
    return found[0]


def states(conn: Connection, policy: Policy, *, subject_id: uuid.UUID) -> list[ConsentState]:
    """Every consent offered to the subject's category, with the subject's records."""
    category = subjects.load(conn, subject_id).category
    history = store.history(conn, subject_id=subject_id)
    latest = store.latest(history)
    return [
        ConsentState(
            offer=item,
            latest=latest.get(item.purpose),
            history=tuple(r for r in history if r.purpose == item.purpose),
        )
        for item in offers(conn, policy, category=category)
    ]


def give(
    uow: UnitOfWork,
    *,
    subject_id: uuid.UUID,
    purpose: str,
    version: str,
    client: Client,
    form_id: str = FORM_ID,
) -> ConsentRecord:
    """The signed-in subject consents to the shown ``version`` of ``purpose``'s document."""
    policy = uow.services.rules.policy
    category = subjects.load(uow.data, subject_id).category
    document = offer(uow.data, policy, category=category, purpose=purpose)
    return records.give(
        uow,
        actor=subject_actor(subject_id),
        document_id=document.document_id,
        version=version,
        channel="portal",
        evidence=client.evidence(form_id),
        subject_id=subject_id,
        language=client.language,
    )


def give_many(
    uow: UnitOfWork,
    *,
    subject_id: uuid.UUID,
    versions: Mapping[str, str],
    client: Client,
    form_id: str = FORM_ID,
) -> tuple[ConsentRecord, ...]:
    """Give each ticked consent (purpose → the version shown), in the policy's order."""
    policy = uow.services.rules.policy
    ordered = [p for p in policy.purposes if p in versions]
    return tuple(
        give(
            uow,
            subject_id=subject_id,
            purpose=p,
            version=versions[p],
            client=client,
            form_id=form_id,
        )
        for p in ordered
    )


def receipt(
    conn: Connection,
    *,
    policy: Policy,
    signing_key: Ed25519PrivateKey,
    subject_id: uuid.UUID,
    record_id: uuid.UUID,
) -> dict[str, Any]:
    """The signed receipt of one of the subject's own consent records."""
    try:
        record = store.load(conn, record_id)
    except UnknownRecord:  # answered like someone else's record
        raise NotOwnRecord from None
    if record.subject_id != subject_id:
        raise NotOwnRecord
    return receipts.receipt_for(conn, record_id, policy=policy, signing_key=signing_key)
