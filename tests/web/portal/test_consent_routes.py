"""«Мои согласия»: documents, give with the box ticked, withdraw, signed receipts."""

from __future__ import annotations

import json
import re
import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.portal.support import form, new_client, register, text

from opeka.app import Opeka
from opeka.consent import grants, receipts, registry, signing, store


def _give(client: TestClient, purpose: str, *, tick: bool = True) -> int:
    csrf, html = form(client, "/portal/consents")
    section = html.split(f'action="/portal/consents/{purpose}/give"', 1)[1]
    shown = re.search(r'name="version" value="([^"]+)"', section)
    assert shown is not None
    data = {"csrf_token": csrf, "version": shown.group(1)}
    if tick:
        data["agree"] = "yes"
    return client.post(f"/portal/consents/{purpose}/give", data=data).status_code


def _withdraw(client: TestClient, purpose: str) -> int:
    csrf, _ = form(client, "/portal/consents")
    return client.post(
        f"/portal/consents/{purpose}/withdraw", data={"csrf_token": csrf}
    ).status_code


def _active(opeka: Opeka, subject_id: uuid.UUID) -> frozenset[str]:
    with opeka.data_engine.connect() as conn:
        return grants.active_purposes(conn, subject_id=subject_id)


def test_the_page_shows_each_consent_with_its_state(client: TestClient, opeka: Opeka) -> None:
    register(client, opeka, consents=("2.2.2",))
    page = client.get("/portal/consents")
    assert page.status_code == 200
    sections = re.findall(r'<section class="consent-state" id="purpose-([\w-]+)"', page.text)
    assert sections == ["2-2-2", "2-2-3", "2-2-5", "2-2-8", "2-2-9"]
    assert "Согласие дано" in text(page)
    assert page.text.count('action="/portal/consents/2.2.2/withdraw"') == 1
    assert 'action="/portal/consents/2.2.3/give"' in page.text
    boxes = re.findall(r'<input type="checkbox"[^>]*name="agree"[^>]*>', page.text)
    assert len(boxes) == 4
    assert not any("checked" in b for b in boxes)


def test_a_consent_is_given_only_with_its_box_ticked(client: TestClient, opeka: Opeka) -> None:
    account = register(client, opeka)
    assert _give(client, "2.2.3", tick=False) == 422
    assert _active(opeka, account.subject_id) == frozenset()
    assert _give(client, "2.2.3") == 303
    assert _active(opeka, account.subject_id) == {"2.2.3"}
    with opeka.data_engine.connect() as conn:
        (record,) = store.history(conn, subject_id=account.subject_id)
    assert (record.channel, record.evidence.form_id) == ("portal", "portal:consents")


def test_withdrawing_a_consent_keeps_the_account(client: TestClient, opeka: Opeka) -> None:
    account = register(client, opeka, consents=("2.2.2", "2.2.9"))
    assert _withdraw(client, "2.2.9") == 303
    assert _active(opeka, account.subject_id) == {"2.2.2"}
    assert client.get("/portal/me").status_code == 200
    assert "Согласие отозвано" in text(client.get("/portal/consents"))


def test_a_purpose_not_resting_on_consent_cannot_be_given_or_withdrawn(
    client: TestClient, opeka: Opeka
) -> None:
    register(client, opeka)
    csrf, _ = form(client, "/portal/consents")
    give = client.post(
        "/portal/consents/2.2.7/give", data={"csrf_token": csrf, "agree": "yes", "version": "x"}
    )
    withdraw = client.post("/portal/consents/2.2.7/withdraw", data={"csrf_token": csrf})
    assert (give.status_code, withdraw.status_code) == (404, 404)


def test_give_and_withdraw_need_csrf(client: TestClient, opeka: Opeka) -> None:
    register(client, opeka, consents=("2.2.2",))
    assert client.post("/portal/consents/2.2.3/give", data={"agree": "yes"}).status_code == 403
    assert client.post("/portal/consents/2.2.2/withdraw").status_code == 403


def test_the_receipt_is_a_signed_json_attachment(client: TestClient, opeka: Opeka) -> None:
    account = register(client, opeka, consents=("2.2.8",))
    page = client.get("/portal/consents").text
    (link,) = re.findall(r'href="(/portal/consents/receipts/[0-9a-f-]+)"', page)
    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    receipt = json.loads(response.content)
    public = signing.public_key(opeka.settings.keys_dir)
    with opeka.data_engine.connect() as conn:
        summary = receipts.verify_receipt(receipt, public, registry.hash_lookup(conn))
    assert summary.purposes == ("2.2.8",)
    assert receipt["principal"]["id"] == str(account.subject_id)


def test_someone_elses_receipt_is_not_found(app: FastAPI, client: TestClient, opeka: Opeka) -> None:
    owner = register(client, opeka, consents=("2.2.8",))
    with opeka.data_engine.connect() as conn:
        (record,) = store.history(conn, subject_id=owner.subject_id)
    with new_client(app) as other:
        register(other, opeka)
        assert other.get(f"/portal/consents/receipts/{record.id}").status_code == 404
        assert other.get(f"/portal/consents/receipts/{uuid.uuid4()}").status_code == 404
