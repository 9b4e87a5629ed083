"""``opeka init``: create the data directory, the keys and the databases, migrated to head."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from sqlalchemy import insert, select

from opeka.app import make_engines
from opeka.consent import registry as consent_registry
from opeka.db import migrate
from opeka.db.engine import ensure_schema
from opeka.db.subjects import vault_meta
from opeka.journal.checkpoints import CheckpointFile
from opeka.journal.writer import CheckpointPolicy, JournalWriter
from opeka.policy.loader import load_policy
from opeka.settings import Settings
from opeka.vault.blind_index import width_for_population
from opeka.vault.keyfiles import (
    load_master_key,
    load_signing_key,
    new_master_key_text,
    new_signing_key_pem,
    write_secret_file,
)


@dataclass(slots=True)
class InitReport:
    """What ``opeka init`` made (and what already existed)."""

    made: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def initialise(settings: Settings) -> InitReport:
    """Create whatever is missing; never overwrite a key. Safe to run again."""
    settings.check_safe()
    report = InitReport()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.data_dir.chmod(0o700)
    _keys(settings, report)
    policy = load_policy(settings.policy)
    env_key = settings.master_key.get_secret_value() if settings.master_key else None
    master = load_master_key(env_value=env_key, key_file=settings.master_key_file)
    data, keys = make_engines(settings)
    try:
        ensure_schema(data, settings.database_schema)
        ensure_schema(keys, settings.keystore_schema)
        for store, engine in migrate.stores(data, keys):
            before = migrate.current_revision(engine, store)
            migrate.upgrade(engine, store)
            after = migrate.current_revision(engine, store)
            where = "key store" if store == "keys" else "database"
            (report.kept if before == after else report.made).append(f"{where} at revision {after}")
        with data.begin() as conn:
            meta = {row.name: row.value for row in conn.execute(select(vault_meta))}
            if not meta:
                bits = width_for_population(policy.index.expected_population)
                conn.execute(
                    insert(vault_meta),
                    [
                        {"name": "blind_index_bits", "value": str(bits)},
                        {"name": "master_key_id", "value": master.key_id},
                    ],
                )
                report.made.append(f"blind index width {bits} bits")
            writer = JournalWriter(
                signer=load_signing_key(settings.signing_key_file),
                origin="init",
                policy=CheckpointPolicy(),
            )
            if writer.initialise(conn):
                report.made.append("empty journal")
            changes = consent_registry.publish(conn, policy)
            if changes:
                report.made.append(f"{len(changes)} consent document version(s) published")
    finally:
        data.dispose()
        keys.dispose()
    CheckpointFile(settings.checkpoint_file).path.parent.mkdir(parents=True, exist_ok=True)
    return report


def _keys(settings: Settings, report: InitReport) -> None:
    if settings.master_key is not None:
        report.kept.append("master key from OPEKA_MASTER_KEY")
    elif settings.master_key_file.exists():
        report.kept.append(f"master key {settings.master_key_file}")
    else:
        write_secret_file(settings.master_key_file, (new_master_key_text() + "\n").encode())
        report.made.append(f"master key {settings.master_key_file} (0600)")
    if settings.signing_key_file.exists():
        report.kept.append(f"journal signing key {settings.signing_key_file}")
    else:
        pem = new_signing_key_pem()
        write_secret_file(settings.signing_key_file, pem)
        public = load_signing_key(settings.signing_key_file).public_key()
        settings.signing_key_file.with_suffix(".pub").write_bytes(
            public.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        report.made.append(f"journal signing key {settings.signing_key_file} (0600) and .pub")
