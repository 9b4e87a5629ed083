"""Whether a legal basis remains after a withdrawal (the rule of opeka.consent.basis)."""

from __future__ import annotations

import pytest

from opeka.consent.basis import article_point, is_standing, remaining_basis
from opeka.policy.loader import load_policy

POLICY = load_policy()


@pytest.mark.parametrize(
    ("article", "point"),
    [
        ("152-ФЗ ст. 6 ч. 1 п. 5", "5"),
        ("152-ФЗ ст. 6 ч. 1 п. 3.1", "3.1"),
        ("ст.6 ч.1 п.7", "7"),
        ("152-ФЗ ст. 9", None),
    ],
)
def test_the_point_of_article_6_part_1_is_read_from_the_basis(
    article: str, point: str | None
) -> None:
    assert article_point(article) == point


def test_contract_purposes_stand_and_interest_research_consent_statutory_do_not() -> None:
    standing = {pid for pid, p in POLICY.purposes.items() if is_standing(POLICY, p)}
    assert standing == {"2.2.1", "2.2.7"}


@pytest.mark.parametrize(
    ("category", "expected"), [("visitor", False), ("registered", True), ("client", True)]
)
def test_without_consents_only_categories_under_a_contract_keep_a_basis(
    category: str, expected: bool
) -> None:
    assert (
        remaining_basis(POLICY, category=category, active_consents=(), withdrew_all=False)
        is expected
    )


def test_another_active_consent_keeps_a_basis() -> None:
    assert remaining_basis(
        POLICY, category="visitor", active_consents={"2.2.9"}, withdrew_all=False
    )


def test_withdrawing_consent_as_a_whole_leaves_no_basis_even_under_a_contract() -> None:
    assert not remaining_basis(
        POLICY, category="client", active_consents={"2.2.3"}, withdrew_all=True
    )
