"""Scheduling what the sweep must do later: the destruction of a subject by a date."""

from __future__ import annotations

import datetime as dt
import uuid

from opeka.processing import subjects
from opeka.processing.actor import Actor
from opeka.processing.reasons import destruction_reason
from opeka.requests import actions, store
from opeka.requests.journaling import journal_step
from opeka.uow import UnitOfWork

__all__ = ["schedule_destruction"]


def schedule_destruction(
    uow: UnitOfWork,
    *,
    subject_id: uuid.UUID,
    request_id: uuid.UUID | None,
    reason_code: str,
    due: dt.date,
    actor: Actor,
) -> uuid.UUID:
    """Schedule the destruction of a subject for ``due`` (the sweep performs it)."""
    destruction_reason(reason_code)  # ValueError naming the accepted codes
    subjects.load(uow.data, subject_id)
    action_id = actions.insert_action(
        uow.data,
        action=actions.ActionKind.DESTROY,
        subject_id=subject_id,
        request_id=request_id,
        reason_code=reason_code,
        due=due,
    )
    number = None
    if request_id is not None:
        number = store.require(uow.data, request_id).number
        store.add_event(
            uow.data,
            request_id,
            actor=str(actor),
            event="action_scheduled",
            note=f"уничтожение не позднее {due.isoformat()} ({reason_code})",
        )
    journal_step(
        uow,
        actor=actor,
        number=number,
        subject_id=subject_id,
        text=f"уничтожение запланировано на {due.isoformat()} ({reason_code})",
    )
    return action_id
