"""The access package: everything held on a subject and how it is processed (152-FZ art. 14 p. 7).

:func:`build` reads every value through the spine under ``legal.subject_rights`` (journaled as
извлечение with the reason «пакет сведений субъекту») and adds what the policy says of each
field — the purposes that may use it with their legal basis and retention — the source, the
recipients of consented transfers, the consent history with document versions and text hashes,
and the subject's open requests. :func:`to_json` and :func:`to_pdf` render it. The package is
never stored and never mailed: it is generated when a one-time link
(:mod:`opeka.documents.downloads`) is opened, or by staff for a request on paper.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from opeka.consent import grants
from opeka.consent import store as consent_store
from opeka.db.base import utcnow
from opeka.db.requests import subject_request
from opeka.db.subjects import subject
from opeka.documents import access_layout
from opeka.documents.errors import WrongPurpose
from opeka.documents.pdf import DEFAULT_FONT_DIR
from opeka.policy.schema import Policy
from opeka.processing import subjects
from opeka.processing.service import Processing
from opeka.requests.clock import day_of_receipt
from opeka.requests.journaling import DUTY
from opeka.requests.kinds import KINDS, RequestKind
from opeka.requests.states import OPEN, STATUS_TITLES_RU, RequestStatus

__all__ = ["AccessPackage", "build", "to_json", "to_pdf"]

FORMAT = "opeka-access-package/1"
READ_REASON = "пакет сведений субъекту (152-ФЗ ст. 14 ч. 7)"


@dataclass(frozen=True, slots=True)
class PurposeUse:
    """A purpose of the policy that applies to the subject, and whether it is in use."""

    id: str
    title: str
    clause: str
    basis: str
    basis_article: str
    consent_required: bool
    in_use: bool  # False: it rests on a consent the subject has not given (or withdrew)
    retention: str
    destroy_within_days: int
    fields: tuple[str, ...]
    recipients: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HeldValue:
    """One value held, its title, data category and the purposes in use that may use it."""

    code: str
    title: str
    value: str
    data_category: str
    purposes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RecipientInfo:
    """A class of recipients data may go to, under a purpose in use."""

    code: str
    title: str
    purpose: str
    countries: tuple[str, ...]
    clause: str


@dataclass(frozen=True, slots=True)
class ConsentEntry:
    """One consent given or withdrawn, with the document version and text hash."""

    recorded_at: dt.datetime
    event: str
    purpose: str
    purpose_title: str
    document_id: str | None
    document_version: str | None
    text_hash: str | None
    channel: str


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """A request of the subject not yet answered."""

    number: str
    kind: str
    received: dt.date
    due: dt.date
    status: str


@dataclass(frozen=True, slots=True, repr=False)
class AccessPackage:
    """Everything :func:`build` gathered (``values`` are personal data)."""

    generated_at: dt.datetime
    policy_version: str
    operator: dict[str, str | None]
    subject_id: uuid.UUID
    category: str
    category_title: str
    status: str
    collected_at: dt.datetime
    source: str
    values: tuple[HeldValue, ...]
    purposes: tuple[PurposeUse, ...]
    recipients: tuple[RecipientInfo, ...]
    cross_border: str
    automated_decisions: str
    consents: tuple[ConsentEntry, ...]
    open_requests: tuple[OpenRequest, ...]

    def __repr__(self) -> str:
        return f"AccessPackage({self.subject_id}, values={len(self.values)})"


def _purposes(
    policy: Policy, category: str, held: set[str], consented: frozenset[str]
) -> tuple[PurposeUse, ...]:
    found = []
    for pid, purpose in policy.purposes.items():
        used = held & set(purpose.fields)
        if purpose.statutory or category not in purpose.subject_categories or not used:
            continue
        basis = policy.legal_bases[purpose.basis]
        found.append(
            PurposeUse(
                id=pid,
                title=purpose.title.ru,
                clause=purpose.clause,
                basis=basis.title.ru,
                basis_article=basis.article,
                consent_required=basis.requires_consent,
                in_use=not basis.requires_consent or pid in consented,
                retention=purpose.retention.rule.ru,
                destroy_within_days=purpose.retention.destroy_within_days,
                fields=tuple(f for f in purpose.fields if f in used),
                recipients=tuple(purpose.transfer_to),
            )
        )
    return tuple(found)


def _recipients(policy: Policy, purposes: tuple[PurposeUse, ...]) -> tuple[RecipientInfo, ...]:
    return tuple(
        RecipientInfo(code, spec.title.ru, p.id, tuple(spec.countries), spec.clause)
        for p in purposes
        if p.in_use
        for code in p.recipients
        if (spec := policy.recipients.get(code)) is not None
    )


def _consents(conn: Connection, policy: Policy, subject_id: uuid.UUID) -> tuple[ConsentEntry, ...]:
    return tuple(
        ConsentEntry(
            recorded_at=r.recorded_at,
            event=r.event.value,
            purpose=r.purpose,
            purpose_title=p.title.ru if (p := policy.purposes.get(r.purpose)) else r.purpose,
            document_id=r.document_id,
            document_version=r.document_version,
            text_hash=r.text_hash,
            channel=r.channel,
        )
        for r in consent_store.history(conn, subject_id=subject_id)
    )


def _open_requests(conn: Connection, subject_id: uuid.UUID) -> tuple[OpenRequest, ...]:
    r = subject_request.c
    rows = conn.execute(
        select(r.number, r.kind, r.received_at, r.due_date, r.extended_due_date, r.status)
        .where(r.subject_id == subject_id, r.status.in_(sorted(s.value for s in OPEN)))
        .order_by(r.number)
    )
    return tuple(
        OpenRequest(
            number=row.number,
            kind=KINDS[RequestKind(row.kind)].title_ru,
            received=day_of_receipt(row.received_at),
            due=row.extended_due_date or row.due_date,
            status=STATUS_TITLES_RU[RequestStatus(row.status)],
        )
        for row in rows
    )


def _held(
    policy: Policy, category: str, values: dict[str, str], purposes: tuple[PurposeUse, ...]
) -> tuple[HeldValue, ...]:
    order = [item.field for item in policy.subject_categories[category].fields]
    return tuple(
        HeldValue(
            code=code,
            title=policy.fields[code].title.ru,
            value=values[code],
            data_category=policy.fields[code].data_category,
            purposes=tuple(pu.id for pu in purposes if pu.in_use and code in pu.fields),
        )
        for code in order
        if code in values
    )


def _operator(policy: Policy) -> dict[str, str | None]:
    operator = policy.operator
    return {
        "name": operator.name,
        "address": operator.address,
        "contact_email": str(operator.contact_email),
        "information_system": operator.information_system,
    }


def _cross_border(policy: Policy) -> str:
    rule = policy.cross_border
    if not rule.allowed:
        return f"не осуществляется (политика, п. {rule.clause})"
    return "в страны: " + ", ".join(rule.allowed_countries) + f" (политика, п. {rule.clause})"


def build(p: Processing, subject_id: uuid.UUID, *, now: dt.datetime | None = None) -> AccessPackage:
    """Gather the package for ``subject_id`` (``p`` must be under ``legal.subject_rights``)."""
    if p.purpose_id != DUTY:
        raise WrongPurpose(
            f"the access package is built under {DUTY}, not {p.purpose_id}",
            message_ru=f"пакет сведений формируется только в целях {DUTY}",
        )
    values = p.read(subject_id, reason=READ_REASON)
    policy, conn = p.rules.policy, p.uow.data
    row = subjects.load(conn, subject_id)
    source = conn.execute(select(subject.c.source).where(subject.c.id == subject_id)).scalar()
    consented = grants.active_purposes(conn, subject_id=subject_id)
    purposes = _purposes(policy, row.category, set(values), consented)
    return AccessPackage(
        generated_at=now or utcnow(),
        policy_version=policy.version,
        operator=_operator(policy),
        subject_id=subject_id,
        category=row.category,
        category_title=policy.subject_categories[row.category].title.ru,
        status=row.status.value,
        collected_at=row.created_at,
        source=source or "",
        values=_held(policy, row.category, values, purposes),
        purposes=purposes,
        recipients=_recipients(policy, purposes),
        cross_border=_cross_border(policy),
        automated_decisions=(
            ("принимаются" if policy.automated_decisions.used else "не принимаются")
            + f" (политика, п. {policy.automated_decisions.clause})"
        ),
        consents=_consents(conn, policy, subject_id),
        open_requests=_open_requests(conn, subject_id),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_json(package: AccessPackage) -> bytes:
    """The package as UTF-8 JSON (``format`` names its version)."""
    data = {"format": FORMAT, **_plain(asdict(package))}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_pdf(package: AccessPackage, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    """The package as a readable Russian PDF."""
    return access_layout.render(package, font_dir=font_dir)
