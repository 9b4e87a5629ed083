"""The password-reset mail: a link for the account of an address, sent to the *stored* address.

:func:`opeka.auth.reset.request_reset` finds the account through the e-mail's blind index,
which compares a normalised form (NFKC, lower case). The mail therefore goes to the address the
vault holds for that account, read through the spine — never to the text typed into the form,
which may differ from it in case or in compatibility characters and reach another mailbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from opeka.auth import accounts, reset
from opeka.auth.context import Auth
from opeka.auth.keys import sha256
from opeka.db.auth import auth_reset_token
from opeka.mail import templates
from opeka.mail.message import OutgoingMail
from opeka.processing.service import Processing
from opeka.uow import UnitOfWork

if TYPE_CHECKING:
    from opeka.app import Opeka


def reset_recipient(uow: UnitOfWork, *, token: str) -> str:
    """The stored e-mail of the account a reset token was issued for (a journaled read)."""
    subject_id = uow.data.execute(
        select(auth_reset_token.c.subject_id).where(
            auth_reset_token.c.token_sha256 == sha256(token)
        )
    ).scalar_one()
    values = Processing(uow, reset.RESET_ACTOR, accounts.PURPOSE).read(subject_id, ["email"])
    return values["email"]


def reset_mail(opeka: Opeka, *, auth: Auth, email: str, base_url: str) -> OutgoingMail | None:
    """The reset mail for the account of ``email``, or None (no account, or too many lately).

    Takes the wired Opeka: the token is issued in a unit of work of its own (see
    :func:`opeka.auth.reset.request_reset`), then the recipient is read in another.
    """
    token = reset.request_reset(opeka, auth=auth, email=email.strip()[:254])
    if token is None:
        return None
    with opeka.unit_of_work() as uow:
        recipient = reset_recipient(uow, token=token)
    operator = opeka.policy.operator
    return templates.password_reset(
        to=recipient,
        link=f"{base_url}/portal/reset/{token}",
        minutes=auth.config.reset_ttl_seconds // 60,
        site=operator.sites[0],
        operator=operator.short_name,
    )
