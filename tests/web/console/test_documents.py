"""Consent documents and analytics in the console."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import FastAPI
from sqlalchemy import delete, insert
from tests.web.console.support import as_role

from opeka.app import Opeka
from opeka.consent import registry
from opeka.cookies.analytics import today
from opeka.db.cookies import analytics_day, analytics_page
from opeka.db.engine import read_only


def test_the_consents_page_lists_versions_and_hashes(app: FastAPI, opeka: Opeka) -> None:
    with read_only(opeka.data_engine) as conn:
        documents = registry.listing(conn)
    assert documents
    page = as_role(app, "support").get("/console/consents")
    assert page.status_code == 200
    for document in documents:
        assert document.id in page.text
        assert document.text_hash in page.text
    assert "/console/documents/" not in page.text  # support lacks documents.read


def test_an_auditor_reads_a_document_text(app: FastAPI, opeka: Opeka) -> None:
    with read_only(opeka.data_engine) as conn:
        document = registry.listing(conn)[0]
        text = registry.text(conn, document.id, document.version)
    auditor = as_role(app, "auditor")
    link = f"/console/documents/{quote(document.id, safe='')}/{quote(document.version, safe='')}"
    assert link in auditor.get("/console/consents").text
    page = auditor.get(link)
    assert page.status_code == 200
    assert text is not None
    first_line = text.strip().splitlines()[0]
    assert (
        first_line.replace('"', "&#34;").replace("«", "«") in page.text or first_line in page.text
    )
    assert auditor.get("/console/documents/none/1").status_code == 404
    assert as_role(app, "support").get(link).status_code == 403


def test_analytics_draws_bars_without_inline_styles(app: FastAPI, opeka: Opeka) -> None:
    day = today()
    with opeka.data_engine.begin() as conn:
        conn.execute(delete(analytics_day).where(analytics_day.c.day == day))
        conn.execute(delete(analytics_page).where(analytics_page.c.day == day))
        conn.execute(insert(analytics_day).values(day=day, pageviews=40, visitors=12))
        conn.execute(
            insert(analytics_page),
            [
                {"day": day, "path": "/catalog", "views": 30},
                {"day": day, "path": "/about", "views": 10},
            ],
        )
    page = as_role(app, "marketing").get("/console/analytics", days="7")
    assert page.status_code == 200
    assert "style=" not in page.text
    assert "<script" not in page.text
    bars = re.findall(r'<rect class="bar" [^>]*height="([0-9.]+)"', page.text)
    assert len(bars) == 14  # two charts of seven days
    assert max(float(h) for h in bars) == 160.0
    assert '<span class="fill w20">' in page.text  # /catalog, the top page
    assert '<span class="fill w7">' in page.text  # /about: 10 of 30 views
    assert as_role(app, "support").get("/console/analytics").status_code == 403


def test_analytics_refuses_an_absurd_range(app: FastAPI) -> None:
    marketing = as_role(app, "marketing")
    assert marketing.get("/console/analytics", days="0").status_code == 422
    assert marketing.get("/console/analytics", days="100000").status_code == 422
