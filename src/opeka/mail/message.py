"""An outgoing message: one recipient, a subject, a plain-text body (UTF-8)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

_FORBIDDEN_IN_HEADERS = ("\r", "\n", "\x00")


@dataclass(frozen=True, slots=True, repr=False)
class OutgoingMail:
    """A message to send; ``repr`` leaves the recipient out (an address is personal data)."""

    to: str
    subject: str
    text: str

    def __post_init__(self) -> None:
        for name in ("to", "subject"):
            if any(c in getattr(self, name) for c in _FORBIDDEN_IN_HEADERS):
                raise ValueError(f"a mail {name} may not contain line breaks")
        if "@" not in self.to:
            raise ValueError("a mail recipient must be an e-mail address")

    def __repr__(self) -> str:
        return f"OutgoingMail(subject={self.subject!r})"

    def to_email(self, *, sender: str, now: dt.datetime | None = None) -> EmailMessage:
        """The message as an RFC 5322 e-mail from ``sender``."""
        message = EmailMessage()
        message["From"] = sender
        message["To"] = self.to
        message["Subject"] = self.subject
        message["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
        domain = sender.rpartition("@")[2].strip(" >") or "localhost"
        message["Message-ID"] = make_msgid(domain=domain)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(self.text, charset="utf-8")
        return message
