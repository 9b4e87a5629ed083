"""Render the published privacy policy (Russian) from the policy config, as Markdown or HTML.

The wording lives once, in ``templates/policy.j2``; ``blocks.md.j2`` and ``blocks.html.j2`` lay
it out. The HTML environment autoescapes; the Markdown one cannot (it is not HTML), so config
text is escaped for Markdown while the view is built (:mod:`opeka.policy.render_view`). The HTML
is a complete document without inline styles or scripts, fit for a strict Content-Security-Policy.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

from opeka.policy.render_view import build_view
from opeka.policy.schema import Policy

Format = Literal["md", "html"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_BLANK_RUNS = re.compile(r"\n{3,}")


def render_policy(policy: Policy, *, fmt: Format) -> str:
    """Return the privacy policy text of ``policy`` in ``fmt`` ("md" or "html")."""
    view = build_view(policy, esc=md_escape if fmt == "md" else _same)
    template = _environment(fmt).get_template("policy.j2")
    text = template.render(v=view, blocks=f"blocks.{fmt}.j2")
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"


def md_escape(text: str) -> str:
    """Escape the characters that Markdown would read as markup (or raw HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _same(text: str) -> str:
    return text


@cache
def _environment(fmt: Format) -> Environment:
    # Markdown is not HTML: autoescaping would corrupt it; its config text is escaped by
    # md_escape in the view instead.
    return Environment(
        loader=PackageLoader("opeka.policy", "templates"),
        autoescape=fmt == "html",  # noqa: S701
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
