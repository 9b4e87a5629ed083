"""The subject's copy of their data (152-FZ art. 14 p. 7): a JSON document from «Мои данные».

It holds the values, the purposes that may use each field (with their basis and term), the
source, the recipients of consented transfers and every consent record — what the operator
keeps, in one file the subject downloads. Reading the values is journaled as an extraction under
``legal.subject_rights`` (see :mod:`opeka.selfservice.mydata`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from opeka.consent import store
from opeka.consent.store import ConsentRecord
from opeka.db.base import utcnow
from opeka.policy.schema import Policy
from opeka.selfservice.mydata import MyData, my_data
from opeka.uow import UnitOfWork

FORMAT = "opeka-subject-data/1"


def data_copy(
    uow: UnitOfWork, *, subject_id: uuid.UUID, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The JSON-ready copy of everything held about the subject."""
    policy = uow.services.rules.policy
    data = my_data(uow, subject_id=subject_id)
    return {
        "format": FORMAT,
        "generated_at": (now or utcnow()).isoformat(),
        "operator": {"name": policy.operator.name, "contact_email": policy.operator.contact_email},
        "subject": {
            "id": str(subject_id),
            "category": data.category,
            "category_title": data.category_title.ru,
            "status": data.status,
            "created_at": data.created_at.isoformat(),
        },
        "sources": [data.source] if data.source else [],
        "fields": [
            {
                "code": held.code,
                "title": held.title.ru,
                "value": held.value,
                "purposes": [ref.id for ref in held.purposes],
            }
            for held in data.fields
        ],
        "purposes": _purposes(policy, data),
        "recipients": [
            {
                "code": r.code,
                "title": r.title.ru,
                "purpose": r.purpose,
                "countries": list(r.countries),
            }
            for r in data.recipients
        ],
        "consents": [_consent(r) for r in store.history(uow.data, subject_id=subject_id)],
    }


def _purposes(policy: Policy, data: MyData) -> dict[str, dict[str, str]]:
    """The purposes that may use the held fields: title, clause, basis, term."""
    used = {ref.id for held in data.fields for ref in held.purposes}
    return {
        pid: {
            "title": purpose.title.ru,
            "clause": purpose.clause,
            "basis": policy.legal_bases[purpose.basis].title.ru,
            "basis_article": policy.legal_bases[purpose.basis].article,
            "retention": purpose.retention.rule.ru,
        }
        for pid, purpose in policy.purposes.items()
        if pid in used
    }


def _consent(record: ConsentRecord) -> dict[str, str | None]:
    """One consent record as the copy shows it, with the evidence kept about the subject."""
    return {
        "record_id": str(record.id),
        "event": record.event.value,
        "purpose": record.purpose,
        "document_id": record.document_id,
        "document_version": record.document_version,
        "channel": record.channel,
        "recorded_at": record.recorded_at.isoformat(),
        "form_id": record.evidence.form_id,
        "ip_prefix": record.evidence.ip_prefix,
        "user_agent_sha256": record.evidence.user_agent_sha256,
    }
