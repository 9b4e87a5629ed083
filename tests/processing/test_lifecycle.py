"""Blocking, unblocking and destruction (crypto-shredding), including crash points."""

from __future__ import annotations

import shutil
import uuid

import pytest
from sqlalchemy import Table, func, select
from tests.factories import client_values

from opeka.app import Opeka
from opeka.db.keys import subject_key
from opeka.db.subjects import blind_index, key_shred_queue, subject_data
from opeka.ops.recovery import reconcile
from opeka.policy.errors import PurposeNotForCategory, SubjectBlocked, SubjectDestroyed
from opeka.processing import Actor
from opeka.settings import Settings
from opeka.uow import UnitOfWork
from opeka.vault import service as vault
from opeka.vault.errors import SubjectKeyMissing

STAFF = Actor.staff("petrova")
DUTY = "legal.subject_rights"


def collect(opeka: Opeka, i: int = 1) -> uuid.UUID:
    with opeka.processing(STAFF, "2.2.7") as p:
        return p.collect(category="client", values=client_values(i), source="договор")


def count(opeka: Opeka, table: Table, subject_id: uuid.UUID) -> int:
    engine = opeka.keys_engine if table is subject_key else opeka.data_engine
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(table).where(table.c.subject_id == subject_id)
            ).scalar_one()
        )


def test_blocked_subject_is_readable_only_for_statutory_purposes(opeka: Opeka) -> None:
    sid = collect(opeka)
    with opeka.processing(STAFF, DUTY) as p:
        p.block(sid, reason="заявление о неточности данных")
    with pytest.raises(SubjectBlocked), opeka.processing(STAFF, "2.2.7") as p:
        p.read(sid)
    with opeka.processing(STAFF, DUTY) as p:
        assert p.read(sid, ["email"]) == {"email": "client1@example.org"}
        p.unblock(sid, reason="данные уточнены")
    with opeka.processing(STAFF, "2.2.7") as p:
        assert p.read(sid, ["email"])


def test_block_needs_a_statutory_purpose(opeka: Opeka) -> None:
    sid = collect(opeka)
    with pytest.raises(PurposeNotForCategory), opeka.processing(STAFF, "2.2.7") as p:
        p.block(sid, reason="x")


def test_destroy_removes_values_index_and_key_and_keeps_a_pseudonymous_row(opeka: Opeka) -> None:
    sid = collect(opeka)
    other = collect(opeka, 2)
    with opeka.processing(STAFF, DUTY) as p:
        result = p.destroy(sid, reason_code="withdrawal", capture_identifier=True)
    assert result.identifier is not None
    assert result.identifier.endswith("Пётр")
    assert "user.contact.email" in result.data_categories
    assert count(opeka, subject_data, sid) == 0
    assert count(opeka, blind_index, sid) == 0
    assert count(opeka, subject_key, sid) == 0
    assert count(opeka, key_shred_queue, sid) == 0
    with pytest.raises(SubjectDestroyed), opeka.processing(STAFF, "2.2.7") as p:
        p.read(sid)
    with opeka.processing(STAFF, "2.2.7") as p:
        assert p.find(email="client1@example.org") == []
        assert p.read(other, ["email"]) == {"email": "client2@example.org"}


def test_destroy_twice_is_refused(opeka: Opeka) -> None:
    sid = collect(opeka)
    with opeka.processing(STAFF, DUTY) as p:
        p.destroy(sid, reason_code="demand")
    with pytest.raises(SubjectDestroyed), opeka.processing(STAFF, DUTY) as p:
        p.destroy(sid, reason_code="demand")


def test_unknown_destruction_reason_is_refused_before_anything_changes(opeka: Opeka) -> None:
    sid = collect(opeka)
    with pytest.raises(ValueError, match="withdrawal"), opeka.processing(STAFF, DUTY) as p:
        p.destroy(sid, reason_code="because")
    assert count(opeka, subject_data, sid) == 1


def test_crash_after_data_commit_leaves_key_queued_and_recovery_shreds_it(
    opeka: Opeka, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = collect(opeka)

    def crash(*_: object) -> None:
        raise SystemExit("killed between the data commit and the key deletion")

    monkeypatch.setattr("opeka.uow.finish_shredding", crash)
    with pytest.raises(SystemExit), opeka.processing(STAFF, DUTY) as p:
        p.destroy(sid, reason_code="withdrawal")
    monkeypatch.undo()
    assert count(opeka, subject_data, sid) == 0  # the data transaction committed
    assert count(opeka, subject_key, sid) == 1  # the key outlived it ...
    assert count(opeka, key_shred_queue, sid) == 1  # ... but is queued
    assert reconcile(opeka).keys_shredded == 1
    assert count(opeka, subject_key, sid) == 0
    assert count(opeka, key_shred_queue, sid) == 0


def test_crash_before_data_commit_leaves_only_an_orphan_key(
    opeka: Opeka, monkeypatch: pytest.MonkeyPatch
) -> None:
    original_commit = UnitOfWork.commit

    def commit_keys_then_die(self: UnitOfWork) -> None:
        def boom(*_: object, **__: object) -> list[str]:
            raise SystemExit("killed before the data commit")

        monkeypatch.setattr(self.services.journal, "flush", boom)
        original_commit(self)

    monkeypatch.setattr(UnitOfWork, "commit", commit_keys_then_die)
    with pytest.raises(SystemExit), opeka.processing(STAFF, "2.2.7") as p:
        p.collect(category="client", values=client_values(1), source="x")
    monkeypatch.undo()
    with opeka.keys_engine.connect() as conn:
        orphans = [r[0] for r in conn.execute(select(subject_key.c.subject_id))]
    assert len(orphans) == 1
    with opeka.data_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(subject_data)).scalar_one() == 0
    monkeypatch.setattr("opeka.ops.recovery.ORPHAN_GRACE", __import__("datetime").timedelta(0))
    assert reconcile(opeka).orphan_keys_removed == 1


def test_copy_of_data_taken_before_destruction_yields_nothing_with_the_live_key_store(
    opeka: Opeka, settings: Settings
) -> None:
    if not settings.is_sqlite:
        pytest.skip("file copy applies to the embedded SQLite store")
    sid = collect(opeka)
    copy = settings.data_dir / "stolen-copy.db"
    shutil.copyfile(settings.data_dir / "opeka.db", copy)
    shutil.copyfile(settings.data_dir / "opeka.db-wal", settings.data_dir / "stolen-copy.db-wal")
    with opeka.processing(STAFF, DUTY) as p:
        p.destroy(sid, reason_code="withdrawal")
    stolen = Opeka(settings.model_copy(update={"database_url": f"sqlite:///{copy}"}))
    with stolen.unit_of_work() as uow:
        assert count(stolen, subject_data, sid) == 1  # the ciphertext is in the copy ...
        with pytest.raises(SubjectKeyMissing):
            vault.read(uow, sid)  # ... but its key is gone from the live key store
    stolen.close()
