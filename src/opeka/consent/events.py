"""What giving and withdrawing a consent have in common: channels, checks, journal entries.

The journal entry's action is **запись** (recording): giving or withdrawing a consent enters new
information about the subject into the system (the consent, its document and evidence) and
uses none of the subject's stored values, which **использование** would claim. Its basis cites
152-FZ art. 9 p. 1 and 3 (a consent obtained, which the operator must be able to prove) or
p. 2 (a withdrawal). Refused attempts are journaled too, with the error's code.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Final

from opeka.consent.errors import ConsentError
from opeka.consent.store import ConsentRecord, Event
from opeka.journal.entry import Action, Record, Result, now_us
from opeka.policy.errors import PolicyRefusal
from opeka.processing.actor import Actor

if TYPE_CHECKING:
    from opeka.uow import UnitOfWork

CHANNELS: Final = frozenset({"portal", "form", "api", "email", "paper"})
OFFLINE_CHANNELS: Final = frozenset({"email", "paper"})
"""Channels where the subject may have signed an older version (a paper form, an e-mail)."""
LANGUAGES: Final = frozenset({"ru", "en"})
BASIS_GIVEN = "152-ФЗ ст. 9 ч. 1, 3"
BASIS_WITHDRAWN = "152-ФЗ ст. 9 ч. 2"
_DOCUMENT_ID = re.compile(r"^consent:[a-z0-9][a-z0-9_.]{0,47}:[a-z][a-z0-9_]{0,31}$")
_VERSION = re.compile(r"^[A-Za-z0-9_.+-]{1,64}$")


def journal(uow: UnitOfWork, record: ConsentRecord) -> None:
    """Queue the journal entry of ``record`` in the unit of work (same transaction)."""
    given = record.event is Event.GIVEN
    what = "согласие дано" if given else "согласие отозвано"
    document = f"{record.document_id} версия {record.document_version}"
    uow.journal(
        Record(
            time_us=now_us(),
            actor=record.actor,
            action=Action.RECORD,
            subject_id=record.subject_id,
            fields=(),
            purpose=record.purpose,
            basis=BASIS_GIVEN if given else BASIS_WITHDRAWN,
            reason=f"{what}: {document}; канал {record.channel}; запись {record.id}",
        )
    )


def refuse(
    uow: UnitOfWork,
    actor: Actor,
    subject_id: uuid.UUID | None,
    purpose: str,
    exc: Exception,
    *,
    basis: str = BASIS_GIVEN,
) -> None:
    """Journal a refused consent event (kept even though the unit of work rolls back)."""
    code = exc.code if isinstance(exc, ConsentError | PolicyRefusal) else type(exc).__name__
    clause = f": policy §{exc.clause}" if isinstance(exc, PolicyRefusal) else ""
    uow.refuse(
        Record(
            time_us=now_us(),
            actor=str(actor),
            action=Action.RECORD,
            subject_id=subject_id,
            fields=(),
            purpose=purpose,
            basis=basis,
            reason=f"{code}{clause}",
            result=Result.REFUSED,
        )
    )


def purpose_of(document_id: str) -> str:
    """The purpose named in a document id (``consent:2.2.8:visitor`` → ``2.2.8``)."""
    parts = document_id.split(":")
    return parts[1][:48] if len(parts) == 3 else ""


def check_inputs(channel: str, language: str) -> None:
    """Refuse an unknown channel or language (ValueError)."""
    if channel not in CHANNELS:
        raise ValueError(f"consent channel must be one of {', '.join(sorted(CHANNELS))}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(sorted(LANGUAGES))}")


def check_document_ref(document_id: str, version: str) -> None:
    """Refuse (without echoing them) strings that cannot be a document id or version."""
    if not _DOCUMENT_ID.match(document_id):
        raise ValueError("not a consent document id (consent:<purpose>:<category>)")
    if not _VERSION.match(version):
        raise ValueError("not a consent document version")
