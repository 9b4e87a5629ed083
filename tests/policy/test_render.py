"""The rendered privacy policy: the seed's clauses, and the config's content in them."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from opeka.policy.loader import DEFAULT_POLICY_PATH, check_policy_text
from opeka.policy.render import Format, render_policy
from opeka.policy.schema import Policy

SHIPPED = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
NUMBERED = re.compile(r"^(?:#{1,6}\s+)?(\d+(?:\.\d+)*)\.\s+(.*)$")
FORMATS: list[Format] = ["md", "html"]


def seed_text() -> str:
    """The seed policy, from $OPEKA_SHARED_DIR or ../shared beside the repository."""
    configured = os.environ.get("OPEKA_SHARED_DIR")
    shared = Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared"
    seed = shared / "seed" / "privacy-policy.ru.md"
    if not seed.is_file() and not configured:
        pytest.skip(f"seed policy not found at {seed}; set OPEKA_SHARED_DIR")
    return seed.read_text(encoding="utf-8")


def policy_from(text: str) -> Policy:
    """Load a policy text that must be free of problems."""
    policy, problems = check_policy_text(text, filename="policy.yaml")
    assert problems == []
    assert policy is not None
    return policy


def edited(*pairs: tuple[str, str]) -> Policy:
    """The shipped policy with each (old, new) replaced once."""
    text = SHIPPED
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return policy_from(text)


class _TextOfHtml(HTMLParser):
    """The visible text of an HTML page, one line per block element."""

    BLOCKS = frozenset({"p", "li", "ul", "h1", "h2", "section", "article", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def as_text(policy: Policy, fmt: Format) -> str:
    """The rendered policy as plain lines (HTML tags dropped, entities decoded)."""
    out = render_policy(policy, fmt=fmt)
    if fmt == "md":
        return out
    parser = _TextOfHtml()
    parser.feed(out)
    return "".join(parser.parts)


def numbers(text: str) -> list[str]:
    """Clause and section numbers in order of appearance."""
    return [m.group(1) for line in text.splitlines() if (m := NUMBERED.match(line.strip()))]


def clause(text: str, number: str) -> str:
    """The lines of clause ``number``, up to the next numbered line."""
    lines = [line.strip() for line in text.splitlines()]
    heads = [(i, m.group(1)) for i, line in enumerate(lines) if (m := NUMBERED.match(line))]
    start = next(i for i, found in heads if found == number)
    end = next((i for i, _ in heads if i > start), len(lines))
    return "\n".join(lines[start:end]).strip()


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policy_from(SHIPPED)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_seed_clause_is_rendered_in_order(shipped: Policy, fmt: Format) -> None:
    seed = numbers(seed_text())
    assert {"1", "1.1.4", "2.2.9", "3.2.1", "4.1.4", "6.7", "7"} <= set(seed)
    assert numbers(as_text(shipped, fmt)) == seed


@pytest.mark.parametrize("fmt", FORMATS)
def test_section_headings_are_the_seed_s(shipped: Policy, fmt: Format) -> None:
    def headings(text: str) -> dict[str, str]:
        found = (NUMBERED.match(line.strip()) for line in text.splitlines())
        return {m.group(1): m.group(2).strip() for m in found if m and "." not in m.group(1)}

    assert headings(as_text(shipped, fmt)) == headings(seed_text())


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_category_lists_its_fields_in_its_clause(shipped: Policy, fmt: Format) -> None:
    text = as_text(shipped, fmt)
    for n, category in enumerate(shipped.subject_categories.values(), start=2):
        body = clause(text, f"1.1.{n}").lower()
        assert f"«{category.title.ru.lower()}»" in body
        for item in category.fields:
            title = shipped.fields[item.field].title.ru.lower()
            mark = " (обязательно)" if item.mandatory else ""
            expected = f"- {title}{mark}" if fmt == "md" else f"{title}{mark}"
            assert expected in body.splitlines()


@pytest.mark.parametrize("fmt", FORMATS)
def test_purposes_are_listed_in_order_without_statutory_ones(shipped: Policy, fmt: Format) -> None:
    text = as_text(shipped, fmt)
    listed = [p for p in shipped.purposes.values() if not p.statutory]
    for n, purpose in enumerate(listed, start=1):
        assert clause(text, f"2.2.{n}") == f"2.2.{n}. {purpose.title.ru}."
    assert shipped.purposes["legal.subject_rights"].title.ru not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_recipients_are_listed_in_3_2_1(shipped: Policy, fmt: Format) -> None:
    body = clause(as_text(shipped, fmt), "3.2.1")
    assert "(п. 2.2.5)" in body
    for recipient in shipped.recipients.values():
        assert recipient.title.ru.lower() in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_changing_a_field_title_changes_the_text(fmt: Format) -> None:
    policy = edited(("title: {ru: Отчество,", "title: {ru: Второе имя,"))
    text = as_text(policy, fmt)
    assert "второе имя" in clause(text, "1.1.2")
    assert "отчество" not in text.lower()


@pytest.mark.parametrize("fmt", FORMATS)
def test_operator_version_and_date_come_from_the_config(fmt: Format) -> None:
    policy = edited(
        ("short_name: КМ АССИСТЕНС", "short_name: Ромашка"),
        ('version: "2026.1"', 'version: "2027.2"'),
        ("effective_date: 2026-01-01", "effective_date: 2027-03-15"),
        ('sites: ["www.wwgroup.ru", "*.wwgroup.ru"]', 'sites: ["romashka.example"]'),
    )
    text = as_text(policy, fmt)
    assert "Редакция 2027.2. Действует с 15.03.2027." in text
    assert "(далее – Ромашка)" in text
    assert "КМ АССИСТЕНС»" in text  # the full name is unchanged
    assert "https://romashka.example" in render_policy(policy, fmt=fmt)
    assert "www.wwgroup.ru" not in text
    assert "поддомены" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_withdrawal_clause_takes_email_and_term_from_the_config(fmt: Format) -> None:
    text = SHIPPED.replace("destroy_within_days: 30", "destroy_within_days: 21")
    text = text.replace("withdrawal_destruction: {days: 30,", "withdrawal_destruction: {days: 21,")
    text = text.replace("contact_email: Info@wwgroup.ru", "contact_email: privacy@example.ru")
    rendered = as_text(policy_from(text), fmt)
    body = clause(rendered, "5.3")
    assert "privacy@example.ru" in body
    assert "в течение 21 календарного дня с момента получения" in body
    assert "privacy@example.ru" in clause(rendered, "7")
    assert "mailto:privacy@example.ru" in render_policy(policy_from(text), fmt=fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_cookie_clauses_come_from_the_config(fmt: Format) -> None:
    policy = edited(("title: {ru: Аналитика,", "title: {ru: Веб-аналитика,"))
    text = as_text(policy, fmt)
    assert clause(text, "6.5").startswith("6.5. Веб-аналитика. Учёт количества")
    assert "до 182 дней" in clause(text, "6.5")
    assert "нельзя отключить" in clause(text, "6.3")
    assert "до конца сеанса" in clause(text, "6.3")
    assert "нельзя отключить" not in clause(text, "6.2")


@pytest.mark.parametrize("fmt", FORMATS)
def test_processors_decisions_and_transfers_abroad_follow_the_config(fmt: Format) -> None:
    policy = edited(
        (
            '  used: false\n  clause: "1.3"',
            '  used: true\n  clause: "1.3"\n  names: [ООО «Облако»]',
        ),
        ('  used: false\n  clause: "1.2"', '  used: true\n  clause: "1.2"'),
        (
            "  allowed: false\n  allowed_countries: [RU]",
            "  allowed: true\n  allowed_countries: [RU, KZ]",
        ),
    )
    text = as_text(policy, fmt)
    assert "ООО «Облако»" in clause(text, "1.3")
    assert "не поручает" not in text
    assert "статьёй 16" in clause(text, "1.2")
    assert "KZ" in clause(text, "3.3")
    assert "RU" not in clause(text, "3.3")
    assert "не осуществляет трансграничную" not in text


def test_html_escapes_markup_in_the_config() -> None:
    policy = edited(("  short_name: КМ АССИСТЕНС", "  short_name: <script>alert(1)</script>"))
    html = render_policy(policy, fmt="html")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markdown_escapes_markup_in_the_config() -> None:
    policy = edited(("  short_name: КМ АССИСТЕНС", "  short_name: <b>*КМ*</b>"))
    md = render_policy(policy, fmt="md")
    assert "<b>" not in md
    assert r"\<b\>\*КМ\*\</b\>" in md


def test_html_is_a_complete_document_fit_for_a_strict_csp(shipped: Policy) -> None:
    html = render_policy(shipped, fmt="html")
    assert html.startswith('<!DOCTYPE html>\n<html lang="ru">')
    assert '<meta charset="utf-8">' in html
    assert html.rstrip().endswith("</html>")
    assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=|javascript:", html, re.IGNORECASE)
    assert html.count("<h1>") == 1
    assert html.count("<h2>") == 7
