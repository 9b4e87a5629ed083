"""Staff operations on one subject: masked view, unmasking, rectification, blocking, destruction.

Each runs through the spine (:class:`~opeka.processing.service.Processing`) under the purpose
the staff member chose, after the role's own limits (:mod:`opeka.subjects.access`): the purpose
must be one of the role's, and fields seen in clear or rectified must be among its
``unmask_fields``. A role refusal is journaled as a refused action like a policy refusal. Staff
reasons are stored in clear in the journal, so they are checked for identifiers
(:func:`opeka.requests.notes.check_note`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from opeka.documents import acts
from opeka.journal.entry import Action
from opeka.policy.errors import PolicyRefusal
from opeka.processing import subjects
from opeka.processing.lifecycle import DestructionResult
from opeka.processing.reasons import DESTRUCTION_REASONS
from opeka.processing.service import Processing
from opeka.requests.errors import InvalidRequest
from opeka.requests.notes import check_note
from opeka.subjects.access import StaffRole, check_fields, check_purpose, visible_fields
from opeka.subjects.masking import mask_value
from opeka.vault import service as vault

__all__ = [
    "MASKED_REASON",
    "UNMASK_REASON",
    "destroy",
    "masked_values",
    "rectify",
    "set_blocked",
    "unmask",
]

MASKED_REASON = "маскированный просмотр в консоли"
UNMASK_REASON = "раскрытие в консоли"
NOTE_LENGTH = 300


def _guard(
    p: Processing,
    action: Action,
    subject_id: uuid.UUID,
    fields: Iterable[str],
    check: Callable[[], None],
) -> None:
    """Run a role check; journal its refusal (under the chosen purpose) and re-raise it."""
    try:
        check()
    except PolicyRefusal as exc:
        p.refused(action, subject_id, fields, exc)
        raise


def masked_values(p: Processing, staff: StaffRole, subject_id: uuid.UUID) -> dict[str, str]:
    """Masks of the fields the role could unmask for ``p``'s purpose (the read is journaled).

    Fields outside the role's view are not read at all; the caller shows them as a bare mask.
    """
    row = subjects.load(p.uow.data, subject_id)
    fields = visible_fields(
        p.rules,
        staff,
        purpose=p.purpose_id,
        category=row.category,
        held=vault.stored_fields(p.uow, subject_id),
    )
    if not fields:
        return {}
    values = p.read(subject_id, fields, reason=MASKED_REASON)
    return {code: mask_value(p.rules.fields[code].kind, value) for code, value in values.items()}


def unmask(
    p: Processing, staff: StaffRole, subject_id: uuid.UUID, fields: Iterable[str]
) -> dict[str, str]:
    """The values of ``fields`` in clear, if the role and the purpose allow each one."""
    chosen = tuple(sorted(set(fields)))
    if not chosen:
        raise InvalidRequest(
            "choose the fields to unmask", message_ru="выберите поля для раскрытия"
        )

    def allowed() -> None:
        check_purpose(staff, p.purpose_id)
        check_fields(staff, chosen)

    _guard(p, Action.EXTRACT, subject_id, chosen, allowed)
    return p.read(subject_id, chosen, reason=UNMASK_REASON)


def rectify(
    p: Processing,
    staff: StaffRole,
    subject_id: uuid.UUID,
    *,
    field: str,
    value: str,
    reason: str,
) -> None:
    """Rectify (уточнение) one field the role may see, with a reason (no identifiers in it)."""
    text = check_note(reason, what="reason", what_ru="основание", max_length=NOTE_LENGTH)

    def allowed() -> None:
        check_purpose(staff, p.purpose_id)
        check_fields(staff, [field])

    _guard(p, Action.UPDATE, subject_id, [field], allowed)
    p.update(subject_id, {field: value}, reason=text)


def set_blocked(
    p: Processing, staff: StaffRole, subject_id: uuid.UUID, *, blocked: bool, reason: str
) -> None:
    """Block or lift the block of a subject (a statutory purpose only, the spine checks)."""
    text = check_note(reason, what="reason", what_ru="основание", max_length=NOTE_LENGTH)
    _guard(p, Action.BLOCK, subject_id, (), lambda: check_purpose(staff, p.purpose_id))
    if blocked:
        p.block(subject_id, reason=text)
    else:
        p.unblock(subject_id, reason=text)


def destroy(
    p: Processing, staff: StaffRole, subject_id: uuid.UUID, *, reason_code: str, note: str
) -> DestructionResult:
    """Destroy a subject's data now, with a reason code of 152-FZ and an optional note.

    The act of destruction (Order 179) is written in the same unit of work.
    """
    if reason_code not in DESTRUCTION_REASONS:
        accepted = ", ".join(DESTRUCTION_REASONS)
        raise InvalidRequest(
            f"unknown destruction reason; use one of: {accepted}",
            message_ru=f"неизвестное основание уничтожения; допустимо: {accepted}",
        )
    text = ""
    if note.strip():
        text = check_note(note, what="note", what_ru="примечание", max_length=NOTE_LENGTH)
    _guard(p, Action.DESTROY, subject_id, (), lambda: check_purpose(staff, p.purpose_id))
    result = p.destroy(subject_id, reason_code=reason_code, note=text, capture_identifier=True)
    acts.record_act(p.uow, [result], p.actor)
    return result
