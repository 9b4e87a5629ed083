"""What a subject may ask for, through which channel, and the term the law gives each kind.

Each kind maps to a duty key of :data:`opeka.policy.law.STATUTORY_TERMS`; the operator's policy
may shorten that term in its ``deadlines`` section but never lengthen it
(:func:`opeka.requests.deadlines.term_for` refuses). Kinds with an extension key may be extended
once, with a reasoned notice (152-FZ art. 14 p. 3, art. 20 p. 1; art. 21 p. 5.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from opeka.requests.calendar import RussianProductionCalendar
from opeka.requests.deadlines import ConfiguredTerm, Term, term_for

__all__ = [
    "CHANNEL_TITLES_RU",
    "DEFAULT_CALENDAR",
    "KINDS",
    "METHOD_TITLES_RU",
    "STAFF_CHANNELS",
    "Channel",
    "KindSpec",
    "RequestKind",
    "VerificationMethod",
    "extension_term",
    "kind_term",
]


DEFAULT_CALENDAR = RussianProductionCalendar()
"""The production calendar requests use unless a caller passes another."""


class RequestKind(StrEnum):
    """The kinds of request 152-FZ and the policy give a subject."""

    ACCESS = "access"  # art. 14 p. 7 information, access and a copy of the data
    RECTIFICATION = "rectification"  # art. 14 p. 1, 20 p. 3, 21 p. 2; policy 5.2
    BLOCKING = "blocking"  # art. 14 p. 1, 21 p. 1
    WITHDRAWAL = "withdrawal"  # art. 9 p. 2, 21 p. 5; policy 5.3 (one purpose or all)
    DESTRUCTION = "destruction"  # art. 14 p. 1, 20 p. 3 (unlawfully obtained, unnecessary)
    STOP_PROCESSING = "stop_processing"  # art. 21 p. 5.1
    UNLAWFUL_PROCESSING = "unlawful_processing"  # art. 21 p. 3 (a claim of unlawful processing)
    QUESTION = "question"  # policy 7, purpose 2.2.8


class Channel(StrEnum):
    """How a request reached the operator."""

    PORTAL = "portal"
    API = "api"
    PAPER = "paper"
    PHONE = "phone"
    EMAIL = "email"
    IN_PERSON = "in_person"
    INTAKE = "intake"  # the automated e-mail intake


STAFF_CHANNELS = frozenset({Channel.PAPER, Channel.PHONE, Channel.EMAIL, Channel.IN_PERSON})
"""Channels through which staff register a request by hand, with its real receipt date."""


class VerificationMethod(StrEnum):
    """How the requester's identity was verified."""

    PORTAL_SESSION = "portal_session"
    EMAIL_CODE = "email_code"
    STAFF_DOCUMENT = "staff_document"
    API_CLIENT = "api_client"  # the operator's own system, signed in with an API key, vouches


@dataclass(frozen=True, slots=True)
class KindSpec:
    """A kind's duty key, its extension key (if the law allows one) and its titles."""

    term_key: str
    extension_key: str | None
    automatic: bool  # Opeka executes it itself once verified (the sweep picks it up)
    title_ru: str
    title_en: str


KINDS: Mapping[RequestKind, KindSpec] = {
    RequestKind.ACCESS: KindSpec(
        "access", "access_extension", False, "предоставление сведений", "access"
    ),
    RequestKind.RECTIFICATION: KindSpec(
        "rectification", None, False, "уточнение данных", "rectification"
    ),
    RequestKind.BLOCKING: KindSpec("blocking", None, True, "блокирование", "blocking"),
    RequestKind.WITHDRAWAL: KindSpec(
        "withdrawal_destruction", None, True, "отзыв согласия", "withdrawal of consent"
    ),
    RequestKind.DESTRUCTION: KindSpec(
        "destroy_unlawfully_obtained", None, True, "требование уничтожения", "destruction"
    ),
    RequestKind.STOP_PROCESSING: KindSpec(
        "stop_processing_demand",
        "stop_processing_extension",
        False,
        "требование прекратить обработку",
        "stop processing",
    ),
    RequestKind.UNLAWFUL_PROCESSING: KindSpec(
        "unlawful_stop", None, False, "неправомерная обработка", "unlawful processing"
    ),
    RequestKind.QUESTION: KindSpec("access", "access_extension", False, "вопрос", "question"),
}

CHANNEL_TITLES_RU: Mapping[Channel, str] = {
    Channel.PORTAL: "личный кабинет",
    Channel.API: "API",
    Channel.PAPER: "бумажное письмо",
    Channel.PHONE: "телефон",
    Channel.EMAIL: "электронная почта",
    Channel.IN_PERSON: "личный приём",
    Channel.INTAKE: "электронная почта (автоматический приём)",
}

METHOD_TITLES_RU: Mapping[VerificationMethod, str] = {
    VerificationMethod.PORTAL_SESSION: "вход в личный кабинет",
    VerificationMethod.EMAIL_CODE: "код на адрес из учётных данных",
    VerificationMethod.STAFF_DOCUMENT: "проверка документа сотрудником",
    VerificationMethod.API_CLIENT: "подтверждено системой оператора (API-клиент)",
}


def kind_term(kind: RequestKind, deadlines: Mapping[str, ConfiguredTerm]) -> Term:
    """The operator's term for ``kind`` (the policy's ``deadlines``, capped by the law)."""
    return term_for(KINDS[kind].term_key, deadlines)


def extension_term(kind: RequestKind, deadlines: Mapping[str, ConfiguredTerm]) -> Term | None:
    """The extension the law allows for ``kind``, or None when it allows none."""
    key = KINDS[kind].extension_key
    return None if key is None else term_for(key, deadlines)
