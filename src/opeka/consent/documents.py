"""Consent documents rendered from the policy: one per consent-based purpose and subject category.

Since 01.09.2025 (156-FZ of 24.06.2025) a consent is drawn up separately from any other document
the subject confirms or signs, so each purpose whose legal basis has ``requires_consent: true``
gets a document of its own for each subject category it applies to, id ``consent:<purpose>:
<category>`` (``consent:2.2.8:visitor``). The text (Markdown, Russian) gives what 152-FZ art. 9
p. 4 lists, as far as it applies to a consent given online: the operator's name and address,
the purpose, the list of data (the purpose's fields the category has, with their Russian
titles), the actions in the law's words and the methods, recipients and processors, the term,
how to withdraw, and that it is given separately. The subject's own identity (art. 9 p. 4 (1))
is the account or form it is given from; none of the policy's purposes needs the written form
(special categories, biometrics, automated decisions).

``text_hash`` is the SHA-256 of the exact UTF-8 text; ``version`` is the policy version plus the
first 8 hex digits of that hash, so the version changes exactly when the text does (the text
does not mention the policy version: an unchanged text keeps its version across policy
releases, see :mod:`opeka.consent.registry`). The HTML is a fragment for the portal, rendered
from the same wording, with no inline styles or scripts.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

from opeka.consent.document_view import (
    ADDRESS_PLACEHOLDER,
    WITHDRAWAL_PAGE,
    build_view,
    data_items,
    document_id,
    substance,
)
from opeka.policy.render import md_escape
from opeka.policy.schema import Policy

Format = Literal["md", "html"]
_BLANK_RUNS = re.compile(r"\n{3,}")

__all__ = [
    "WITHDRAWAL_PAGE",
    "ConsentDocument",
    "DocumentWarning",
    "consent_targets",
    "document_id",
    "render_document",
    "render_documents",
    "text_hash",
    "warnings",
]


@dataclass(frozen=True, slots=True)
class ConsentDocument:
    """One rendered consent document."""

    id: str
    purpose: str
    category: str
    fields: tuple[str, ...]
    version: str
    text: str
    html: str
    text_hash: str
    substance_hash: str


@dataclass(frozen=True, slots=True)
class DocumentWarning:
    """Something the operator should fix before the documents are shown (ru first, en second)."""

    code: str
    ru: str
    en: str

    def __str__(self) -> str:
        return f"{self.ru} ({self.en})"


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the exact UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def consent_targets(policy: Policy) -> list[tuple[str, str]]:
    """(purpose, category) pairs that get a document: consent-based purposes, non-empty lists."""
    targets = []
    for pid, purpose in policy.purposes.items():
        basis = policy.legal_bases.get(purpose.basis)
        if basis is None or not basis.requires_consent:
            continue
        for category in purpose.subject_categories:
            if category in policy.subject_categories and data_items(policy, purpose, category):
                targets.append((pid, category))
    return targets


def render_document(
    policy: Policy, purpose_id: str, category: str, *, portal: str = WITHDRAWAL_PAGE
) -> ConsentDocument:
    """Render the consent document for one purpose and category."""
    text = _render(policy, purpose_id, category, "md", portal)
    digest = text_hash(text)
    purpose = policy.purposes[purpose_id]
    plain = build_view(policy, purpose_id, category, esc=_same, portal=portal)
    return ConsentDocument(
        id=document_id(purpose_id, category),
        purpose=purpose_id,
        category=category,
        fields=tuple(item.code for item in data_items(policy, purpose, category)),
        version=f"{policy.version}+{digest[:8]}",
        text=text,
        html=_render(policy, purpose_id, category, "html", portal),
        text_hash=digest,
        substance_hash=substance(plain),
    )


def render_documents(policy: Policy, *, portal: str = WITHDRAWAL_PAGE) -> list[ConsentDocument]:
    """Every consent document of the policy, in the policy's order of purposes."""
    return [render_document(policy, p, c, portal=portal) for p, c in consent_targets(policy)]


def warnings(policy: Policy) -> list[DocumentWarning]:
    """What keeps the documents from being complete (the policy lint does not check these)."""
    found = []
    if policy.operator.address is None:
        found.append(
            DocumentWarning(
                "operator_address_missing",
                f"в политике не указан адрес оператора (operator.address): в документах "
                f"согласия стоит «{ADDRESS_PLACEHOLDER}»",
                "the policy gives no operator.address; consent documents say "
                f"«{ADDRESS_PLACEHOLDER}» until it is set",
            )
        )
    if policy.processors.used and not policy.processors.names:
        found.append(
            DocumentWarning(
                "processors_unnamed",
                "обработка поручается другим лицам, но они не названы (processors.names)",
                "processors are used but not named (processors.names)",
            )
        )
    for pid, purpose in policy.purposes.items():
        basis = policy.legal_bases.get(purpose.basis)
        if basis is None or not basis.requires_consent:
            continue
        for category in purpose.subject_categories:
            if category in policy.subject_categories and not data_items(policy, purpose, category):
                found.append(
                    DocumentWarning(
                        "empty_data_list",
                        f"цель {pid} не использует ни одного поля категории «{category}»: "
                        "документ согласия не составляется",
                        f"purpose {pid} uses no field of category `{category}`; no document",
                    )
                )
    return found


def _render(policy: Policy, purpose_id: str, category: str, fmt: Format, portal: str) -> str:
    view = build_view(
        policy, purpose_id, category, esc=md_escape if fmt == "md" else _same, portal=portal
    )
    text = _environment(fmt).get_template("consent.j2").render(v=view, blocks=f"blocks.{fmt}.j2")
    joined = "\n".join(line.rstrip() for line in text.splitlines())
    return _BLANK_RUNS.sub("\n\n", joined).strip() + "\n"


def _same(text: str) -> str:
    return text


@cache
def _environment(fmt: Format) -> Environment:
    # Markdown is not HTML: autoescaping would corrupt it; config text is escaped by md_escape
    # in the view instead. The HTML environment autoescapes.
    return Environment(
        loader=PackageLoader("opeka.consent", "templates"),
        autoescape=fmt == "html",  # noqa: S701
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
