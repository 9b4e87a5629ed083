"""Mailers: the :class:`Mailer` protocol and its three implementations.

- :class:`MemoryMailer` keeps messages in a list (tests).
- :class:`FileOutbox` writes each message as an ``.eml`` file, mode 0600, in a 0700 folder
  (development: ``<data dir>/outbox``). These files hold the recipient's address and the text
  in clear — personal data on disk — so :func:`opeka.mail.factory.build_mailer` never picks the
  outbox in production; delete the folder when done.
- :class:`SmtpMailer` hands each message to an SMTP server (STARTTLS by default).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import smtplib
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from opeka.mail.errors import DeliveryFailed
from opeka.mail.message import OutgoingMail


@runtime_checkable
class Mailer(Protocol):
    """Sends one message or raises :class:`~opeka.mail.errors.MailError`."""

    def send(self, message: OutgoingMail) -> None:
        """Deliver ``message``."""


@dataclass(slots=True)
class MemoryMailer:
    """Keeps every message in :attr:`sent`."""

    sent: list[OutgoingMail] = field(default_factory=list)

    def send(self, message: OutgoingMail) -> None:
        """Append ``message`` to :attr:`sent`."""
        self.sent.append(message)


@dataclass(frozen=True, slots=True)
class FileOutbox:
    """Writes messages as ``.eml`` files into ``directory`` (development only)."""

    directory: Path
    sender: str

    def send(self, message: OutgoingMail) -> None:
        """Write ``message`` to a new file readable by its owner only."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o700)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"{stamp}-{secrets.token_hex(4)}.eml"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(message.to_email(sender=self.sender).as_bytes())


@dataclass(frozen=True, slots=True, repr=False)
class SmtpMailer:
    """Sends through an SMTP server; errors name the failure, never the recipient."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout: float = 15.0
    ssl_context: ssl.SSLContext | None = None

    def __repr__(self) -> str:
        return f"SmtpMailer({self.host}:{self.port}, starttls={self.starttls})"

    def send(self, message: OutgoingMail) -> None:
        """Deliver ``message`` in one SMTP session."""
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=self.ssl_context or ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message.to_email(sender=self.sender))
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"mail delivery failed: {type(exc).__name__}") from None
