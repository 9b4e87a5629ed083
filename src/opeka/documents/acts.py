"""Acts of destruction (RKN Order 179): recorded with the destruction, listed, opened.

An act is written in the unit of work that destroys the data, so a destruction without its act
(or the reverse) cannot exist:

* :func:`record_act` — destructions done through the spine (CLI, console): one act for every
  subject destroyed together;
* :func:`on_destroyed` — the requests sweep's hook (:data:`opeka.requests.sweep.OnDestroyed`):
  one act per destruction;
* :class:`SweepBatch` — the same hook for one sweep run: one act for every subject the run
  destroys (a new act past ``max_subjects``), as :func:`for_sweep` makes it.

The act's body and subject entries are sealed (:mod:`opeka.documents.sealing`); the table
keeps in clear only the number, date, count, reason codes and retention date. Writing a name
into an act is journaled as запись for that subject; opening an act (:func:`issue`) as
извлечение for each of its subjects.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from opeka.db.base import utcnow
from opeka.documents import act_store
from opeka.documents.act_model import (
    METHOD,
    Act,
    ActHeader,
    ActSubject,
    act_date_of,
    processor_text,
    retain_until,
    subject_from_result,
    subject_from_sweep_item,
)
from opeka.documents.act_store import ActRow
from opeka.documents.errors import ActNotFound, NothingToRecord
from opeka.documents.sealing import ActCipher
from opeka.journal.entry import Action, Record, now_us
from opeka.processing.actor import Actor
from opeka.processing.lifecycle import IDENTIFIER_FIELDS, DestructionResult
from opeka.requests.journaling import DUTY
from opeka.uow import UnitOfWork

if TYPE_CHECKING:  # the sweep may import this module for its default hook: no import cycle
    from opeka.requests.sweep import OnDestroyed, SweepItem

__all__ = [
    "SWEEP_ACTOR",
    "SweepBatch",
    "for_sweep",
    "issue",
    "list_acts",
    "load_act",
    "on_destroyed",
    "record_act",
    "write_act",
]

SWEEP_ACTOR = Actor.system("requests-sweep")
MAX_SUBJECTS_PER_ACT = 500  # a PDF of 500 subjects with its extract renders in about 4 s


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _journal(uow: UnitOfWork, actor: Actor, action: Action, subject: ActSubject, text: str) -> None:
    rules = uow.services.rules
    named = tuple(f for f in IDENTIFIER_FIELDS if f in subject.fields) if subject.named else ()
    uow.journal(
        Record(
            time_us=now_us(),
            actor=str(actor),
            action=action,
            subject_id=subject.subject_id,
            fields=tuple(sorted(named)),
            purpose=DUTY,
            basis=rules.basis(rules.purpose(DUTY)).article,
            reason=text,
        )
    )


def write_act(
    uow: UnitOfWork, subjects: Sequence[ActSubject], *, actor: Actor, now: dt.datetime | None = None
) -> str:
    """Seal and insert a new act for ``subjects``; returns its number."""
    if not subjects:
        raise NothingToRecord(
            "an act needs at least one destroyed subject",
            message_ru="в акте должен быть хотя бы один субъект, чьи данные уничтожены",
        )
    policy = uow.services.rules.policy
    act_date = act_date_of(subjects)
    number = act_store.next_number(uow.data, act_date.year)
    header = ActHeader(
        number=number,
        act_date=act_date,
        operator_name=policy.operator.name,
        operator_address=policy.operator.address,
        processor=processor_text(policy),
        information_system=policy.operator.information_system,
        method=METHOD,
        responsible=str(actor),
        created_at=now or utcnow(),
        retain_until=retain_until(act_date),
    )
    cipher = ActCipher.of(uow.services)
    act_store.insert_act(
        uow.data,
        number=number,
        act_date=act_date,
        reason_codes=[s.reason_code for s in subjects],
        body=cipher.seal(_json(header.to_dict()), place=f"{number}/body"),
        created_at=header.created_at,
        retain_until=header.retain_until,
        entries=[
            cipher.seal(_json(s.to_dict()), place=f"{number}/{i}") for i, s in enumerate(subjects)
        ],
    )
    for subject in subjects:
        _journal(uow, actor, Action.RECORD, subject, f"акт об уничтожении № {number}")
    return number


def record_act(uow: UnitOfWork, results: Sequence[DestructionResult], actor: Actor) -> str:
    """One act for destructions done in ``uow`` (pass ``capture_identifier=True`` to destroy)."""
    policy = uow.services.rules.policy
    return write_act(uow, [subject_from_result(policy, r) for r in results], actor=actor)


def on_destroyed(uow: UnitOfWork, item: SweepItem) -> None:
    """The sweep's hook: an act for this destruction, in the destroying unit of work."""
    if item.destroyed:
        subject = subject_from_sweep_item(uow.services.rules.policy, item)
        write_act(uow, [subject], actor=SWEEP_ACTOR)


