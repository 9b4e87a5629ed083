"""Consents to give again, for one subject: only after a material change, until given anew.

The module publishes an edited policy, so it runs on an Opeka of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.auth.support import FAST
from tests.conftest import shared_opeka
from tests.consent.support import POSITION, POSITION_EDITED, edited_policy
from tests.selfservice.support import CLIENT, register, version

from opeka.app import Opeka
from opeka.auth.config import AuthConfig
from opeka.auth.context import Auth
from opeka.consent import registry
from opeka.policy.loader import load_policy
from opeka.selfservice import consents
from opeka.selfservice.reconsent import pending_reconsent


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def opeka(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opeka]:
    """An Opeka of this module (its consent documents are republished)."""
    with shared_opeka(request, tmp_path_factory.mktemp("reconsent")) as instance:
        yield instance


@pytest.fixture(scope="module")
def auth(opeka: Opeka) -> Auth:
    """Authentication services hashing cheaply."""
    return Auth.from_opeka(opeka, AuthConfig(password=FAST))


def pending(opeka: Opeka, sid: uuid.UUID) -> tuple[str, ...]:
    with opeka.data_engine.connect() as conn:
        return pending_reconsent(conn, subject_id=sid)


def test_a_material_change_lists_the_subjects_purposes_until_given_again(
    opeka: Opeka, auth: Auth, tmp_path: Path
) -> None:
    sid = register(opeka, auth, consents=("2.2.8", "2.2.9")).subject_id
    other = register(opeka, auth).subject_id
    assert pending(opeka, sid) == ()
    with opeka.unit_of_work() as uow:
        registry.publish(uow.data, load_policy(edited_policy(tmp_path, POSITION, POSITION_EDITED)))
    assert pending(opeka, sid) == ("2.2.8", "2.2.9")
    assert pending(opeka, other) == ()
    with opeka.unit_of_work() as uow:
        consents.give(
            uow, subject_id=sid, purpose="2.2.8", version=version(opeka, "2.2.8"), client=CLIENT
        )
    assert pending(opeka, sid) == ("2.2.9",)
