"""API clients: tokens shown once, hashed secrets, every refusal path, scopes and purposes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from tests.auth.support import NOW, at

from opeka.app import Opeka
from opeka.auth import apikeys
from opeka.auth.apikeys import ApiClient, Scope
from opeka.auth.context import Auth
from opeka.auth.errors import (
    ApiClientNotFound,
    ApiKeyRevoked,
    InvalidApiKey,
    PurposeDenied,
    ScopeDenied,
    UnknownPurpose,
)
from opeka.auth.keys import sha256
from opeka.db.auth import auth_api_client


def make(
    opeka: Opeka, auth: Auth, *, purposes: tuple[str, ...] = ("2.2.7",)
) -> tuple[ApiClient, str]:
    with opeka.unit_of_work() as uow:
        return apikeys.create_api_key(
            uow.data,
            auth=auth,
            name="shop backend",
            scopes=[Scope.SUBJECTS_READ, Scope.EVENTS_WRITE],
            purposes=purposes,
            now=NOW,
        )


def authenticate(opeka: Opeka, token: str) -> ApiClient:
    with opeka.unit_of_work() as uow:
        return apikeys.authenticate_api_key(uow.data, token=token, now=at(5))


def test_a_new_key_authenticates_its_client(opeka: Opeka, auth: Auth) -> None:
    client, token = make(opeka, auth)
    assert re.fullmatch(r"opk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}", token)
    assert token.split("_")[1] == client.id
    found = authenticate(opeka, token)
    assert (found.id, found.name) == (client.id, "shop backend")
    assert found.scopes == {Scope.SUBJECTS_READ, Scope.EVENTS_WRITE}
    assert found.purposes == {"2.2.7"}


def test_only_the_hash_of_the_secret_is_stored(opeka: Opeka, auth: Auth) -> None:
    client, token = make(opeka, auth)
    secret = token.split("_", 2)[2]
    with opeka.data_engine.connect() as conn:
        row = conn.execute(select(auth_api_client).where(auth_api_client.c.id == client.id)).one()
    assert bytes(row.secret_sha256) == sha256(secret)
    assert secret not in repr(tuple(row))


def test_use_is_stamped(opeka: Opeka, auth: Auth) -> None:
    client, token = make(opeka, auth)
    assert client.last_used_at is None
    authenticate(opeka, token)
    with opeka.data_engine.connect() as conn:
        assert apikeys.get(conn, client_id=client.id).last_used_at == at(5)


def test_a_wrong_secret_is_refused(opeka: Opeka, auth: Auth) -> None:
    _, token = make(opeka, auth)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(InvalidApiKey) as caught:
        authenticate(opeka, forged)
    assert type(caught.value) is InvalidApiKey
    assert token not in str(caught.value)


def test_an_unknown_key_id_is_refused(opeka: Opeka, auth: Auth) -> None:
    _, token = make(opeka, auth)
    with pytest.raises(InvalidApiKey):
        authenticate(opeka, "opk_" + "0" * 16 + token[20:])


@pytest.mark.parametrize(
    "token", ["", "Bearer x", "opk_1234_abc", "opk_" + "g" * 16 + "_" + "a" * 43]
)
def test_a_malformed_token_is_refused(opeka: Opeka, token: str) -> None:
    with pytest.raises(InvalidApiKey):
        authenticate(opeka, token)


def test_a_revoked_key_is_refused(opeka: Opeka, auth: Auth) -> None:
    client, token = make(opeka, auth)
    with opeka.unit_of_work() as uow:
        revoked = apikeys.revoke(uow.data, client_id=client.id, now=at(1))
        again = apikeys.revoke(uow.data, client_id=client.id, now=at(2))
    assert revoked.revoked_at == again.revoked_at == at(1)
    with pytest.raises(ApiKeyRevoked):
        authenticate(opeka, token)


def test_revoking_an_unknown_client_is_refused(opeka: Opeka) -> None:
    with pytest.raises(ApiClientNotFound), opeka.unit_of_work() as uow:
        apikeys.revoke(uow.data, client_id="0" * 16)


def test_a_call_outside_the_scopes_is_refused(opeka: Opeka, auth: Auth) -> None:
    client, _ = make(opeka, auth)
    apikeys.require(client, Scope.SUBJECTS_READ, purpose="2.2.7")
    with pytest.raises(ScopeDenied, match="subjects:destroy"):
        apikeys.require(client, Scope.SUBJECTS_DESTROY)


def test_a_purpose_the_client_may_not_state_is_refused(opeka: Opeka, auth: Auth) -> None:
    client, _ = make(opeka, auth)
    with pytest.raises(PurposeDenied, match=r"2\.2\.9"):
        apikeys.require(client, Scope.SUBJECTS_READ, purpose="2.2.9")


def test_a_purpose_the_policy_lacks_is_refused_at_creation(opeka: Opeka, auth: Auth) -> None:
    with pytest.raises(UnknownPurpose, match=r"9\.9\.9"):
        make(opeka, auth, purposes=("2.2.7", "9.9.9"))


def test_a_client_needs_a_name_and_a_scope(opeka: Opeka, auth: Auth) -> None:
    with opeka.unit_of_work() as uow:
        with pytest.raises(ValueError, match="name"):
            apikeys.create_api_key(
                uow.data, auth=auth, name="  ", scopes=[Scope.EVENTS_WRITE], purposes=[]
            )
        with pytest.raises(ValueError, match="scope"):
            apikeys.create_api_key(uow.data, auth=auth, name="banner", scopes=[], purposes=[])


def test_list_shows_every_client(opeka: Opeka, auth: Auth) -> None:
    made = {make(opeka, auth)[0].id for _ in range(2)}
    with opeka.data_engine.connect() as conn:
        listed = {client.id for client in apikeys.list_clients(conn)}
    assert made <= listed
