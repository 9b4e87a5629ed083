"""Processing: the one API through which anything touches personal data.

    with opeka.processing(Actor.staff("ivanova"), "2.2.7") as p:
        sid = p.collect(category="client", values={...}, source="договор 12/2026")
        p.read(sid, ["email"])

Every method authorizes against the policy (field, purpose, category, basis, status), applies
to the vault and queues a journal entry, all in the unit of work's one transaction. A refusal
raises a :class:`~opeka.policy.errors.PolicyRefusal` naming the clause, and is journaled even
though the transaction rolls back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from opeka.consent import grants
from opeka.consent.grants import ConsentEvidence
from opeka.db.base import utcnow
from opeka.db.bulk import insert_tuples
from opeka.db.subjects import subject
from opeka.journal.entry import Action, Record, Result, now_us
from opeka.policy.errors import (
    FieldNotForPurpose,
    NoLegalBasis,
    PolicyRefusal,
    SubjectBlocked,
    SubjectDestroyed,
)
from opeka.policy.schema import Purpose
from opeka.policy.values import email_index_form, normalize, phone_index_form
from opeka.processing import subjects
from opeka.processing.actor import Actor
from opeka.processing.lifecycle import DestructionResult, Lifecycle
from opeka.processing.subjects import Status, SubjectRow
from opeka.uow import UnitOfWork
from opeka.vault import service as vault
from opeka.vault.sealing import Sealed, index_form

__all__ = ["ConsentEvidence", "DestructionResult", "Prepared", "Processing"]


@dataclass(frozen=True, slots=True)
class Prepared:
    """Values validated and normalised for one category (made only by ``Processing.prepare``)."""

    category: str
    values: Mapping[str, str]


class Processing(Lifecycle):
    """Operations for one actor and one purpose inside one unit of work."""

    def __init__(self, uow: UnitOfWork, actor: Actor, purpose: str) -> None:
        self.uow = uow
        self.actor = actor
        self.rules = uow.services.rules
        self.purpose_id = purpose
        try:
            self.purpose: Purpose = self.rules.purpose(purpose)
        except PolicyRefusal as exc:
            self.purpose_id = "unknown"  # the given text is input: it never reaches the journal
            self._refused(Action.USE, None, (), exc, basis="")
            raise
        self.basis = self.rules.basis(self.purpose)

    # --- journal helpers -------------------------------------------------------------------

    def _record(
        self, action: Action, subject_id: uuid.UUID | None, fields: Iterable[str], reason: str
    ) -> None:
        self.uow.journal(
            Record(
                time_us=now_us(),
                actor=str(self.actor),
                action=action,
                subject_id=subject_id,
                fields=tuple(sorted(fields)),
                purpose=self.purpose_id,
                basis=self.basis.article,
                reason=reason,
            )
        )

    def _refused(
        self,
        action: Action,
        subject_id: uuid.UUID | None,
        fields: Iterable[str],
        exc: PolicyRefusal,
        *,
        basis: str | None = None,
    ) -> None:
        self.uow.refuse(
            Record(
                time_us=now_us(),
                actor=str(self.actor),
                action=action,
                subject_id=subject_id,
                fields=tuple(sorted(fields)),
                purpose=self.purpose_id,
                basis=self.basis.article if basis is None else basis,
                reason=f"{exc.code}: policy §{exc.clause}",
                result=Result.REFUSED,
            )
        )

    # --- collection ------------------------------------------------------------------------

    def refused(
        self,
        action: Action,
        subject_id: uuid.UUID | None,
        fields: Iterable[str],
        exc: PolicyRefusal,
    ) -> None:
        """Journal a refusal decided elsewhere (e.g. a bad row checked in a worker process)."""
        self._refused(action, subject_id, fields, exc)

    def prepare(self, *, category: str, values: Mapping[str, object]) -> Prepared:
        """Check and normalise values for a new subject (refusals are journaled)."""
        try:
            clean = self.rules.prepare_values(self.purpose_id, category, values)
        except PolicyRefusal as exc:
            self._refused(Action.COLLECT, None, [c for c, v in values.items() if v], exc)
            raise
        return Prepared(category, clean)

    def seal(self, prepared: Prepared) -> Sealed:
        """Encrypt and index prepared values under a fresh pseudonymous id and data key."""
        sealed, cipher = self.uow.services.sealer.seal(prepared.category, prepared.values)
        self.uow.key_cache[sealed.subject_id] = cipher
        return sealed

    def collect(
        self,
        *,
        category: str,
        values: Mapping[str, object],
        source: str,
        consent: ConsentEvidence | None = None,
    ) -> uuid.UUID:
        """Collect a new subject (сбор); returns its pseudonymous id."""
        sealed = self.seal(self.prepare(category=category, values=values))
        return self.collect_sealed([sealed], source=source, consent=consent)[0]

    def collect_sealed(
        self,
        items: Sequence[Sealed],
        *,
        source: str,
        consent: ConsentEvidence | None = None,
    ) -> list[uuid.UUID]:
        """Collect sealed subjects in bulk (also the CSV import's path), authorizing each."""
        try:
            if self.basis.requires_consent and consent is None:
                raise NoLegalBasis(
                    f"purpose {self.purpose_id} rests on consent; give the consent evidence",
                    clause=self.purpose.clause,
                    message_ru=f"цель {self.purpose_id} требует согласия субъекта",
                )
            for item in items:
                self.rules.check_category(self.purpose_id, item.category)
                self.rules.check_fields(self.purpose_id, item.category, item.fields)
        except PolicyRefusal as exc:
            for item in items:
                self._refused(Action.COLLECT, None, item.fields, exc)
            raise
        now = utcnow()
        rows = [(i.subject_id, i.category, Status.ACTIVE.value, source, now, now) for i in items]
        insert_tuples(self.uow.data, subject, subjects.NEW_COLUMNS, rows)
        vault.store_sealed(self.uow, items)
        if consent is not None:
            grants.insert_rows(
                self.uow.data,
                [
                    r
                    for i in items
                    for r in grants.grant_rows(i.subject_id, [self.purpose_id], consent)
                ],
            )
        reason = f"источник: {source}"
        for item in items:
            self._record(Action.COLLECT, item.subject_id, item.fields, reason)
        return [item.subject_id for item in items]

    # --- use -------------------------------------------------------------------------------

    def _authorize_use(
        self,
        action: Action,
        subject_id: uuid.UUID,
        fields: Iterable[str],
        row: SubjectRow | None = None,
    ) -> SubjectRow:
        """Load the subject and check status, category, fields and basis for this purpose."""
        row = row or subjects.load(self.uow.data, subject_id)
        fields = tuple(fields)
        try:
            self._check_status(row)
            self.rules.check_category(self.purpose_id, row.category)
            self.rules.check_fields(self.purpose_id, row.category, fields)
            self._check_basis(row)
        except PolicyRefusal as exc:
            self._refused(action, subject_id, fields, exc)
            raise
        return row

    def _check_status(self, row: SubjectRow) -> None:
        if row.status is Status.DESTROYED:
            raise SubjectDestroyed(
                "the subject's data were destroyed",
                clause="5.3",
                message_ru="данные субъекта уничтожены",
            )
        if row.status is not Status.ACTIVE and not self.purpose.allowed_when_blocked:
            raise SubjectBlocked(
                f"the subject is blocked; purpose {self.purpose_id} may not process the data",
                clause="152-ФЗ ст. 3 п. 6, ст. 21",
                message_ru=f"субъект заблокирован; обработка для цели {self.purpose_id} запрещена",
            )

    def _check_basis(self, row: SubjectRow) -> None:
        if not self.basis.requires_consent:
            return
        if not grants.has_active(self.uow.data, subject_id=row.id, purpose=self.purpose_id):
            raise NoLegalBasis(
                f"no active consent of the subject for purpose {self.purpose_id}",
                clause=self.purpose.clause,
                message_ru=f"нет действующего согласия субъекта на цель {self.purpose_id}",
            )

    def read(
        self, subject_id: uuid.UUID, fields: Iterable[str] | None = None, *, reason: str = ""
    ) -> dict[str, str]:
        """Extract (извлечение) a subject's values this purpose may use (``reason`` journaled)."""
        if fields is None:
            row = subjects.load(self.uow.data, subject_id)
            allowed = self.rules.purpose_fields[self.purpose_id]
            declared = self.rules.category_fields.get(row.category, frozenset())
            fields = sorted(vault.stored_fields(self.uow, subject_id) & allowed & declared)
        fields = tuple(fields)
        self._authorize_use(Action.EXTRACT, subject_id, fields)
        values = vault.read(self.uow, subject_id, fields)
        self._record(Action.EXTRACT, subject_id, values, reason)
        return values

    def find(self, *, email: str | None = None, phone: str | None = None) -> list[uuid.UUID]:
        """Subjects with this e-mail or phone that this purpose may process."""
        if (email is None) == (phone is None):
            raise ValueError("give exactly one of email, phone")
        kind = "email" if email is not None else "phone"
        codes = [c for c, k in self.rules.indexed.items() if k == kind]
        usable = [c for c in codes if c in self.rules.purpose_fields[self.purpose_id]]
        try:
            if not usable:
                raise FieldNotForPurpose(
                    f"purpose {self.purpose_id} may not use the {kind}",
                    clause=f"2.2, {self.purpose.clause}",
                    message_ru=f"цель {self.purpose_id} не использует поле {kind}",
                )
            key = email_index_form(email) if email is not None else phone_index_form(phone or "")
        except PolicyRefusal as exc:
            self._refused(Action.EXTRACT, None, usable or codes, exc)
            raise
        return [
            sid
            for sid in vault.candidates(self.uow, kind, key)
            if self._matches(sid, kind, key, usable)
        ]

    def _matches(self, subject_id: uuid.UUID, kind: str, key: str, codes: list[str]) -> bool:
        """Decrypt a candidate's indexed fields and keep it only on a real match it may see."""
        row = subjects.load(self.uow.data, subject_id)
        if row.status is Status.DESTROYED:
            return False
        values = vault.read(self.uow, subject_id, codes)
        hits = [c for c, v in values.items() if index_form(kind, v) == key]
        if not hits:
            return False  # a blind-index false positive: compared internally, never returned
        try:
            self._authorize_use(Action.EXTRACT, subject_id, hits, row)
        except PolicyRefusal:
            return False
        self._record(Action.EXTRACT, subject_id, hits, "поиск по " + kind)
        return True

    def update(self, subject_id: uuid.UUID, values: Mapping[str, object], *, reason: str) -> None:
        """Rectify (уточнение) fields of a subject."""
        given = {code: raw for code, raw in values.items() if raw not in (None, "")}
        row = self._authorize_use(Action.UPDATE, subject_id, given)
        try:
            clean = {
                code: normalize(code, self.rules.fields[code], raw) for code, raw in given.items()
            }
        except PolicyRefusal as exc:
            self._refused(Action.UPDATE, subject_id, given, exc)
            raise
        vault.write(self.uow, subject_id, clean)
        subjects.touch(self.uow.data, row.id)
        self._record(Action.UPDATE, subject_id, clean, reason)

    def erase_fields(self, subject_id: uuid.UUID, fields: Iterable[str], *, reason: str) -> None:
        """Delete (удаление) some fields of a subject, keeping the rest."""
        fields = tuple(fields)
        row = self._authorize_use(Action.DELETE, subject_id, fields)
        vault.write(self.uow, subject_id, dict.fromkeys(fields))
        subjects.touch(self.uow.data, row.id)
        self._record(Action.DELETE, subject_id, fields, reason)
