"""Errors of the self-service package; messages are safe to show and never hold personal data.

SelfServiceError             base; ``message_ru`` / ``message_en``, ``status`` for the web layer
├── InvalidForm              fields fail validation (``errors``: field code → FieldError)
├── PasswordMismatch         the new password and its repetition differ
├── EmailUnavailable         the e-mail cannot be used for this account
├── ConsentNotGiven          a form's consent box was not ticked: nothing was collected
├── UnknownConsent           no consent document of this purpose is offered to the subject
├── UnknownEvent             the chosen event is not one of the list
├── InvalidQuestion          the question text is empty, too long or not plain text
└── NotOwnRecord             the consent record is not the signed-in subject's (answered as 404)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from opeka.policy.errors import PolicyRefusal


@dataclass(frozen=True, slots=True)
class FieldError:
    """What is wrong with one field, Russian and English (never the value)."""

    ru: str
    en: str


class SelfServiceError(Exception):
    """Base of the self-service errors; ``str()`` is the English message."""

    status = 400
    message_ru = "запрос не выполнен"
    message_en = "the request was not carried out"

    def __init__(self, message_en: str | None = None, *, message_ru: str | None = None) -> None:
        self.message_en = message_en or type(self).message_en
        self.message_ru = message_ru or type(self).message_ru
        super().__init__(self.message_en)


class InvalidForm(SelfServiceError):
    """Fields of a form fail validation; ``refusal`` is the first, for the journal."""

    status = 422
    message_ru = "проверьте выделенные поля"
    message_en = "check the marked fields"

    def __init__(self, errors: Mapping[str, FieldError], refusal: PolicyRefusal) -> None:
        self.errors = dict(errors)
        self.refusal = refusal
        super().__init__()


class PasswordMismatch(SelfServiceError):
    """The password and its repetition differ."""

    status = 422
    message_ru = "пароли не совпадают"
    message_en = "the passwords do not match"


class EmailUnavailable(SelfServiceError):
    """The e-mail cannot be used (it says no more: whether an account has it is not told)."""

    status = 409
    message_ru = (
        "этот адрес электронной почты нельзя использовать для учётной записи; если это ваш "
        "адрес, восстановите доступ через сброс пароля"
    )
    message_en = (
        "this e-mail address cannot be used for an account; if it is yours, recover access "
        "by resetting the password"
    )


class ConsentNotGiven(SelfServiceError):
    """The consent box was not ticked, so nothing was collected."""

    status = 422
    message_ru = "без согласия на обработку персональных данных форма не отправляется"
    message_en = "the form is not sent without consent to the processing of personal data"


class UnknownConsent(SelfServiceError):
    """The purpose has no consent document for the subject's category."""

    status = 404
    message_ru = "такого согласия нет"
    message_en = "no such consent"


class UnknownEvent(SelfServiceError):
    """The chosen event is not in the list."""

    status = 422
    message_ru = "выберите мероприятие из списка"
    message_en = "choose an event from the list"


class InvalidQuestion(SelfServiceError):
    """The question text is empty, too long, or holds control characters or a card number."""

    status = 422


class NotOwnRecord(SelfServiceError):
    """The consent record belongs to someone else (told as "not found")."""

    status = 404
    message_ru = "запись не найдена"
    message_en = "no such record"
