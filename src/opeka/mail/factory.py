"""Choosing the mailer from the settings (one place, as for every seam)."""

from __future__ import annotations

from pathlib import Path

from opeka.mail.errors import MailNotConfigured
from opeka.mail.mailers import FileOutbox, Mailer, SmtpMailer
from opeka.settings import Settings


def outbox_dir(settings: Settings) -> Path:
    """Where the development outbox writes its ``.eml`` files."""
    return settings.data_dir / "outbox"


def build_mailer(settings: Settings) -> Mailer:
    """SMTP when ``OPEKA_SMTP_HOST`` is set; else the outbox, except in production."""
    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return SmtpMailer(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.mail_from,
            username=settings.smtp_username,
            password=password,
            starttls=settings.smtp_starttls,
        )
    if settings.environment == "production":
        raise MailNotConfigured("production sends mail over SMTP: set OPEKA_SMTP_HOST")
    return FileOutbox(outbox_dir(settings), sender=settings.mail_from)
