"""Errors of the authentication package.

AuthError                        base; ``message_ru`` / ``message_en`` are safe to show
├── InvalidCredentials           wrong login or password (never says which)
├── TooManyAttempts              a rate limit refused the attempt (``retry_after`` seconds)
│   └── AccountLocked            the account is locked after failures (``until``)
├── PasswordRejected             a new password breaks the password policy (``reason``)
├── InvalidLogin                 a staff login is not of the form [a-z0-9._-]{2,64}
├── UnknownRole                  the role is not one of the policy's roles
├── UnknownPurpose               an API client's purpose is not one of the policy's purposes
├── StaffExists                  the staff login is taken
├── StaffNotFound                no staff user with this login or id
├── AccountExists                the subject already has a portal account
├── AccountNotAllowed            the subject is not an active registered subject
├── AccountNotFound              the subject has no portal account
├── ApiClientNotFound            no API client with this id
├── InvalidApiKey                malformed or unknown API token
│   └── ApiKeyRevoked            the API client was revoked
├── ScopeDenied                  the API client lacks the scope
├── PurposeDenied                the API client may not state this purpose
└── ResetTokenInvalid            unknown reset token
    ├── ResetTokenExpired        the reset token is older than its lifetime
    └── ResetTokenUsed           the reset token was already used (or superseded)

``AccountLocked`` is a ``TooManyAttempts``: the web layer answers both alike, so that a lockout
does not tell an attacker more than a rate limit does. Messages never hold personal data,
passwords or tokens.
"""

from __future__ import annotations

import datetime as dt
import math


class AuthError(Exception):
    """Base of the authentication errors; ``str()`` is the English message."""

    message_ru = "ошибка аутентификации"
    message_en = "authentication error"

    def __init__(self, message_en: str | None = None, *, message_ru: str | None = None) -> None:
        self.message_en = message_en or type(self).message_en
        self.message_ru = message_ru or type(self).message_ru
        super().__init__(self.message_en)

    def bilingual(self) -> str:
        """The message as people read it: Russian first, English second."""
        return f"{self.message_ru} / {self.message_en}"


class InvalidCredentials(AuthError):
    """Wrong login or password; which of the two is never said."""

    message_ru = "неверный логин или пароль"
    message_en = "wrong login or password"


class TooManyAttempts(AuthError):
    """Too many attempts; retry after ``retry_after`` seconds."""

    message_ru = "слишком много попыток; повторите позже"
    message_en = "too many attempts; try again later"

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(
            f"too many attempts; try again in {self.retry_after} s",
            message_ru=f"слишком много попыток; повторите через {self.retry_after} с",
        )


class AccountLocked(TooManyAttempts):
    """The account is locked after repeated failures until ``until``."""

    def __init__(self, until: dt.datetime, *, now: dt.datetime) -> None:
        self.until = until
        super().__init__((until - now).total_seconds())


class PasswordRejected(AuthError):
    """A new password breaks the password policy; ``reason`` is a short code."""

    def __init__(self, reason: str, *, message_en: str, message_ru: str) -> None:
        self.reason = reason
        super().__init__(message_en, message_ru=message_ru)


class InvalidLogin(AuthError):
    """A staff login is not 2-64 characters of a-z, 0-9, '.', '_' and '-'."""

    message_ru = "логин: 2–64 символа из a–z, 0–9, «.», «_», «-»"
    message_en = "login: 2-64 characters of a-z, 0-9, '.', '_', '-'"


class UnknownRole(AuthError):
    """The role is not one of the policy's roles."""


class UnknownPurpose(AuthError):
    """A purpose is not one of the policy's purposes."""


class StaffExists(AuthError):
    """The staff login is taken."""

    message_ru = "сотрудник с таким логином уже есть"
    message_en = "a staff user with this login exists"


class StaffNotFound(AuthError):
    """No staff user with this login or id."""

    message_ru = "сотрудник не найден"
    message_en = "no such staff user"


class AccountExists(AuthError):
    """The subject already has a portal account."""

    message_ru = "учётная запись уже создана"
    message_en = "the account already exists"


class AccountNotAllowed(AuthError):
    """Only an active registered subject may have a portal account."""

    message_ru = "учётная запись возможна только для действующего зарегистрированного пользователя"
    message_en = "only an active registered user may have an account"


class AccountNotFound(AuthError):
    """The subject has no portal account."""

    message_ru = "учётная запись не найдена"
    message_en = "no such account"


class ApiClientNotFound(AuthError):
    """No API client with this id."""

    message_ru = "API-клиент не найден"
    message_en = "no such API client"


class InvalidApiKey(AuthError):
    """The API token is malformed or unknown."""

    message_ru = "неверный API-ключ"
    message_en = "invalid API key"


class ApiKeyRevoked(InvalidApiKey):
    """The API client was revoked."""

    message_ru = "API-ключ отозван"
    message_en = "the API key was revoked"


class ScopeDenied(AuthError):
    """The API client lacks the scope the call needs."""


class PurposeDenied(AuthError):
    """The API client may not state this purpose."""


class ResetTokenInvalid(AuthError):
    """The password-reset link is unknown."""

    message_ru = "ссылка для сброса пароля недействительна"
    message_en = "the password reset link is not valid"


class ResetTokenExpired(ResetTokenInvalid):
    """The password-reset link has expired."""

    message_ru = "срок действия ссылки для сброса пароля истёк"
    message_en = "the password reset link has expired"


class ResetTokenUsed(ResetTokenInvalid):
    """The password-reset link was already used or replaced by a newer one."""

    message_ru = "ссылка для сброса пароля уже использована"
    message_en = "the password reset link was already used"
