"""argon2id hashing, the upgrade path, the dummy check, and the password policy."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.auth.support import FAST, GOOD_PASSWORD, OTHER_PASSWORD

from opeka.auth.errors import PasswordRejected
from opeka.auth.passwords import (
    DEFAULT_PARAMS,
    MAX_LENGTH,
    PasswordHasher,
    PasswordParams,
    check_policy,
    hash_password,
    verify_password,
)


def test_default_parameters_are_the_documented_argon2id_ones() -> None:
    assert (
        PasswordParams(time_cost=2, memory_cost=65536, parallelism=2, hash_len=32, salt_len=16)
        == DEFAULT_PARAMS
    )
    stored = hash_password(GOOD_PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=2,p=2$")


def test_a_hash_verifies_its_password_and_nothing_else() -> None:
    stored = hash_password(GOOD_PASSWORD, params=FAST)
    assert GOOD_PASSWORD not in stored
    assert verify_password(stored, GOOD_PASSWORD, params=FAST).valid
    assert not verify_password(stored, OTHER_PASSWORD, params=FAST).valid


def test_each_hash_has_its_own_salt() -> None:
    assert hash_password(GOOD_PASSWORD, params=FAST) != hash_password(GOOD_PASSWORD, params=FAST)


def test_an_unreadable_hash_never_matches() -> None:
    assert not verify_password("not a hash", GOOD_PASSWORD, params=FAST).valid
    assert not verify_password("", "", params=FAST).valid


def test_a_hash_with_old_parameters_verifies_and_comes_back_upgraded() -> None:
    old = hash_password(GOOD_PASSWORD, params=FAST)
    check = verify_password(old, GOOD_PASSWORD)  # current parameters: the defaults
    assert check.valid
    assert check.rehash is not None
    assert check.rehash.startswith("$argon2id$v=19$m=65536,t=2,p=2$")
    again = verify_password(check.rehash, GOOD_PASSWORD)
    assert again.valid
    assert again.rehash is None


def test_a_wrong_password_against_an_old_hash_is_not_upgraded() -> None:
    old = hash_password(GOOD_PASSWORD, params=FAST)
    assert verify_password(old, OTHER_PASSWORD) == verify_password("x", "y")


def test_an_absurdly_long_input_is_refused_unhashed() -> None:
    stored = hash_password(GOOD_PASSWORD, params=FAST)
    assert not verify_password(stored, GOOD_PASSWORD + "x" * 10_000, params=FAST).valid


def test_composed_and_decomposed_letters_are_the_same_password() -> None:
    composed = "Йошкар-Ола-2026"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    stored = hash_password(composed, params=FAST)
    assert verify_password(stored, decomposed, params=FAST).valid


def test_the_dummy_check_runs_a_real_verification() -> None:
    hasher = PasswordHasher(FAST)
    hasher.dummy_verify(GOOD_PASSWORD)
    hasher.dummy_verify(OTHER_PASSWORD)  # the dummy hash is made once, then reused
    assert hasher._dummy is not None
    assert hasher._dummy.startswith("$argon2id$")


@given(st.text(min_size=1, max_size=40))
@settings(max_examples=25, deadline=None)
def test_any_password_round_trips(password: str) -> None:
    hasher = PasswordHasher(FAST)
    assert hasher.verify(hasher.hash(password), password).valid


def test_policy_accepts_a_good_password() -> None:
    check_policy(GOOD_PASSWORD, identifiers=("ivanova", "anna@example.org"))


def rejected(password: str, *identifiers: str) -> PasswordRejected:
    with pytest.raises(PasswordRejected) as caught:
        check_policy(password, identifiers=identifiers)
    assert caught.value.message_ru != caught.value.message_en
    assert password not in str(caught.value)
    assert password not in caught.value.message_ru
    return caught.value


def test_policy_refuses_a_password_shorter_than_ten() -> None:
    assert rejected("Short-p9").reason == "too_short"


def test_policy_refuses_a_password_longer_than_128() -> None:
    assert rejected("Aa1" * 43).reason == "too_long"
    check_policy(("Aa1" * 43)[:MAX_LENGTH])


@pytest.mark.parametrize(
    "password", ["abcdefghijkl", "ABCDEFGHIJKL", "123456789012", "!@#$%^&*()-+", "пароллльььь"]
)
def test_policy_refuses_one_character_class(password: str) -> None:
    assert rejected(password).reason == "one_class"


def test_policy_refuses_the_login_itself() -> None:
    assert rejected("Ivanova.2026", "ivanova.2026").reason == "equals_login"


def test_policy_refuses_the_email_in_any_case() -> None:
    assert rejected("Anna.Test@Example.org", "anna.test@example.org").reason == "equals_login"
