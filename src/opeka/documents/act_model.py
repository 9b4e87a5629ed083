"""An act of destruction as a value (RKN Order 179 p. 3 а–к), built from destructions.

The act keeps what the order requires and nothing more: for each subject the name captured
before destruction (or, when none was held, the pseudonymous id), the categories of data
destroyed, the reason with its article and the date; for the act the operator, the processor
(none: policy 1.3), the information system, the method and the person responsible. No value
of a destroyed field is kept.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opeka.policy.schema import Policy
from opeka.processing.lifecycle import DestructionResult
from opeka.processing.reasons import DESTRUCTION_REASONS
from opeka.requests.clock import moscow_date

if TYPE_CHECKING:  # the sweep may import this module to record acts: no import cycle
    from opeka.requests.sweep import SweepItem

FORMAT = "opeka-destruction-act/1"
ORDER = "Приказ Роскомнадзора от 28.10.2022 № 179"
METHOD = "криптографическое удаление (уничтожение ключа субъекта) и удаление записей"
METHOD_EN = "crypto-shredding (the subject's key destroyed) and deletion of the records"
RETENTION_YEARS = 3
NUMBER_LETTER = "А"  # Cyrillic: 2026-А-000123


@dataclass(frozen=True, slots=True, repr=False)
class ActSubject:
    """One destroyed subject as the act names it (``identifier`` is personal data)."""

    subject_id: uuid.UUID
    identifier: str
    named: bool  # True: the name captured before destruction; False: the pseudonymous id
    category: str
    fields: tuple[str, ...]
    data_categories: tuple[str, ...]
    categories_ru: tuple[str, ...]
    reason_code: str
    reason: str  # the legal wording with its article (and the request, if any)
    destroyed_at: dt.datetime
    request_number: str | None = None

    def __repr__(self) -> str:
        return f"ActSubject({self.subject_id}, named={self.named})"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form kept (sealed) in the act."""
        return {
            "subject_id": str(self.subject_id),
            "identifier": self.identifier,
            "identifier_kind": "name" if self.named else "pseudonymous_id",
            "category": self.category,
            "fields": list(self.fields),
            "data_categories": list(self.data_categories),
            "categories_ru": list(self.categories_ru),
            "reason_code": self.reason_code,
            "reason": self.reason,
            "destroyed_at": self.destroyed_at.isoformat(),
            "request_number": self.request_number,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ActSubject:
        """The inverse of :meth:`to_dict`."""
        return cls(
            subject_id=uuid.UUID(data["subject_id"]),
            identifier=data["identifier"],
            named=data["identifier_kind"] == "name",
            category=data["category"],
            fields=tuple(data["fields"]),
            data_categories=tuple(data["data_categories"]),
            categories_ru=tuple(data["categories_ru"]),
            reason_code=data["reason_code"],
            reason=data["reason"],
            destroyed_at=dt.datetime.fromisoformat(data["destroyed_at"]),
            request_number=data["request_number"],
        )


@dataclass(frozen=True, slots=True)
class ActHeader:
    """The act's own fields (no personal data; sealed all the same, with the subjects)."""

    number: str
    act_date: dt.date
    operator_name: str
    operator_address: str | None
    processor: str
    information_system: str
    method: str
    responsible: str  # the actor who destroyed the data (staff login or system job)
    created_at: dt.datetime
    retain_until: dt.date

    def to_dict(self) -> dict[str, Any]:
        """The JSON form kept (sealed) in the act."""
        return {
            "format": FORMAT,
            "number": self.number,
            "act_date": self.act_date.isoformat(),
            "operator_name": self.operator_name,
            "operator_address": self.operator_address,
            "processor": self.processor,
            "information_system": self.information_system,
            "method": self.method,
            "responsible": self.responsible,
            "created_at": self.created_at.isoformat(),
            "retain_until": self.retain_until.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ActHeader:
        """The inverse of :meth:`to_dict`."""
        return cls(
            number=data["number"],
            act_date=dt.date.fromisoformat(data["act_date"]),
            operator_name=data["operator_name"],
            operator_address=data["operator_address"],
            processor=data["processor"],
            information_system=data["information_system"],
            method=data["method"],
            responsible=data["responsible"],
            created_at=dt.datetime.fromisoformat(data["created_at"]),
            retain_until=dt.date.fromisoformat(data["retain_until"]),
        )


@dataclass(frozen=True, slots=True, repr=False)
class Act:
    """A decrypted act: its header and its subjects, in the order they were recorded."""

    header: ActHeader
    subjects: tuple[ActSubject, ...]

    def __repr__(self) -> str:
        return f"Act({self.header.number}, subjects={len(self.subjects)})"

    @property
    def number(self) -> str:
        """The act's number (``2026-А-000123``)."""
        return self.header.number

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The reason codes of its subjects, sorted, each once."""
        return tuple(sorted({s.reason_code for s in self.subjects}))

    @property
    def categories_ru(self) -> tuple[str, ...]:
        """Every category of data destroyed, each once, in order of first appearance."""
        return tuple(dict.fromkeys(c for s in self.subjects for c in s.categories_ru))


def categories_ru(policy: Policy, fields: Iterable[str]) -> tuple[str, ...]:
    """Russian titles of the data categories of ``fields`` (fields of one category together)."""
    held = set(fields)
    groups: dict[str, list[str]] = {}
    for code, spec in policy.fields.items():
        if code in held:
            groups.setdefault(spec.data_category, []).append(spec.title.ru)
    return tuple(", ".join(titles) for titles in groups.values())


def processor_text(policy: Policy) -> str:
    """Order 179 p. 3 "б": the processor acting on the operator's instruction, if any."""
    if policy.processors.used and policy.processors.names:
        return "; ".join(policy.processors.names)
    return f"не привлекается (политика, п. {policy.processors.clause})"


def _split_reason(reason: str) -> tuple[str, str]:
    code, sep, rest = reason.partition(": ")
    if sep and code in DESTRUCTION_REASONS:
        return code, rest
    return "", reason


def subject_from_result(
    policy: Policy, result: DestructionResult, *, request_number: str | None = None
) -> ActSubject:
    """The act's entry for a destruction done through the spine."""
    code, reason = _split_reason(result.reason)
    return ActSubject(
        subject_id=result.subject_id,
        identifier=result.identifier or str(result.subject_id),
        named=result.identifier is not None,
        category=result.category,
        fields=result.fields,
        data_categories=result.data_categories,
        categories_ru=categories_ru(policy, result.fields),
        reason_code=code,
        reason=reason,
        destroyed_at=result.destroyed_at,
        request_number=request_number,
    )


def subject_from_sweep_item(policy: Policy, item: SweepItem) -> ActSubject:
    """The act's entry for a destruction the requests sweep performed."""
    _, reason = _split_reason(item.reason)
    return ActSubject(
        subject_id=item.subject_id,
        identifier=item.identifier or str(item.subject_id),
        named=item.identifier is not None,
        category=item.category,
        fields=item.fields,
        data_categories=item.data_categories,
        categories_ru=categories_ru(policy, item.fields),
        reason_code=item.reason_code,
        reason=reason or DESTRUCTION_REASONS.get(item.reason_code, item.reason_code),
        destroyed_at=item.destroyed_at or dt.datetime.now(dt.UTC),
        request_number=item.request_number,
    )


def retain_until(act_date: dt.date) -> dt.date:
    """The last day an act is kept: three years from the destruction (Order 179 p. 8)."""
    try:
        return act_date.replace(year=act_date.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return act_date.replace(year=act_date.year + RETENTION_YEARS, day=28)


def act_date_of(subjects: Iterable[ActSubject]) -> dt.date:
    """The act's date: the Moscow date of its first destruction."""
    return moscow_date(min(s.destroyed_at for s in subjects))
