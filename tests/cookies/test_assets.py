"""The banner's files: small, dependency-free, and safe under a strict CSP."""

from __future__ import annotations

import re

import pytest

from opeka.cookies.assets import FILES, asset, banner_size

BUDGET = 6000  # decimal kilobytes, as the anchors measure


def test_js_and_css_together_stay_under_6_kb_gzipped() -> None:
    assert banner_size() <= BUDGET


@pytest.mark.parametrize("name", ["banner.js", "analytics.js"])
def test_the_scripts_use_no_eval_no_html_strings_and_no_inline_styles(name: str) -> None:
    code = asset(name).body.decode()
    for forbidden in (
        "eval(",
        "new Function",
        "innerHTML",
        "outerHTML",
        ".style",
        "setAttribute('style",
    ):
        assert forbidden not in code, forbidden
    assert "import " not in code  # no module dependencies


def test_the_banner_loads_nothing_from_another_origin() -> None:
    code = asset("banner.js").body.decode() + asset("banner.css").body.decode()
    assert not re.search(r"https?://", code)
    assert "@import" not in code


def test_the_banner_never_lends_its_nonce_to_blocked_scripts() -> None:
    code = asset("banner.js").body.decode()
    assert "s.nonce = old.nonce" in code
    assert "s.nonce = nonce" not in code


def test_an_unknown_asset_is_refused() -> None:
    with pytest.raises(KeyError):
        asset("../settings.py")


def test_every_listed_asset_exists() -> None:
    for name in FILES:
        assert asset(name).gzipped