class SweepBatch:
    """The sweep's hook that gathers one run's destructions into one act (up to a size)."""

    def __init__(
        self, *, actor: Actor = SWEEP_ACTOR, max_subjects: int = MAX_SUBJECTS_PER_ACT
    ) -> None:
        self.actor = actor
        self.max_subjects = max_subjects
        self.number: str | None = None

    def __call__(self, uow: UnitOfWork, item: SweepItem) -> None:
        """Append the destruction to the run's act, or open a new act for it."""
        if not item.destroyed:
            return
        subject = subject_from_sweep_item(uow.services.rules.policy, item)
        number = self.number
        locked = act_store.lock_for_append(uow.data, number) if number else None
        if number is None or locked is None or locked[0] >= self.max_subjects:
            # No act yet, the one begun was rolled back with its destruction, or it is full.
            self.number = write_act(uow, [subject], actor=self.actor)
            return
        position, codes = locked
        entry = ActCipher.of(uow.services).seal(
            _json(subject.to_dict()), place=f"{number}/{position}"
        )
        act_store.append_entry(
            uow.data,
            number,
            position=position,
            entry=entry,
            reason_codes=[*codes, subject.reason_code],
        )
        _journal(uow, self.actor, Action.RECORD, subject, f"акт об уничтожении № {number}")


def for_sweep(actor: Actor = SWEEP_ACTOR) -> OnDestroyed:
    """A fresh :class:`SweepBatch` for one sweep run (``sweep(..., on_destroyed=for_sweep())``)."""
    return SweepBatch(actor=actor)


def list_acts(
    conn: Connection,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    newest: int | None = None,
) -> list[ActRow]:
    """Acts dated within ``[since, until]``: number, date, subjects, reason codes (no names).

    Oldest first; with ``newest``, only that many of the latest, newest first (for pages).
    """
    return act_store.rows(conn, since=since, until=until, newest=newest)


def load_act(conn: Connection, number: str, *, cipher: ActCipher) -> Act:
    """The decrypted act; :class:`ActNotFound` or :class:`ActUnreadable`."""
    found = act_store.load(conn, number)
    if found is None:
        raise ActNotFound(f"no act {number}", message_ru=f"акт {number} не найден")
    _, body, entries = found
    header = ActHeader.from_dict(json.loads(cipher.open(body, place=f"{number}/body")))
    subjects = tuple(
        ActSubject.from_dict(json.loads(cipher.open(entry, place=f"{number}/{position}")))
        for position, entry in entries
    )
    return Act(header=header, subjects=subjects)


def issue(uow: UnitOfWork, *, number: str, actor: Actor, what: str) -> Act:
    """Open an act for a person (``what``: e.g. ``pdf``), journaled for each of its subjects."""
    act = load_act(uow.data, number, cipher=ActCipher.of(uow.services))
    for subject in act.subjects:
        _journal(uow, actor, Action.EXTRACT, subject, f"акт об уничтожении № {number}: {what}")
    return act
