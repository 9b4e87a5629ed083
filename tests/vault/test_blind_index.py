"""Blind indexes: the width follows the expected population; lookups survive shared digests."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy import func, select
from tests.factories import client_values

from opeka.app import Opeka, read_meta
from opeka.db.journal import journal_entry
from opeka.db.subjects import blind_index
from opeka.journal.entry import decode
from opeka.policy.loader import DEFAULT_POLICY_PATH
from opeka.policy.values import email_index_form, phone_index_form
from opeka.processing import Actor
from opeka.vault import service as vault
from opeka.vault.blind_index import (
    MAX_BITS,
    MIN_BITS,
    BlindIndexer,
    IndexKind,
    width_for_population,
)

STAFF = Actor.staff("ivanova")
SUBJECTS = 400  # well above the 256 digests of an 8-bit index: buckets must be shared

keys = st.binary(min_size=32, max_size=32)
widths = st.integers(MIN_BITS, MAX_BITS)
kinds = st.sampled_from(list(IndexKind))


# --- width ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "bits"),
    [
        (10**6, 19),
        (100, MIN_BITS),
        (1, MIN_BITS),
        (0, MIN_BITS),
        (2**9, 8),
        (2**9 + 1, 9),
        (2**20, 19),
        (10**10, MAX_BITS),
        (2**33, MAX_BITS),
    ],
)
def test_width_for_population_takes_one_bit_less_than_the_population_needs(
    population: int, bits: int
) -> None:
    assert width_for_population(population) == bits


@given(st.integers(0, 10**12))
def test_width_stays_within_8_and_32_bits(population: int) -> None:
    assert MIN_BITS <= width_for_population(population) <= MAX_BITS


@given(st.integers(0, 10**12), st.integers(0, 10**12))
def test_width_never_shrinks_as_the_population_grows(a: int, b: int) -> None:
    small, large = sorted((a, b))
    assert width_for_population(small) <= width_for_population(large)


@given(st.integers(2**MIN_BITS * 2 + 1, 2**MAX_BITS * 2))
def test_between_the_bounds_a_lookup_expects_one_to_two_false_positives(population: int) -> None:
    expected_candidates = population / 2 ** width_for_population(population)
    assert 1 < expected_candidates <= 2


@pytest.mark.parametrize("bits", [MIN_BITS - 1, MAX_BITS + 1, 0, 64])
def test_an_indexer_refuses_a_width_outside_8_to_32_bits(bits: int) -> None:
    with pytest.raises(ValueError, match=r"8\.\.32 bits"):
        BlindIndexer(bytes(32), bits)


# --- digests ----------------------------------------------------------------------------------


@given(keys, widths, kinds, st.text())
def test_digests_fit_in_the_width(key: bytes, width: int, kind: IndexKind, value: str) -> None:
    assert 0 <= BlindIndexer(key, width).digest(kind, value) < 2**width


@given(keys, widths, kinds, st.text())
def test_the_same_value_gives_the_same_digest(
    key: bytes, width: int, kind: IndexKind, value: str
) -> None:
    assert BlindIndexer(key, width).digest(kind, value) == BlindIndexer(key, width).digest(
        kind, value
    )


@given(keys, kinds, st.text(), widths, widths)
def test_a_narrower_digest_is_a_prefix_of_a_wider_one(
    key: bytes, kind: IndexKind, value: str, a: int, b: int
) -> None:
    narrow, wide = sorted((a, b))
    full = BlindIndexer(key, wide).digest(kind, value)
    assert BlindIndexer(key, narrow).digest(kind, value) == full >> (wide - narrow)


@given(keys, keys, st.text(min_size=1))
def test_distinct_keys_give_unrelated_32_bit_digests(key: bytes, other: bytes, value: str) -> None:
    assume(key != other)
    digest = BlindIndexer(key, 32).digest(IndexKind.EMAIL, value)
    assert digest != BlindIndexer(other, 32).digest(IndexKind.EMAIL, value)


@given(keys, st.text(min_size=1))
def test_an_email_and_a_phone_with_the_same_text_get_unrelated_digests(
    key: bytes, value: str
) -> None:
    indexer = BlindIndexer(key, 32)
    assert indexer.digest(IndexKind.EMAIL, value) != indexer.digest(IndexKind.PHONE, value)


def test_digests_under_two_keys_agree_only_by_chance() -> None:
    """Over 4096 values at 8 bits, two keys agree on about 1/256 of them, as independence says."""
    first, second = BlindIndexer(b"k" * 32, 8), BlindIndexer(b"K" * 32, 8)
    values = [f"user{i}@example.org" for i in range(4096)]
    agree = sum(
        first.digest(IndexKind.EMAIL, v) == second.digest(IndexKind.EMAIL, v) for v in values
    )
    # mean 16, standard deviation ~4: 0..40 is about six deviations either way
    assert agree <= 40
    buckets = Counter(first.digest(IndexKind.EMAIL, v) for v in values)
    assert len(buckets) == 256  # every digest value is reached
    assert max(buckets.values()) < 4 * 4096 / 256


# --- a narrow index in a real database --------------------------------------------------------


@pytest.fixture
def narrow(make_opeka: Callable[..., Opeka], tmp_path: Path) -> Opeka:
    """An Opeka whose policy expects 100 subjects, hence an 8-bit index."""
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    assert "expected_population: 1000000" in text
    policy = tmp_path / "small-population.yaml"
    policy.write_text(
        text.replace("expected_population: 1000000", "expected_population: 100"), encoding="utf-8"
    )
    return make_opeka(policy=policy)


@pytest.fixture
def crowded(narrow: Opeka) -> list[uuid.UUID]:
    """Hundreds of clients in the 8-bit index (ids in the order of ``client_values``)."""
    with narrow.processing(STAFF, "2.2.7") as p:
        return [
            p.collect(category="client", values=client_values(i), source="договор")
            for i in range(SUBJECTS)
        ]


def email_digest(opeka: Opeka, i: int) -> int:
    key = email_index_form(client_values(i)["email"])
    return opeka.services.indexer.digest(IndexKind.EMAIL, key)


def extractions(opeka: Opeka) -> list[uuid.UUID | None]:
    with opeka.data_engine.connect() as conn:
        rows = conn.execute(select(journal_entry.c.entry).order_by(journal_entry.c.seq))
        entries = [decode(r[0]) for r in rows]
    return [e.subject_id for e in entries if e.action == "извлечение"]


def test_a_small_expected_population_fixes_an_8_bit_width(narrow: Opeka) -> None:
    assert read_meta(narrow.data_engine)["blind_index_bits"] == "8"


def test_stored_digests_of_a_narrow_index_fit_in_8_bits(
    narrow: Opeka, crowded: list[uuid.UUID]
) -> None:
    with narrow.data_engine.connect() as conn:
        largest, count = conn.execute(select(func.max(blind_index.c.digest), func.count())).one()
    assert largest < 256
    assert count == 2 * SUBJECTS  # one e-mail and one phone digest per client


def test_find_by_email_returns_only_the_true_match_among_shared_digests(
    narrow: Opeka, crowded: list[uuid.UUID]
) -> None:
    buckets = Counter(email_digest(narrow, i) for i in range(SUBJECTS))
    target = max(range(SUBJECTS), key=lambda i: buckets[email_digest(narrow, i)])
    email = client_values(target)["email"]
    with narrow.unit_of_work() as uow:
        shared = vault.candidates(uow, "email", email_index_form(email))
    assert len(shared) == buckets[email_digest(narrow, target)] >= 3
    assert crowded[target] in shared
    with narrow.processing(STAFF, "2.2.7") as p:
        found = p.find(email=email.upper())
    assert found == [crowded[target]]
    assert extractions(narrow) == [crowded[target]]  # false positives are not journaled


def test_find_by_email_matches_every_subject_in_a_crowded_index(
    narrow: Opeka, crowded: list[uuid.UUID]
) -> None:
    with narrow.processing(STAFF, "2.2.7") as p:
        found = {i: p.find(email=client_values(i)["email"]) for i in range(0, SUBJECTS, 7)}
    assert found == {i: [crowded[i]] for i in range(0, SUBJECTS, 7)}


def test_find_by_phone_returns_only_the_true_match_among_shared_digests(
    narrow: Opeka, crowded: list[uuid.UUID]
) -> None:
    def digest(i: int) -> int:
        key = phone_index_form(client_values(i)["phone"])
        return narrow.services.indexer.digest(IndexKind.PHONE, key)

    buckets = Counter(digest(i) for i in range(SUBJECTS))
    target = max(range(SUBJECTS), key=lambda i: buckets[digest(i)])
    assert buckets[digest(target)] >= 3
    with narrow.processing(STAFF, "2.2.7") as p:
        found = p.find(phone=client_values(target)["phone"])
    assert found == [crowded[target]]


def test_find_returns_nothing_for_an_unknown_email_whose_digest_is_taken(
    narrow: Opeka, crowded: list[uuid.UUID]
) -> None:
    taken = {email_digest(narrow, i) for i in range(SUBJECTS)}
    stranger = next(
        email
        for email in (f"stranger{n}@example.org" for n in range(10_000))
        if narrow.services.indexer.digest(IndexKind.EMAIL, email) in taken
    )
    with narrow.unit_of_work() as uow:
        assert vault.candidates(uow, "email", stranger)
    with narrow.processing(STAFF, "2.2.7") as p:
        assert p.find(email=stranger) == []
    assert extractions(narrow) == []


def test_the_default_policy_gives_a_19_bit_index(opeka: Opeka) -> None:
    assert opeka.policy.index.expected_population == 10**6
    assert read_meta(opeka.data_engine)["blind_index_bits"] == "19"
