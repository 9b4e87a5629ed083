"""Errors of the cookies package.

CookieError
├── InvalidEvent         a banner decision or page view is malformed or contradicts the notice
│   └── StaleVersion     the decision was made on an older cookie notice
├── NoAnalyticsConsent   a page view came without a current analytics consent (policy 6.5)
└── NotStored            the decision could not be committed; nothing was acknowledged

Each carries a ``code``, an English ``message`` and a Russian ``message_ru`` that name the rule
that failed, never the values sent.
"""

from __future__ import annotations


class CookieError(Exception):
    """Base of the cookies package's errors."""

    code = "cookie_error"

    def __init__(self, message: str, *, message_ru: str) -> None:
        self.message = message
        self.message_ru = message_ru
        super().__init__(message)


class InvalidEvent(CookieError):
    """A consent event or page view is malformed or contradicts the cookie notice."""

    code = "invalid_cookie_event"


class StaleVersion(InvalidEvent):
    """The event names a cookie-notice version that is no longer current."""

    code = "stale_cookie_notice"


class NoAnalyticsConsent(CookieError):
    """The request carries no current consent to analytics cookies (policy 6.5)."""

    code = "no_analytics_consent"


class NotStored(CookieError):
    """A batch could not be committed; its requests are answered with an error, never 2xx."""

    code = "not_stored"


def not_stored() -> NotStored:
    """The error for an event whose transaction did not commit (the sender may retry)."""
    return NotStored(
        "the event could not be stored; send it again",
        message_ru="событие не удалось сохранить; отправьте его ещё раз",
    )
