"""Re-consent in the portal: after a material change of a consent document, «Мои данные» and
«Мои согласия» ask the subject to review the new version, and giving it clears the notice.

The module publishes an edited policy, so it runs on an Opeka of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.auth.support import FAST
from tests.conftest import shared_opeka
from tests.consent.support import POSITION, POSITION_EDITED, edited_policy
from tests.web.portal.support import form, new_client, register, text, versions

from opeka.app import Opeka
from opeka.auth.config import AuthConfig
from opeka.auth.context import Auth
from opeka.consent import registry
from opeka.policy.loader import load_policy
from opeka.web import portal
from opeka.web.app import create_app

NOTICE_ME = "Изменились условия ваших согласий"
NOTICE_CONSENTS = "Изменились условия согласий, которые вы дали"


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
def app(opeka: Opeka) -> FastAPI:
    """The portal on this module's Opeka."""
    web = create_app(opeka, periodic=False, routers=[portal.router])
    web.state.auth = Auth.from_opeka(opeka, AuthConfig(password=FAST))
    return web


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser of its own address."""
    with new_client(app) as browser:
        yield browser


def test_a_material_change_asks_for_review_until_the_new_version_is_given(
    client: TestClient, opeka: Opeka, tmp_path: Path
) -> None:
    register(client, opeka, consents=("2.2.8",))
    bystander = new_client(client.app)  # type: ignore[arg-type]
    register(bystander, opeka)  # gave no consent: nothing to review
    assert NOTICE_ME not in client.get("/portal/me").text

    with opeka.unit_of_work() as uow:
        registry.publish(uow.data, load_policy(edited_policy(tmp_path, POSITION, POSITION_EDITED)))

    me = client.get("/portal/me")
    assert NOTICE_ME in text(me)
    assert 'href="/portal/consents#purpose-2-2-8"' in me.text
    assert NOTICE_CONSENTS not in bystander.get("/portal/consents").text
    csrf, page = form(client, "/portal/consents")
    assert NOTICE_CONSENTS in page
    assert "Подтвердить согласие на новую редакцию" in page
    with opeka.data_engine.connect() as conn:
        current = registry.current(conn, "consent:2.2.8:registered")
    assert current is not None
    section = page.split('id="purpose-2-2-8"', 1)[1].split('<section class="consent-state"', 1)[0]
    assert versions(section) == {"version": current.version}

    answer = client.post(
        "/portal/consents/2.2.8/give",
        data={"csrf_token": csrf, "agree": "yes", "version": current.version},
    )
    assert answer.status_code == 303
    assert NOTICE_CONSENTS not in client.get("/portal/consents").text
    assert NOTICE_ME not in client.get("/portal/me").text
