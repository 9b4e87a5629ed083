"""Retention of acts: kept three years from the destruction, then removed (Order 179 p. 8).

:func:`purge_expired` deletes every act whose ``retain_until`` is before today, with its sealed
subject entries, and journals the purge as one уничтожение record that names the acts by number
only (no subject, no name). ``opeka documents purge`` runs it with the purge of expired
download links.
"""

from __future__ import annotations

import datetime as dt

from opeka.documents import act_store
from opeka.journal.entry import Action, Record, now_us
from opeka.processing.actor import Actor
from opeka.requests.journaling import DUTY
from opeka.uow import UnitOfWork

__all__ = ["RETENTION_ACTOR", "purge_expired"]

RETENTION_ACTOR = Actor.system("documents-retention")
LISTED = 20


def _numbers_text(numbers: list[str]) -> str:
    shown = ", ".join(numbers[:LISTED])
    more = len(numbers) - LISTED
    return shown + (f" и ещё {more}" if more > 0 else "")


def purge_expired(uow: UnitOfWork, *, today: dt.date, actor: Actor = RETENTION_ACTOR) -> list[str]:
    """Delete the acts whose three years ended before ``today``; their numbers."""
    numbers = [row.number for row in act_store.expired(uow.data, today)]
    if not numbers:
        return []
    act_store.delete_acts(uow.data, numbers)
    rules = uow.services.rules
    uow.journal(
        Record(
            time_us=now_us(),
            actor=str(actor),
            action=Action.DESTROY,
            subject_id=None,
            fields=(),
            purpose=DUTY,
            basis=rules.basis(rules.purpose(DUTY)).article,
            reason=(
                f"истёк срок хранения актов об уничтожении (Приказ РКН № 179 п. 8): "
                f"уничтожено актов: {len(numbers)} ({_numbers_text(numbers)})"
            ),
        )
    )
    return numbers
