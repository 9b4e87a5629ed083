"""Errors of the consent package (messages name documents and purposes, never personal data).

ConsentError
├── UnknownDocument          no published consent document with this id and version
├── DocumentSuperseded       the version was superseded; an online consent needs the current one
├── DocumentNotForSubject    the document is for another category of subjects
├── NotConsentPurpose        the purpose does not rest on consent (nothing to give or withdraw)
├── UnknownRecord            no consent record with this id
└── ReceiptInvalid           a receipt fails verification; ``reason`` says which check
"""

from __future__ import annotations


class ConsentError(Exception):
    """Base of the consent package's errors; ``code`` is stable for the API and the journal."""

    code = "consent_error"

    def __init__(self, message: str, *, message_ru: str | None = None) -> None:
        self.message = message
        self.message_ru = message_ru or message
        super().__init__(message)


class UnknownDocument(ConsentError):
    """No published consent document with this id and version."""

    code = "unknown_document"


class DocumentSuperseded(ConsentError):
    """The version was superseded by a newer one; online channels must show the current text."""

    code = "document_superseded"


class DocumentNotForSubject(ConsentError):
    """The document is written for another category of subjects than the subject's."""

    code = "document_not_for_subject"


class NotConsentPurpose(ConsentError):
    """The purpose is unknown or rests on another legal basis than consent."""

    code = "not_consent_purpose"


class UnknownRecord(ConsentError):
    """No consent record with this id."""

    code = "unknown_record"


class ReceiptInvalid(ConsentError):
    """A receipt fails verification; ``reason`` is one of the ``REASONS`` below."""

    code = "receipt_invalid"
    REASONS = ("malformed", "key", "signature", "document_unknown", "document_hash")

    def __init__(self, reason: str, message: str, *, message_ru: str | None = None) -> None:
        if reason not in self.REASONS:
            raise ValueError(f"unknown receipt failure reason {reason!r}")
        self.reason = reason
        super().__init__(message, message_ru=message_ru)
