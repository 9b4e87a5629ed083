"""``opeka consent documents|show|publish|verify`` through Typer, as ``opeka consent …``."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.cli.support import assert_one_line_error, cli_env
from tests.consent.support import STAFF, current_version, edited_policy, new_client
from typer.testing import CliRunner, Result

import opeka.cli.handlers  # noqa: F401  (registers the error mapping, as opeka.cli.main does)
from opeka.app import Opeka
from opeka.cli.consent import consent_app
from opeka.cli.errors import OpekaTyper
from opeka.consent import records, signing
from opeka.consent.documents import render_documents
from opeka.consent.receipts import receipt_for, sign, to_json

ROOT = OpekaTyper(name="opeka", no_args_is_help=True, pretty_exceptions_enable=False)
ROOT.add_typer(consent_app, name="consent")


def run(opeka: Opeka, *args: str, policy: Path | None = None) -> Result:
    env = cli_env(opeka.settings) | ({"OPEKA_POLICY": str(policy)} if policy else {})
    result = CliRunner().invoke(ROOT, ["consent", *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def receipt_file(opeka: Opeka, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A client's consent to 2.2.8 and its receipt, written to a file."""
    sid = new_client(opeka)
    with opeka.unit_of_work() as uow:
        record = records.give(
            uow,
            actor=STAFF,
            subject_id=sid,
            document_id="consent:2.2.8:client",
            version=current_version(opeka, "consent:2.2.8:client"),
            channel="paper",
        )
    key = signing.signing_key(opeka.settings.keys_dir)
    with opeka.data_engine.connect() as conn:
        receipt = receipt_for(conn, record.id, policy=opeka.policy, signing_key=key)
    path = tmp_path / "receipt.json"
    path.write_text(to_json(receipt), encoding="utf-8")
    return path, receipt


def test_documents_lists_every_document_with_version_hash_and_status(
    opeka: Opeka, tmp_path: Path
) -> None:
    rendered = render_documents(opeka.policy)
    # `opeka init` publishes the current documents; `publish` again changes nothing
    assert run(opeka, "publish").stdout == ""
    after = run(opeka, "documents")
    assert after.exit_code == 0
    assert "адрес оператора" in after.stderr
    assert after.stdout.splitlines() == [
        f"{d.id}\t{d.version}\t{d.text_hash}\tpublished" for d in rendered
    ]
    bumped = edited_policy(tmp_path, 'version: "2026.1"', 'version: "2026.2"')
    assert run(opeka, "documents", policy=bumped).stdout == after.stdout  # versions kept


def test_publish_reports_the_changes_and_is_idempotent(opeka: Opeka, tmp_path: Path) -> None:
    assert run(opeka, "publish").stdout == ""  # init published the current documents
    changed = edited_policy(tmp_path, "Адрес электронной почты", "Электронная почта")
    first = run(opeka, "publish", policy=changed)
    assert first.exit_code == 0
    assert "\tmaterial\t" in first.stdout
    second = run(opeka, "publish", policy=changed)
    assert second.stdout == ""
    assert "0 document(s) changed" in second.stderr


def test_show_prints_the_exact_text_or_html(published: Opeka) -> None:
    doc = next(d for d in render_documents(published.policy) if d.id == "consent:2.2.8:visitor")
    assert run(published, "show", doc.id).stdout == doc.text
    assert run(published, "show", doc.id, "--html").stdout == doc.html
    assert run(published, "show", doc.id, "--version", doc.version).stdout == doc.text
    missing = run(published, "show", "consent:2.2.7:client")
    assert_one_line_error(missing, 1, "no consent document consent:2.2.7:client")


def test_verify_exits_0_with_a_one_line_summary(published: Opeka, tmp_path: Path) -> None:
    path, receipt = receipt_file(published, tmp_path)
    result = run(published, "verify", str(path))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"receipt valid: record {receipt['record_id']}")
    assert "consent:2.2.8:client" in lines[0]


def test_verify_with_an_explicit_public_key(published: Opeka, tmp_path: Path) -> None:
    path, _ = receipt_file(published, tmp_path)
    public = published.settings.keys_dir / signing.PUBLIC_FILE
    assert run(published, "verify", str(path), "--public-key", str(public)).exit_code == 0
    other = tmp_path / "other.pub"
    other.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    result = run(published, "verify", str(path), "--public-key", str(other))
    assert_one_line_error(result, 4, "receipt NOT valid (key)")


TAMPERING: list[tuple[Callable[[dict[str, Any]], object], str]] = [
    (lambda r: r["purposes"][0].update(id="2.2.9"), "signature"),
    (lambda r: r["event"].update(time="2020-01-01T00:00:00Z"), "signature"),
    (lambda r: r["principal"].update(id="someone-else"), "signature"),
    (lambda r: r.pop("signature"), "malformed"),
]


def test_verify_a_tampered_receipt_exits_4_naming_what_is_wrong(
    published: Opeka, tmp_path: Path
) -> None:
    path, receipt = receipt_file(published, tmp_path)
    for edit, reason in TAMPERING:
        tampered = copy.deepcopy(receipt)
        edit(tampered)
        path.write_text(json.dumps(tampered, ensure_ascii=False), encoding="utf-8")
        result = run(published, "verify", str(path))
        assert_one_line_error(result, 4, f"receipt NOT valid ({reason})")


def test_verify_a_receipt_whose_document_hash_differs_from_the_published_text(
    published: Opeka, tmp_path: Path
) -> None:
    path, receipt = receipt_file(published, tmp_path)
    receipt["notice"]["text_sha256"] = "0" * 64
    resigned = sign(receipt, signing.signing_key(published.settings.keys_dir))
    path.write_text(json.dumps(resigned), encoding="utf-8")
    assert_one_line_error(run(published, "verify", str(path)), 4, "(document_hash)")


def test_verify_a_missing_file_or_one_that_is_not_json_exits_1(
    published: Opeka, tmp_path: Path
) -> None:
    missing = run(published, "verify", str(tmp_path / "absent.json"))
    assert_one_line_error(missing, 1, "cannot read")
    path = tmp_path / "receipt.json"
    path.write_text("not json", encoding="utf-8")
    assert_one_line_error(run(published, "verify", str(path)), 1, "is not a JSON receipt")
    path.write_text("[1, 2]", encoding="utf-8")
    assert_one_line_error(run(published, "verify", str(path)), 1, "an object is expected")


def test_verify_without_any_consent_key_exits_5(published: Opeka, tmp_path: Path) -> None:
    path = tmp_path / "receipt.json"
    path.write_text(to_json(sign({"record_id": "x"}, Ed25519PrivateKey.generate())), "utf-8")
    assert_one_line_error(run(published, "verify", str(path)), 5, "consent-signing.key")
