"""Journal entries of request handling: action «использование», purpose legal.subject_rights.

Blocking and destruction are journaled by the spine itself (блокирование, уничтожение); this
module records everything else a request goes through. Reasons name the request's number and
the step, never personal data.
"""

from __future__ import annotations

import uuid

from opeka.journal.entry import Action, Record, now_us
from opeka.processing.actor import Actor
from opeka.uow import UnitOfWork

__all__ = ["DUTY", "journal_step"]

DUTY = "legal.subject_rights"
"""The statutory purpose under which requests are handled."""


def journal_step(
    uow: UnitOfWork,
    *,
    actor: Actor,
    number: str | None,
    subject_id: uuid.UUID | None,
    text: str,
) -> None:
    """Queue a journal record «запрос <number>: <text>» in the unit of work."""
    rules = uow.services.rules
    basis = rules.basis(rules.purpose(DUTY)).article
    reason = f"запрос {number}: {text}" if number else text
    uow.journal(
        Record(
            time_us=now_us(),
            actor=str(actor),
            action=Action.USE,
            subject_id=subject_id,
            fields=(),
            purpose=DUTY,
            basis=basis,
            reason=reason,
        )
    )
