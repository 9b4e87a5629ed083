"""The reset mail goes to the stored address of the account, not to the typed text."""

from __future__ import annotations

import uuid

from tests.selfservice.support import person, register

from opeka.app import Opeka
from opeka.auth.context import Auth
from opeka.selfservice.recovery import reset_mail


def test_the_mail_goes_to_the_stored_address_with_a_single_use_link(
    opeka: Opeka, auth: Auth
) -> None:
    stored = f"Maria.{uuid.uuid4().hex[:8]}@example.org"
    register(opeka, auth, values=person(stored))
    mail = reset_mail(opeka, auth=auth, email=f"  {stored.upper()} ", base_url="https://x.test")
    assert mail is not None
    assert mail.to == stored
    assert "https://x.test/portal/reset/" in mail.text


def test_no_account_no_mail(opeka: Opeka, auth: Auth) -> None:
    assert reset_mail(opeka, auth=auth, email="nobody@example.org", base_url="https://x") is None
