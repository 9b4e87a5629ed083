"""Errors of the mail package.

MailError
├── TemplateValueRefused   a template value holds a line break, markup or control characters
├── MailNotConfigured      no way to send mail in this environment (production without SMTP)
└── DeliveryFailed         the SMTP server could not be reached or refused the message

Messages never contain recipients' addresses or message text.
"""

from __future__ import annotations


class MailError(Exception):
    """Base of the mail errors."""


class TemplateValueRefused(MailError):
    """A value given to a template is not plain one-line text."""


class MailNotConfigured(MailError):
    """Mail cannot be sent in this environment; the message names the variable to set."""


class DeliveryFailed(MailError):
    """The SMTP server could not be reached or refused the message."""
