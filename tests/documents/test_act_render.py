"""Renders of acts and extracts: PDF with the number and every section, JSON, missing fonts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.documents.support import STAFF, collect_clients, destroy_with_act, pdf_title_holds

from opeka.app import Opeka
from opeka.documents import act_render, acts
from opeka.documents.act_model import Act
from opeka.documents.errors import FontMissing
from opeka.documents.extract import Extract, build_extract


@pytest.fixture
def opeka(shared: Opeka) -> Opeka:
    """These tests look only at what they make: one store per backend serves them all."""
    return shared


def issued(opeka: Opeka, number: str) -> tuple[Act, Extract]:
    with opeka.unit_of_work() as uow:
        act = acts.issue(uow, number=number, actor=STAFF, what="pdf")
    return act, build_extract(opeka.data_engine, act, policy=opeka.policy)


def test_the_act_and_extract_render_as_pdf(opeka: Opeka) -> None:
    number, _ = destroy_with_act(opeka, *collect_clients(opeka, 1, 2))
    act, extract = issued(opeka, number)
    for pdf in (
        act_render.act_pdf(act),
        act_render.extract_pdf(extract),
        act_render.document_pdf(act, extract),
    ):
        assert pdf.startswith(b"%PDF-")
        assert pdf_title_holds(pdf, number)
        assert b"DejaVu" in pdf  # the Cyrillic font is embedded


def test_the_document_json_has_both_parts(opeka: Opeka) -> None:
    number, _ = destroy_with_act(opeka, *collect_clients(opeka, 3))
    act, extract = issued(opeka, number)
    data = json.loads(act_render.document_json(act, extract))
    assert data["act"]["number"] == data["extract"]["act_number"] == number
    assert data["act"]["format"] == "opeka-destruction-act/1"


def test_a_missing_font_is_one_clear_line(opeka: Opeka, tmp_path: Path) -> None:
    number, _ = destroy_with_act(opeka, *collect_clients(opeka, 4))
    act, _ = issued(opeka, number)
    with pytest.raises(FontMissing) as caught:
        act_render.act_pdf(act, font_dir=tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert "DejaVuSans.ttf" in message
    assert "OPEKA_PDF_FONT_DIR" in message
