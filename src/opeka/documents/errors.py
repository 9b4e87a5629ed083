"""Errors of the documents package. Messages never carry personal data (names, tokens, e-mails).

DocumentsError
├── ActNotFound          no act with this number
├── ActUnreadable        an act's ciphertext does not open (another master key, or altered)
├── NothingToRecord      an act was asked for without any destroyed subject
├── WrongPurpose         the access package is built only under ``legal.subject_rights``
├── FontMissing          a PDF font file is missing (names the file and OPEKA_PDF_FONT_DIR)
└── DownloadRefused      a download link cannot be used
    ├── TokenInvalid         unknown, malformed, or for another kind of download
    ├── TokenExpired         older than its lifetime
    └── TokenUsed            already used once
"""

from __future__ import annotations


class DocumentsError(Exception):
    """Base of the documents package's errors; ``message_ru`` is the Russian text."""

    def __init__(self, message: str, *, message_ru: str) -> None:
        self.message = message
        self.message_ru = message_ru
        super().__init__(message)


class ActNotFound(DocumentsError):
    """No act has this number."""


class ActUnreadable(DocumentsError):
    """The act's body does not decrypt under the current master key."""


class NothingToRecord(DocumentsError):
    """An act needs at least one destroyed subject."""


class WrongPurpose(DocumentsError):
    """The access package was asked for under a purpose other than ``legal.subject_rights``."""


class FontMissing(DocumentsError):
    """A font file the PDF documents need is not where the settings say."""


class DownloadRefused(DocumentsError):
    """A one-time download link cannot be used."""


class TokenInvalid(DownloadRefused):
    """The token is unknown, malformed, or for another kind of download."""

    def __init__(self) -> None:
        super().__init__(
            "the download link is not valid", message_ru="ссылка для скачивания недействительна"
        )


class TokenExpired(DownloadRefused):
    """The token's lifetime is over."""

    def __init__(self) -> None:
        super().__init__(
            "the download link has expired; ask for a new one",
            message_ru="срок действия ссылки истёк; запросите новую",
        )


class TokenUsed(DownloadRefused):
    """The token was already used."""

    def __init__(self) -> None:
        super().__init__(
            "the download link was already used; ask for a new one",
            message_ru="ссылка уже использована; запросите новую",
        )
