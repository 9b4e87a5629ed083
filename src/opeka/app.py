"""The composition root: settings in, a wired Opeka out (engines, keys, policy, journal).

Built once per process (CLI command, web app, job runner, test) and passed along; nothing else
reads the environment or opens engines.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, select

from opeka.auth import accounts
from opeka.db.engine import make_engine, read_only
from opeka.db.subjects import vault_meta
from opeka.journal.checkpoints import CheckpointFile
from opeka.journal.writer import CheckpointPolicy, JournalWriter
from opeka.policy.loader import load_policy
from opeka.policy.rules import Rules
from opeka.policy.schema import Policy
from opeka.processing.actor import Actor
from opeka.processing.journaled_reads import JournaledReads
from opeka.processing.service import Processing
from opeka.settings import Settings
from opeka.uow import Services, UnitOfWork
from opeka.vault.blind_index import BlindIndexer
from opeka.vault.errors import KeyFileError
from opeka.vault.keyfiles import MasterKey, load_master_key, load_signing_key
from opeka.vault.sealing import Sealer, SealerKeys


def _remove_account(uow: UnitOfWork, subject_id: uuid.UUID) -> None:
    """A destroyed subject keeps no portal account, reset token or session."""
    accounts.delete_account(uow.data, subject_id=subject_id)


class NotInitialised(RuntimeError):
    """The data directory or database was not initialised; run ``opeka init``."""


def journal_origin(policy: Policy) -> str:
    """The origin line of the journal's checkpoints: the operator's site and the system."""
    site = policy.operator.sites[0].removeprefix("www.")
    return f"{site}/opeka/journal"


def make_engines(settings: Settings) -> tuple[Engine, Engine]:
    """Engines of the data database and the key store."""
    data = make_engine(settings.data_url, schema=settings.database_schema)
    keys = make_engine(settings.keystore_url, schema=settings.keystore_schema, wal=False)
    return data, keys


def read_meta(engine: Engine) -> dict[str, str]:
    """The parameters fixed at initialisation (empty when not initialised)."""
    with read_only(engine) as conn:
        return {row.name: row.value for row in conn.execute(select(vault_meta))}


class Opeka:
    """A wired Opeka instance."""

    def __init__(self, settings: Settings, *, policy: Policy | None = None) -> None:
        settings.check_safe()
        self.settings = settings
        self.policy = policy or load_policy(settings.policy)
        self.rules = Rules(self.policy)
        self.data_engine, self.keys_engine = make_engines(settings)
        try:
            env_key = settings.master_key.get_secret_value() if settings.master_key else None
            self.master = load_master_key(env_value=env_key, key_file=settings.master_key_file)
            meta = self._meta()
            self.signing_key = load_signing_key(settings.signing_key_file)
        except Exception:
            self.close()
            raise
        self.services = Services(
            rules=self.rules,
            data_engine=self.data_engine,
            keys_engine=self.keys_engine,
            wrapper=AESGCM(self.master.wrap_key),
            master_key_id=self.master.key_id,
            indexer=BlindIndexer(self.master.index_key, int(meta["blind_index_bits"])),
            sealer=Sealer(self.sealer_keys(int(meta["blind_index_bits"]))),
            journal=JournalWriter(
                signer=self.signing_key,
                origin=journal_origin(self.policy),
                policy=CheckpointPolicy(
                    settings.checkpoint_every_entries, settings.checkpoint_every_seconds
                ),
            ),
            checkpoint_file=CheckpointFile(settings.checkpoint_file),
            on_destroy=(_remove_account,),
        )
        self.reads = JournaledReads(self.services)
        """Reads whose journal entries commit in shared transactions (the API's hot path)."""

    def sealer_keys(self, index_bits: int) -> SealerKeys:
        """The keys sealing needs (also handed to the import's worker processes)."""
        return SealerKeys(
            wrap_key=self.master.wrap_key,
            index_key=self.master.index_key,
            index_bits=index_bits,
            indexed={code: str(kind) for code, kind in self.rules.indexed.items()},
        )

    def _meta(self) -> dict[str, str]:
        try:
            meta = read_meta(self.data_engine)
        except Exception as exc:  # any driver error here means "not initialised"
            raise NotInitialised(
                f"the database is not initialised ({type(exc).__name__}); run `opeka init`"
            ) from None
        if "blind_index_bits" not in meta:
            raise NotInitialised("the database is not initialised; run `opeka init`")
        if meta.get("master_key_id") != self.master.key_id:
            raise KeyFileError(
                "the master key does not match the one this database was initialised with"
            )
        return meta

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Opeka:
        """Build from the given settings, or from the environment."""
        return cls(settings or Settings())

    def unit_of_work(self) -> UnitOfWork:
        """A fresh unit of work (use it as a context manager)."""
        return UnitOfWork(self.services)

    @contextmanager
    def processing(self, actor: Actor, purpose: str) -> Iterator[Processing]:
        """Open a unit of work and a processing context for one actor and purpose."""
        with self.unit_of_work() as uow:
            yield Processing(uow, actor, purpose)

    def close(self) -> None:
        """Dispose of the engines."""
        self.data_engine.dispose()
        self.keys_engine.dispose()


__all__ = ["MasterKey", "NotInitialised", "Opeka", "journal_origin", "make_engines"]
