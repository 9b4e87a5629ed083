"""Keys derived from the master key for authentication."""

from __future__ import annotations

import os

import pytest

from opeka.auth.keys import AuthKeys, derive_key, keyed_digest
from opeka.vault.keyfiles import MasterKey


def master() -> MasterKey:
    return MasterKey.from_secret(bytes(range(32)))


def test_derivation_is_deterministic_and_label_bound() -> None:
    material = os.urandom(32)
    assert derive_key(material, "cookie") == derive_key(material, "cookie")
    assert derive_key(material, "cookie") != derive_key(material, "rate-limit")
    assert len(derive_key(material, "cookie")) == 32


def test_every_auth_key_differs_from_each_other_and_from_the_vault_keys() -> None:
    key = master()
    keys = AuthKeys.from_master(key)
    found = {keys.cookie, keys.rate_limit, keys.user_agent, key.wrap_key, key.index_key}
    assert len(found) == 5


def test_another_master_key_gives_other_keys() -> None:
    other = MasterKey.from_secret(bytes(range(1, 33)))
    assert AuthKeys.from_master(master()).cookie != AuthKeys.from_master(other).cookie


def test_the_keys_do_not_show_in_repr() -> None:
    keys = AuthKeys.from_master(master())
    assert repr(keys) == "AuthKeys(<hidden>)"


def test_derivation_refuses_short_material_and_bad_labels() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        derive_key(b"short", "cookie")
    with pytest.raises(ValueError, match="ASCII"):
        derive_key(bytes(32), "")
    with pytest.raises(ValueError, match="ASCII"):
        derive_key(bytes(32), "ключ")


def test_keyed_digest_depends_on_the_key() -> None:
    assert keyed_digest(b"a" * 32, "x") != keyed_digest(b"b" * 32, "x")
    assert len(keyed_digest(b"a" * 32, "x")) == 16
