"""The banner's notice is built from the policy's cookie kinds and versioned by their content."""

from __future__ import annotations

import pytest

from opeka.cookies.config import (
    GPC_CATEGORIES,
    MAX_EXPIRY_DAYS,
    UI,
    banner_config,
    cookie_version,
    gpc_json,
)
from opeka.policy.loader import load_policy
from opeka.policy.schema import Policy, Text

POLICY = load_policy()


def with_cookie_text(policy: Policy, code: str, ru: str) -> Policy:
    kind = policy.cookies[code].model_copy(update={"description": Text(ru=ru, en="changed")})
    return policy.model_copy(update={"cookies": {**policy.cookies, code: kind}})


def test_the_notice_lists_the_policy_cookie_kinds_always_on_first() -> None:
    config = banner_config(POLICY)
    codes = [c.code for c in config.categories]
    assert set(codes) == set(POLICY.cookies)
    assert codes[0] == "authentication"
    assert config.optional == ("preferences", "stored_information", "analytics")
    assert [c.clause for c in config.categories] == ["6.3", "6.2", "6.4", "6.5"]


def test_the_version_changes_with_the_cookie_section() -> None:
    changed = with_cookie_text(POLICY, "analytics", "Другой текст")
    assert cookie_version(changed) != cookie_version(POLICY)


def test_the_version_changes_with_the_policy_version() -> None:
    changed = POLICY.model_copy(update={"version": "2099.1"})
    assert cookie_version(changed) != cookie_version(POLICY)


def test_the_version_ignores_the_rest_of_the_policy() -> None:
    changed = POLICY.model_copy(update={"language": "en"})
    assert cookie_version(changed) == cookie_version(POLICY)


def test_the_choice_expires_after_182_days_by_default() -> None:
    assert banner_config(POLICY).expiry_days == 182


@pytest.mark.parametrize("days", [0, MAX_EXPIRY_DAYS + 1])
def test_an_expiry_outside_13_months_is_refused(days: int) -> None:
    with pytest.raises(ValueError, match="expires"):
        banner_config(POLICY, expiry_days=days)


def test_thirteen_months_is_allowed() -> None:
    assert banner_config(POLICY, expiry_days=MAX_EXPIRY_DAYS).expiry_days == MAX_EXPIRY_DAYS


def test_the_json_carries_russian_first_and_english_texts() -> None:
    data = banner_config(POLICY).to_json(gpc=False)
    assert data["lang"] == "ru"
    assert set(data["t"]) == {"ru", "en"}
    assert set(data["t"]["ru"]) == set(UI)
    for category in data["categories"]:
        assert category["title"]["ru"]
        assert category["title"]["en"]
        assert category["text"]["ru"]
        assert category["text"]["en"]
    assert data["gpc"] is False


def test_the_json_says_gpc_is_on_and_which_categories_it_turns_off() -> None:
    data = banner_config(POLICY).to_json(gpc=True)
    assert data["gpc"] is True
    assert data["gpcOff"] == sorted(GPC_CATEGORIES) == ["analytics"]


def test_gpc_json_follows_the_well_known_format() -> None:
    assert gpc_json(POLICY) == {"gpc": True, "lastUpdate": "2026-01-01"}
