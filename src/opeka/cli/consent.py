"""``opeka consent documents|show|publish|verify``: consent documents and receipts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from opeka.cli.context import opened
from opeka.cli.errors import EXIT_INPUT, EXIT_INTEGRITY, OpekaTyper, fail, register_handler
from opeka.consent import registry, signing
from opeka.consent.documents import render_documents, warnings
from opeka.consent.errors import ConsentError, ReceiptInvalid
from opeka.consent.receipts import verify_receipt
from opeka.db.engine import read_only

consent_app = OpekaTyper(
    help="Consent documents (one per purpose and category) and signed receipts.",
    no_args_is_help=True,
)


@register_handler
def _map(exc: Exception) -> tuple[str, int] | None:
    if isinstance(exc, ReceiptInvalid):
        return (f"receipt NOT valid ({exc.reason}): {exc}", EXIT_INTEGRITY)
    if isinstance(exc, ConsentError):
        return (f"consent: {exc}", EXIT_INPUT)
    return None


@consent_app.command("documents")
def documents(
    ctx: typer.Context,
    all_versions: Annotated[
        bool, typer.Option("--all", help="Also list superseded versions.")
    ] = False,
) -> None:
    """List the consent documents: id, version, SHA-256 of the text, status."""
    with opened(ctx) as opeka, read_only(opeka.data_engine) as conn:
        published = registry.listing(conn, include_superseded=all_versions)
        rendered = render_documents(opeka.policy)
    current = {(d.id, d.text_hash): d.version for d in published if d.current}
    for doc in rendered:
        # An unchanged text keeps the version it was first published under.
        version = current.get((doc.id, doc.text_hash))
        status = "published" if version else "NOT published"
        typer.echo(f"{doc.id}\t{version or doc.version}\t{doc.text_hash}\t{status}")
    for old in published:
        if not old.current:
            reconsent = ", re-consent required" if old.reconsent_required else ""
            typer.echo(f"{old.id}\t{old.version}\t{old.text_hash}\tsuperseded{reconsent}")
    for warning in warnings(opeka.policy):
        typer.echo(f"warning: {warning}", err=True)


@consent_app.command("show")
def show(
    ctx: typer.Context,
    document_id: Annotated[str, typer.Argument(help="Document id, e.g. consent:2.2.8:visitor.")],
    version: Annotated[
        str | None, typer.Option(help="A published version (default: the policy's text).")
    ] = None,
    html: Annotated[bool, typer.Option("--html", help="The portal's HTML fragment.")] = False,
) -> None:
    """Print a consent document's exact text (or HTML)."""
    with opened(ctx) as opeka, read_only(opeka.data_engine) as conn:
        if version is not None:
            stored = registry.text(conn, document_id, version, fmt="html" if html else "md")
            if stored is None:
                fail(f"no published version {version} of {document_id}")
            typer.echo(stored, nl=False)
            return
        found = [d for d in render_documents(opeka.policy) if d.id == document_id]
    if not found:
        fail(f"the policy has no consent document {document_id}; see `opeka consent documents`")
    typer.echo(found[0].html if html else found[0].text, nl=False)


@consent_app.command("publish")
def publish(ctx: typer.Context) -> None:
    """Store new versions of the policy's consent documents; report who must consent again."""
    with opened(ctx) as opeka, opeka.unit_of_work() as uow:
        changes = registry.publish(uow.data, opeka.policy)
        needed = registry.reconsent_needed(uow.data)
    for change in changes:
        versions = " → ".join(v for v in (change.old_version, change.new_version) if v)
        typer.echo(f"{change.document_id}\t{change.kind}\t{versions}")
    typer.echo(
        f"{len(changes)} document(s) changed; {len(needed)} consent(s) to be given again",
        err=True,
    )


@consent_app.command("verify")
def verify(
    ctx: typer.Context,
    receipt_file: Annotated[Path, typer.Argument(help="The receipt (JSON).")],
    public_key: Annotated[
        Path | None,
        typer.Option(help="PEM public key (default: keys/consent-signing.pub of this install)."),
    ] = None,
) -> None:
    """Verify a consent receipt's signature and document hash; exit 0 when both hold."""
    receipt = _read_receipt(receipt_file)
    with opened(ctx) as opeka, read_only(opeka.data_engine) as conn:
        key = (
            signing.load_public_key(public_key)
            if public_key
            else signing.public_key(opeka.settings.keys_dir)
        )
        summary = verify_receipt(receipt, key, registry.hash_lookup(conn))
    typer.echo(str(summary))


def _read_receipt(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or type(exc).__name__}")
    try:
        receipt = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        fail(f"{path} is not a JSON receipt", EXIT_INPUT)
    if not isinstance(receipt, dict):
        fail(f"{path} is not a JSON receipt (an object is expected)", EXIT_INPUT)
    return receipt
