"""Consent receipts: one signed JSON document per consent record, with ISO/IEC TS 27560 fields.

A receipt attests one event (a consent given, or withdrawn) as it was recorded; a later event
gets a receipt of its own. Its fields follow ISO/IEC TS 27560 (consent record information
structure): ``record_id``; ``principal`` (the pseudonymous subject id, or the visitor's consent
id — never a name or an e-mail); ``notice`` (document id, version, SHA-256 of its exact text,
language); ``language``; ``purposes`` (with their legal basis); ``data_types`` (field codes and
data categories); ``controller`` (the operator); ``jurisdiction`` (RU); ``recipients`` (where the
purpose transfers); ``processors``; ``withdrawal`` (method); ``event`` (time, type, state,
channel); ``validity``; and ``signature``.

The signature is Ed25519 over the receipt's canonical JSON without its ``signature`` member:
keys sorted, no insignificant whitespace, UTF-8, no floats (the JCS profile of RFC 8785 for
documents of strings, integers, booleans, nulls, arrays and objects). Verification checks the
signature and key, then that the document version exists with exactly that text hash.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection

from opeka.consent import registry, store
from opeka.consent.document_view import WITHDRAWAL_PAGE, withdrawal_term
from opeka.consent.errors import ReceiptInvalid
from opeka.consent.signing import key_id
from opeka.consent.store import ConsentRecord, Event
from opeka.db.base import utcnow
from opeka.policy.schema import Policy

SCHEMA = "opeka-consent-receipt/1"
STANDARD = "ISO/IEC TS 27560:2023"
JURISDICTION = "RU"

Receipt = dict[str, Any]
HashLookup = Callable[[str, str], str | None]


@dataclass(frozen=True, slots=True)
class ReceiptSummary:
    """What a verified receipt attests."""

    record_id: str
    event: str
    purposes: tuple[str, ...]
    notice: str
    time: str

    def __str__(self) -> str:
        return (
            f"receipt valid: record {self.record_id}, {self.event} at {self.time}, "
            f"purposes {', '.join(self.purposes)}, {self.notice}"
        )


def canonical(document: Mapping[str, Any]) -> bytes:
    """The canonical JSON bytes that are signed (see the module docstring)."""
    _no_floats(document)
    return json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def _no_floats(value: Any) -> None:
    if isinstance(value, float):
        raise ValueError("a receipt holds no floating-point numbers")
    if isinstance(value, Mapping):
        for item in value.values():
            _no_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _no_floats(item)


def make_receipt(
    *,
    record: ConsentRecord,
    fields: tuple[str, ...],
    policy: Policy,
    signing_key: Ed25519PrivateKey,
    portal: str = WITHDRAWAL_PAGE,
) -> Receipt:
    """The signed receipt of ``record``; ``fields`` is its document version's list of data."""
    purpose = policy.purposes.get(record.purpose)
    body: Receipt = {
        "receipt_schema": SCHEMA,
        "standard": STANDARD,
        "record_id": str(record.id),
        "principal": _principal(record),
        "notice": _notice(record),
        "language": record.language,
        "purposes": [_purpose(policy, record.purpose)],
        "data_types": [_data_type(policy, code) for code in fields],
        "controller": _controller(policy),
        "jurisdiction": JURISDICTION,
        "recipients": _recipients(policy, record.purpose),
        "processors": list(policy.processors.names) if policy.processors.used else [],
        "withdrawal": {
            "methods": ["portal", "email"],
            "portal_page": portal,
            "email": policy.operator.contact_email,
            "destruction": withdrawal_term(policy, purpose) if purpose else None,
        },
        "event": {
            "type": record.event.value,
            "time": _time(record.recorded_at),
            "state": "active" if record.event is Event.GIVEN else "withdrawn",
            "channel": record.channel,
        },
        "validity": {
            "from": _time(record.recorded_at),
            "until": None if record.event is Event.GIVEN else _time(record.recorded_at),
            "term": purpose.retention.rule.ru if purpose else None,
        },
        "issued_at": _time(utcnow()),
    }
    return sign(body, signing_key)


def receipt_for(
    conn: Connection,
    record_id: uuid.UUID,
    *,
    policy: Policy,
    signing_key: Ed25519PrivateKey,
    portal: str = WITHDRAWAL_PAGE,
) -> Receipt:
    """The signed receipt of a stored record (what the portal offers for download)."""
    record = store.load(conn, record_id)
    document = (
        registry.get(conn, record.document_id, record.document_version)
        if record.document_id is not None and record.document_version is not None
        else None
    )
    fields = document.fields if document is not None else ()
    return make_receipt(
        record=record, fields=fields, policy=policy, signing_key=signing_key, portal=portal
    )


def sign(body: Mapping[str, Any], signing_key: Ed25519PrivateKey) -> Receipt:
    """``body`` with its ``signature`` member (any previous one replaced)."""
    unsigned = {k: v for k, v in body.items() if k != "signature"}
    signature = signing_key.sign(canonical(unsigned))
    return unsigned | {
        "signature": {
            "algorithm": "Ed25519",
            "key_id": key_id(signing_key.public_key()),
            "value": base64.b64encode(signature).decode("ascii"),
        }
    }


