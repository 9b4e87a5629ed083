"""Blocking, unblocking and destruction: the operator's duties under 152-FZ art. 20–21.

These run only under a statutory purpose (``statutory: true`` in the policy), whatever the
subject's status, and need a reason. Destruction crypto-shreds: the values and index entries
are deleted in the transaction, the subject's key is deleted from the key store right after the
commit, and the subject row stays (status ``destroyed``) so that the journal and the act of
destruction keep pointing at a pseudonymous id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from opeka.db.base import utcnow
from opeka.journal.entry import Action
from opeka.policy.errors import PolicyRefusal, PurposeNotForCategory, SubjectDestroyed
from opeka.processing import subjects
from opeka.processing.reasons import destruction_reason
from opeka.processing.subjects import Status, SubjectRow
from opeka.vault import service as vault

if TYPE_CHECKING:
    from opeka.policy.rules import Rules
    from opeka.policy.schema import LegalBasis, Purpose
    from opeka.uow import UnitOfWork

IDENTIFIER_FIELDS = ("last_name", "first_name", "patronymic")


@dataclass(frozen=True, slots=True)
class DestructionResult:
    """What a destruction removed, for the act (Order 179); ``identifier`` only if asked."""

    subject_id: uuid.UUID
    category: str
    fields: tuple[str, ...]
    data_categories: tuple[str, ...]
    reason: str
    destroyed_at: dt.datetime
    identifier: str | None


class Lifecycle:
    """Mixed into :class:`~opeka.processing.service.Processing`."""

    uow: UnitOfWork
    rules: Rules
    purpose: Purpose
    purpose_id: str
    basis: LegalBasis

    def _record(
        self, action: Action, subject_id: uuid.UUID | None, fields: Iterable[str], reason: str
    ) -> None:
        raise NotImplementedError

    def _refused(
        self,
        action: Action,
        subject_id: uuid.UUID | None,
        fields: Iterable[str],
        exc: PolicyRefusal,
        *,
        basis: str | None = None,
    ) -> None:
        raise NotImplementedError

    def _authorize_duty(self, action: Action, subject_id: uuid.UUID) -> SubjectRow:
        row = subjects.load(self.uow.data, subject_id)
        try:
            if not self.purpose.statutory:
                raise PurposeNotForCategory(
                    f"{action} is a duty under 152-FZ art. 20–21: use a statutory purpose, "
                    f"not {self.purpose_id}",
                    clause="152-ФЗ ст. 20, 21",
                    message_ru=f"{action} выполняется только в целях исполнения 152-ФЗ",
                )
            if row.status is Status.DESTROYED:
                raise SubjectDestroyed(
                    "the subject's data were already destroyed",
                    clause="5.3",
                    message_ru="данные субъекта уже уничтожены",
                )
        except PolicyRefusal as exc:
            self._refused(action, subject_id, (), exc)
            raise
        return row

    def block(self, subject_id: uuid.UUID, *, reason: str) -> None:
        """Block (блокирование): stop processing except what the law still allows."""
        row = self._authorize_duty(Action.BLOCK, subject_id)
        if row.status is not Status.BLOCKED:
            subjects.set_status(self.uow.data, subject_id, Status.BLOCKED)
        self._record(Action.BLOCK, subject_id, (), reason)

    def unblock(self, subject_id: uuid.UUID, *, reason: str) -> None:
        """Lift a block (journaled as блокирование with the reason saying it was lifted)."""
        self._authorize_duty(Action.BLOCK, subject_id)
        subjects.set_status(self.uow.data, subject_id, Status.ACTIVE)
        self._record(Action.BLOCK, subject_id, (), f"снятие блокирования: {reason}")

    def destroy(
        self,
        subject_id: uuid.UUID,
        *,
        reason_code: str,
        note: str = "",
        capture_identifier: bool = False,
    ) -> DestructionResult:
        """Destroy (уничтожение) every value of a subject and shred its key."""
        legal = destruction_reason(reason_code)
        row = self._authorize_duty(Action.DESTROY, subject_id)
        identifier = None
        if capture_identifier:
            names = vault.read(self.uow, subject_id, IDENTIFIER_FIELDS)
            identifier = " ".join(names[f] for f in IDENTIFIER_FIELDS if f in names) or None
            self._record(Action.EXTRACT, subject_id, names, "для акта об уничтожении")
        held = tuple(sorted(vault.destroy(self.uow, subject_id)))
        for hook in self.uow.services.on_destroy:
            hook(self.uow, subject_id)
        subjects.set_status(self.uow.data, subject_id, Status.DESTROYED)
        reason = f"{reason_code}: {legal}" + (f"; {note}" if note else "")
        self._record(Action.DESTROY, subject_id, held, reason)
        categories = sorted(
            {self.rules.fields[f].data_category for f in held if f in self.rules.fields}
        )
        return DestructionResult(
            subject_id=subject_id,
            category=row.category,
            fields=held,
            data_categories=tuple(categories),
            reason=reason,
            destroyed_at=utcnow(),
            identifier=identifier,
        )
