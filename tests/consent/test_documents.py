"""Consent documents: one per consent purpose and category, each art. 9 p. 4 element, exact data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.consent.support import edited_policy

from opeka.consent.document_view import ADDRESS_PLACEHOLDER, WITHDRAWAL_PAGE
from opeka.consent.documents import (
    ConsentDocument,
    consent_targets,
    render_document,
    render_documents,
    text_hash,
    warnings,
)
from opeka.policy.loader import load_policy
from opeka.policy.schema import Policy

POLICY = load_policy()
DOCUMENTS = {doc.id: doc for doc in render_documents(POLICY)}

EXPECTED_IDS = {
    "consent:2.2.2:registered",
    "consent:2.2.3:registered",
    "consent:2.2.3:client",
    "consent:2.2.5:registered",
    "consent:2.2.5:client",
    "consent:2.2.8:visitor",
    "consent:2.2.8:registered",
    "consent:2.2.8:client",
    "consent:2.2.9:visitor",
    "consent:2.2.9:registered",
}


def data_list(text: str) -> list[str]:
    """The items of section 3 («Перечень персональных данных») of a Markdown document."""
    section = text.split("**3. Перечень персональных данных.**", 1)[1].split("**4.", 1)[0]
    return [line[2:] for line in section.splitlines() if line.startswith("- ")]


def expected_titles(policy: Policy, purpose_id: str, category: str) -> list[str]:
    declared = {f.field for f in policy.subject_categories[category].fields}
    purpose = policy.purposes[purpose_id]
    return [policy.fields[c].title.ru for c in purpose.fields if c in declared]


def test_one_document_per_consent_purpose_and_category_and_none_for_other_bases() -> None:
    assert set(DOCUMENTS) == EXPECTED_IDS
    assert {doc.purpose for doc in DOCUMENTS.values()} == {
        "2.2.2",
        "2.2.3",
        "2.2.5",
        "2.2.8",
        "2.2.9",
    }
    assert len(consent_targets(POLICY)) == len(EXPECTED_IDS)


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_IDS))
def test_each_document_lists_exactly_the_purposes_fields_the_category_has(doc_id: str) -> None:
    doc = DOCUMENTS[doc_id]
    titles = expected_titles(POLICY, doc.purpose, doc.category)
    assert data_list(doc.text) == titles
    assert doc.fields == tuple(
        c
        for c in POLICY.purposes[doc.purpose].fields
        if c in {f.field for f in POLICY.subject_categories[doc.category].fields}
    )
    html_items = re.findall(r"<li>(.*?)</li>", doc.html.split("<h2>3.", 1)[1].split("<h2>4.")[0])
    assert html_items == titles


def test_client_data_list_excludes_fields_the_client_category_does_not_have() -> None:
    titles = data_list(DOCUMENTS["consent:2.2.5:client"].text)
    assert "Отчество" not in titles
    assert "Страна проживания" not in titles
    assert "Отчество" in data_list(DOCUMENTS["consent:2.2.5:registered"].text)


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_IDS))
def test_each_document_has_every_element_of_article_9_part_4_that_applies(doc_id: str) -> None:
    doc = DOCUMENTS[doc_id]
    purpose = POLICY.purposes[doc.purpose]
    text = doc.text
    # (3) operator's name and address
    assert POLICY.operator.name in text
    assert f"адрес: {ADDRESS_PLACEHOLDER}" in text
    # (4) purpose
    assert purpose.title.ru in text
    assert f"п. {purpose.clause} Политики" in text
    # (5) list of data: see the data-list test; the section is there
    assert "**3. Перечень персональных данных.**" in text
    # (6) processors
    assert "не поручает обработку персональных данных другим лицам" in text
    # (7) actions in the law's words and methods
    assert (
        "Сбор, запись, систематизация, накопление, хранение, уточнение (обновление, изменение)"
        in text
    )
    assert "блокирование, удаление, уничтожение" in text
    assert "с использованием средств автоматизации" in text
    # (8) term and how to withdraw
    assert purpose.retention.rule.ru.lower() in text.lower()
    assert "до его отзыва" in text
    assert WITHDRAWAL_PAGE in text
    assert POLICY.operator.contact_email in text
    assert "в течение 30 календарных дней" in text
    assert "п. 5.3 Политики" in text
    # 156-FZ: drawn up separately
    assert "оформлено отдельно от иных информации и документов" in text
    assert "156-ФЗ" in text
    assert f"Идентификатор документа: {doc_id}" in text


def test_transfer_is_an_action_only_where_the_purpose_transfers_and_recipients_are_named() -> None:
    transfer = "передача (предоставление, доступ)"
    for doc in DOCUMENTS.values():
        assert (transfer in doc.text) == (doc.purpose == "2.2.5"), doc.id
    text = DOCUMENTS["consent:2.2.5:client"].text
    for recipient in POLICY.recipients.values():
        assert f"- {recipient.title.ru} (Российская Федерация)" in text
    assert "трансграничная передача не осуществляется" in text
    assert "третьим лицам не передаются" in DOCUMENTS["consent:2.2.8:visitor"].text


def test_text_hash_is_sha256_of_the_exact_text_and_version_carries_policy_version_and_hash() -> (
    None
):
    for doc in DOCUMENTS.values():
        assert doc.text_hash == text_hash(doc.text)
        assert re.fullmatch(r"[0-9a-f]{64}", doc.text_hash)
        assert doc.version == f"{POLICY.version}+{doc.text_hash[:8]}"
    assert len({doc.text_hash for doc in DOCUMENTS.values()}) == len(DOCUMENTS)


def test_rendering_is_deterministic() -> None:
    again = {doc.id: doc for doc in render_documents(load_policy())}
    assert again == DOCUMENTS


def _by_id(path: Path) -> dict[str, ConsentDocument]:
    return {doc.id: doc for doc in render_documents(load_policy(path))}


def test_editing_a_field_title_changes_exactly_the_documents_that_list_it(tmp_path: Path) -> None:
    path = edited_policy(
        tmp_path,
        "title: {ru: Должность, en: Position}",
        "title: {ru: Должность в организации, en: Position}",
    )
    edited = _by_id(path)
    for doc_id, before in DOCUMENTS.items():
        after = edited[doc_id]
        lists_position = "position" in before.fields
        assert (after.text != before.text) == lists_position, doc_id
        assert (after.text_hash != before.text_hash) == lists_position, doc_id
        assert (after.version != before.version) == lists_position, doc_id
        assert (after.substance_hash != before.substance_hash) == lists_position, doc_id
        if lists_position:
            assert "Должность в организации" in data_list(after.text)


def test_a_new_policy_version_alone_leaves_every_text_and_hash_unchanged(tmp_path: Path) -> None:
    edited = _by_id(edited_policy(tmp_path, 'version: "2026.1"', 'version: "2026.2"'))
    for doc_id, before in DOCUMENTS.items():
        assert edited[doc_id].text == before.text
        assert edited[doc_id].text_hash == before.text_hash


def test_setting_the_operator_address_is_a_wording_change_not_a_material_one(
    tmp_path: Path,
) -> None:
    edited = _by_id(
        edited_policy(
            tmp_path, "address: null ", 'address: "123456, г. Москва, ул. Примерная, д. 1" '
        )
    )
    for doc_id, before in DOCUMENTS.items():
        after = edited[doc_id]
        assert "адрес: 123456, г. Москва, ул. Примерная, д. 1;" in after.text
        assert ADDRESS_PLACEHOLDER not in after.text
        assert after.text_hash != before.text_hash
        assert after.substance_hash == before.substance_hash


def test_warnings_name_the_missing_operator_address_until_it_is_set(tmp_path: Path) -> None:
    assert [w.code for w in warnings(POLICY)] == ["operator_address_missing"]
    assert str(warnings(POLICY)[0]).startswith("в политике не указан адрес оператора")
    with_address = load_policy(edited_policy(tmp_path, "address: null ", 'address: "г. Москва" '))
    assert warnings(with_address) == []


def test_config_text_is_escaped_in_html_and_markdown(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> *жирный* [ссылка](http://x)"
    policy = load_policy(
        edited_policy(
            tmp_path,
            "title: {ru: Должность, en: Position}",
            f'title: {{ru: "{hostile}", en: Position}}',
        )
    )
    doc = render_document(policy, "2.2.8", "visitor")
    assert "<script>" not in doc.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc.html
    assert "\\<script\\>" in doc.text
    assert "\\*жирный\\*" in doc.text


def test_html_is_a_fragment_without_inline_styles_or_scripts() -> None:
    for doc in DOCUMENTS.values():
        assert doc.html.startswith('<article class="consent-document" lang="ru"')
        assert doc.html.rstrip().endswith("</article>")
        lowered = doc.html.lower()
        for banned in ("<script", "style=", "<style", "onclick", "javascript:"):
            assert banned not in lowered, (doc.id, banned)