def verify_receipt(
    receipt: Mapping[str, Any],
    public_key: Ed25519PublicKey,
    document_text_hash_lookup: HashLookup,
) -> ReceiptSummary:
    """Check the signature, the key, and the document hash; raise :class:`ReceiptInvalid`."""
    signature = _signature(receipt)
    if signature["key_id"] != key_id(public_key):
        raise ReceiptInvalid("key", "the receipt was signed with another key")
    try:
        unsigned = {k: v for k, v in receipt.items() if k != "signature"}
        public_key.verify(signature["raw"], canonical(unsigned))
    except (InvalidSignature, ValueError, TypeError):
        raise ReceiptInvalid("signature", "the signature does not match the receipt") from None
    return _summary(receipt, _check_notice(receipt.get("notice"), document_text_hash_lookup))


def _check_notice(notice: Any, lookup: HashLookup) -> str:
    """The notice's description once its text hash matches the published version's."""
    if notice is None:
        return "no consent document (consent registered without one)"
    if not isinstance(notice, Mapping) or not {"id", "version", "text_sha256"} <= set(notice):
        raise ReceiptInvalid("malformed", "the receipt's notice lacks id, version or hash")
    stored = lookup(str(notice["id"]), str(notice["version"]))
    if stored is None:
        raise ReceiptInvalid("document_unknown", "the receipt's document version is unknown")
    if stored != notice["text_sha256"]:
        raise ReceiptInvalid(
            "document_hash", "the document's text hash differs from the published text's"
        )
    return f"document {notice['id']} version {notice['version']} (text hash matches)"


def _signature(receipt: Mapping[str, Any]) -> dict[str, Any]:
    signature = receipt.get("signature") if isinstance(receipt, Mapping) else None
    if not isinstance(signature, Mapping) or signature.get("algorithm") != "Ed25519":
        raise ReceiptInvalid("malformed", "the receipt has no Ed25519 signature")
    try:
        raw = base64.b64decode(str(signature.get("value")), validate=True)
    except (binascii.Error, ValueError):
        raise ReceiptInvalid("malformed", "the signature is not base64") from None
    return {"key_id": signature.get("key_id"), "raw": raw}


def _summary(receipt: Mapping[str, Any], described: str) -> ReceiptSummary:
    try:
        event = receipt["event"]
        return ReceiptSummary(
            record_id=str(receipt["record_id"]),
            event=str(event["type"]),
            purposes=tuple(str(p["id"]) for p in receipt["purposes"]),
            notice=described,
            time=str(event["time"]),
        )
    except (KeyError, TypeError):
        raise ReceiptInvalid("malformed", "the receipt lacks its record or event") from None


def _principal(record: ConsentRecord) -> dict[str, str]:
    kind, identifier = record.principal
    id_type = "pseudonymous_subject_id" if kind == "subject" else "visitor_consent_id"
    return {"id": str(identifier), "id_type": id_type}


def _notice(record: ConsentRecord) -> dict[str, str] | None:
    if record.document_id is None or record.document_version is None or not record.text_hash:
        return None
    return {
        "id": record.document_id,
        "version": record.document_version,
        "text_sha256": record.text_hash,
        "language": "ru",
        "format": "text/markdown",
    }


def _purpose(policy: Policy, purpose_id: str) -> dict[str, str | None]:
    purpose = policy.purposes.get(purpose_id)
    basis = policy.legal_bases.get(purpose.basis) if purpose else None
    return {
        "id": purpose_id,
        "title": purpose.title.ru if purpose else None,
        "legal_basis": basis.article if basis else None,
        "data_use": purpose.data_use if purpose else None,
    }


def _data_type(policy: Policy, code: str) -> dict[str, str | None]:
    spec = policy.fields.get(code)
    return {
        "field": code,
        "title": spec.title.ru if spec else None,
        "data_category": spec.data_category if spec else None,
    }


def _controller(policy: Policy) -> dict[str, Any]:
    operator = policy.operator
    return {
        "name": operator.name,
        "address": operator.address,
        "contact": operator.contact_email,
        "sites": list(operator.sites),
    }


def _recipients(policy: Policy, purpose_id: str) -> list[dict[str, Any]]:
    purpose = policy.purposes.get(purpose_id)
    if purpose is None:
        return []
    return [
        {"id": code, "title": policy.recipients[code].title.ru, "countries": list(r.countries)}
        for code in purpose.transfer_to
        if (r := policy.recipients.get(code)) is not None
    ]


def _time(value: Any) -> str:
    return str(value.isoformat().replace("+00:00", "Z"))


def to_json(receipt: Mapping[str, Any]) -> str:
    """The receipt as the portal offers it for download (UTF-8 JSON, indented)."""
    return json.dumps(receipt, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
