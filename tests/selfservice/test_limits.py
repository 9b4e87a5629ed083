"""Per-address limits of the portal's forms."""

from __future__ import annotations

import uuid

import pytest

from opeka.app import Opeka
from opeka.auth.context import Auth
from opeka.auth.errors import TooManyAttempts
from opeka.auth.ratelimit import Limit
from opeka.selfservice import limits


def test_a_form_is_refused_past_its_limit(opeka: Opeka, auth: Auth) -> None:
    who = f"ip:{uuid.uuid4()}"
    for _ in range(2):
        limits.check(opeka.data_engine, auth=auth, form="t", who=who, limit=Limit(2, 60))
    with pytest.raises(TooManyAttempts) as caught:
        limits.check(opeka.data_engine, auth=auth, form="t", who=who, limit=Limit(2, 60))
    assert caught.value.retry_after >= 1
