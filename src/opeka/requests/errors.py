"""Errors of the requests package. Messages never carry personal data.

RequestError
├── RequestNotFound          no request with this id or number
├── InvalidRequest           the request's own fields are wrong
│   ├── InvalidPurposes          purposes missing, unknown, or not consent-based for a withdrawal
│   ├── ReceivedInFuture         a receipt time later than now
│   └── IdentifiersInText        a staff note holds what looks like a document number, phone
│                                or e-mail (never echoed)
├── TransitionRefused        the state machine does not allow this step from the current status
│   └── NotVerified              executing a request whose requester is not verified
├── ExtensionRefused         the term cannot be extended
│   ├── NotExtendable            the law gives this kind no extension
│   ├── AlreadyExtended          the one extension was already used
│   └── ExtensionTooLate         the term already ran out (the notice must come before)
├── SubjectRequired          the request is not matched to a subject yet
└── NotAutomatic             the kind is executed by staff, not by Opeka
"""

from __future__ import annotations


class RequestError(Exception):
    """Base of the requests package's errors; ``message_ru`` is the Russian text."""

    def __init__(self, message: str, *, message_ru: str) -> None:
        self.message = message
        self.message_ru = message_ru
        super().__init__(message)


class RequestNotFound(RequestError):
    """No request has this id or number."""


class InvalidRequest(RequestError):
    """The request's fields are wrong; the message says what to fix."""


class InvalidPurposes(InvalidRequest):
    """Purposes missing, unknown, or not consent-based where consent is withdrawn."""


class ReceivedInFuture(InvalidRequest):
    """The receipt time lies in the future."""


class IdentifiersInText(InvalidRequest):
    """A staff note contains what looks like a document number, phone or e-mail."""


class TransitionRefused(RequestError):
    """The state machine does not allow this step."""

    def __init__(self, message: str, *, message_ru: str, current: str, target: str) -> None:
        super().__init__(message, message_ru=message_ru)
        self.current = current
        self.target = target


class NotVerified(TransitionRefused):
    """The requester's identity is not verified, so the request may not be executed."""


class ExtensionRefused(RequestError):
    """The term cannot be extended."""


class NotExtendable(ExtensionRefused):
    """The law gives this kind of request no extension."""


class AlreadyExtended(ExtensionRefused):
    """The one extension the law allows was already used."""


class ExtensionTooLate(ExtensionRefused):
    """The term already ran out; a reasoned notice must be sent before it ends."""


class SubjectRequired(RequestError):
    """The request must be matched to a subject first."""


class NotAutomatic(RequestError):
    """Opeka does not execute this kind by itself; staff complete it."""
