"""Signed consent receipts: ISO/IEC TS 27560 fields; any edit breaks verification."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st
from tests.consent.support import STAFF, current_version, new_client

from opeka.app import Opeka
from opeka.consent import records, registry, signing
from opeka.consent.documents import render_document
from opeka.consent.errors import ReceiptInvalid
from opeka.consent.evidence import Evidence
from opeka.consent.receipts import (
    canonical,
    make_receipt,
    receipt_for,
    sign,
    to_json,
    verify_receipt,
)
from opeka.consent.store import ConsentRecord, Event
from opeka.policy.loader import load_policy

POLICY = load_policy()
KEY = Ed25519PrivateKey.generate()
DOCUMENT = render_document(POLICY, "2.2.5", "client")
HASHES = {(DOCUMENT.id, DOCUMENT.version): DOCUMENT.text_hash}
RECORD = ConsentRecord(
    id=uuid.UUID("00000000-0000-4000-8000-000000000001"),
    subject_id=uuid.UUID("00000000-0000-4000-8000-0000000000aa"),
    visitor_id=None,
    event=Event.GIVEN,
    purpose="2.2.5",
    document_id=DOCUMENT.id,
    document_version=DOCUMENT.version,
    text_hash=DOCUMENT.text_hash,
    channel="portal",
    evidence=Evidence(),
    language="ru",
    actor="subject:00000000-0000-4000-8000-0000000000aa",
    recorded_at=dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC),
)
RECEIPT = make_receipt(record=RECORD, fields=DOCUMENT.fields, policy=POLICY, signing_key=KEY)


def lookup(document_id: str, version: str) -> str | None:
    return HASHES.get((document_id, version))


def test_a_fresh_receipt_verifies_and_summarises_what_it_attests() -> None:
    summary = verify_receipt(RECEIPT, KEY.public_key(), lookup)
    assert summary.record_id == str(RECORD.id)
    assert summary.event == "given"
    assert summary.purposes == ("2.2.5",)
    assert str(summary).startswith("receipt valid: record 00000000-0000-4000-8000-000000000001")
    assert "text hash matches" in str(summary)


def test_the_receipt_carries_the_iso_27560_fields() -> None:
    for name in (
        "record_id",
        "principal",
        "notice",
        "language",
        "purposes",
        "data_types",
        "controller",
        "jurisdiction",
        "recipients",
        "withdrawal",
        "event",
        "validity",
        "signature",
    ):
        assert name in RECEIPT, name
    assert RECEIPT["principal"] == {
        "id": str(RECORD.subject_id),
        "id_type": "pseudonymous_subject_id",
    }
    assert RECEIPT["notice"]["text_sha256"] == DOCUMENT.text_hash
    assert [d["field"] for d in RECEIPT["data_types"]] == list(DOCUMENT.fields)
    assert {
        "field": "email",
        "title": "Адрес электронной почты",
        "data_category": "user.contact.email",
    } in RECEIPT["data_types"]
    assert RECEIPT["jurisdiction"] == "RU"
    assert [r["id"] for r in RECEIPT["recipients"]] == ["rights_holder", "distributor", "reseller"]
    assert RECEIPT["purposes"][0]["legal_basis"] == "152-ФЗ ст. 6 ч. 1 п. 1"
    assert RECEIPT["event"] == {
        "type": "given",
        "time": "2026-11-25T10:00:00Z",
        "state": "active",
        "channel": "portal",
    }
    assert RECEIPT["withdrawal"]["email"] == POLICY.operator.contact_email
    assert RECEIPT["signature"]["algorithm"] == "Ed25519"


def test_to_json_round_trips_and_still_verifies() -> None:
    again = json.loads(to_json(RECEIPT))
    verify_receipt(again, KEY.public_key(), lookup)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))] or [path]
    return [path]


LEAVES = _leaves(RECEIPT)
REPLACEMENTS = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


@given(path=st.sampled_from(LEAVES), new=REPLACEMENTS)
def test_changing_any_field_breaks_verification(path: tuple[Any, ...], new: Any) -> None:
    tampered = copy.deepcopy(RECEIPT)
    if _get(tampered, path) == new and type(_get(tampered, path)) is type(new):
        return  # not an edit
    _get(tampered, path[:-1])[path[-1]] = new
    with pytest.raises(ReceiptInvalid):
        verify_receipt(tampered, KEY.public_key(), lookup)


@given(path=st.sampled_from([p for p in LEAVES if p]))
def test_removing_any_field_breaks_verification(path: tuple[Any, ...]) -> None:
    tampered = copy.deepcopy(RECEIPT)
    parent = _get(tampered, path[:-1])
    del parent[path[-1]]
    with pytest.raises(ReceiptInvalid):
        verify_receipt(tampered, KEY.public_key(), lookup)


@given(name=st.text(min_size=1, max_size=10), value=REPLACEMENTS)
def test_adding_any_member_breaks_verification(name: str, value: Any) -> None:
    tampered = copy.deepcopy(RECEIPT)
    if name in tampered:
        return
    tampered[name] = value
    with pytest.raises(ReceiptInvalid):
        verify_receipt(tampered, KEY.public_key(), lookup)


def test_another_key_is_refused_naming_the_key() -> None:
    with pytest.raises(ReceiptInvalid) as info:
        verify_receipt(RECEIPT, Ed25519PrivateKey.generate().public_key(), lookup)
    assert info.value.reason == "key"


def test_a_forged_signature_with_the_right_key_id_is_refused() -> None:
    forged = sign(
        {k: v for k, v in RECEIPT.items() if k != "signature"}, Ed25519PrivateKey.generate()
    )
    forged["signature"]["key_id"] = RECEIPT["signature"]["key_id"]
    with pytest.raises(ReceiptInvalid) as info:
        verify_receipt(forged, KEY.public_key(), lookup)
    assert info.value.reason == "signature"


def test_an_unknown_document_version_is_refused() -> None:
    with pytest.raises(ReceiptInvalid) as info:
        verify_receipt(RECEIPT, KEY.public_key(), lambda _id, _version: None)
    assert info.value.reason == "document_unknown"


def test_a_document_hash_that_differs_from_the_published_text_is_refused() -> None:
    with pytest.raises(ReceiptInvalid) as info:
        verify_receipt(RECEIPT, KEY.public_key(), lambda _id, _version: "0" * 64)
    assert info.value.reason == "document_hash"


@pytest.mark.parametrize(
    "receipt",
    [
        {},
        {"signature": "x"},
        {"signature": {"algorithm": "RSA"}},
        {"signature": {"algorithm": "Ed25519", "value": "%%%"}},
    ],
)
def test_a_malformed_receipt_is_refused(receipt: dict[str, Any]) -> None:
    with pytest.raises(ReceiptInvalid) as info:
        verify_receipt(receipt, KEY.public_key(), lookup)
    assert info.value.reason == "malformed"


def test_canonical_json_sorts_keys_and_refuses_floats() -> None:
    assert canonical({"b": 1, "a": "я"}) == '{"a":"я","b":1}'.encode()
    with pytest.raises(ValueError, match="floating"):
        canonical({"a": [1.5]})


def test_a_withdrawal_receipt_without_a_document_verifies_and_says_so() -> None:
    record = dataclasses.replace(
        RECORD, event=Event.WITHDRAWN, document_id=None, document_version=None, text_hash=None
    )
    receipt = make_receipt(record=record, fields=(), policy=POLICY, signing_key=KEY)
    assert receipt["notice"] is None
    assert receipt["event"]["state"] == "withdrawn"
    assert "no consent document" in str(verify_receipt(receipt, KEY.public_key(), lookup))


def test_the_signing_key_is_created_once_with_mode_0600_and_its_public_half(
    tmp_path: Path,
) -> None:
    keys = tmp_path / "keys"
    first = signing.signing_key(keys)
    path = signing.key_file(keys)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert (keys / signing.PUBLIC_FILE).exists()
    second = signing.signing_key(keys)
    assert signing.key_id(first.public_key()) == signing.key_id(second.public_key())
    assert signing.key_id(signing.public_key(keys)) == signing.key_id(first.public_key())


def test_receipt_for_a_stored_record_verifies_against_the_registry(published: Opeka) -> None:
    sid = new_client(published)
    with published.unit_of_work() as uow:
        record = records.give(
            uow,
            actor=STAFF,
            subject_id=sid,
            document_id="consent:2.2.5:client",
            version=current_version(published, "consent:2.2.5:client"),
            channel="paper",
        )
    key = signing.signing_key(published.settings.keys_dir)
    with published.data_engine.connect() as conn:
        receipt = receipt_for(conn, record.id, policy=published.policy, signing_key=key)
        summary = verify_receipt(receipt, key.public_key(), registry.hash_lookup(conn))
    assert summary.record_id == str(record.id)
    assert receipt["data_types"] == RECEIPT["data_types"]
