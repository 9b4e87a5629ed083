"""Several processes appending to one journal; checkpoint timing; recovery of the external file.

The writers are separate OS processes (``spawn``), each with its own :class:`Opeka`, appending
through units of work at the same time. The journal must come out numbered without gaps or
duplicates, verify, and keep each process's units of work in that process's commit order.
"""

from __future__ import annotations

import json
import multiprocessing
import time
import uuid
from collections.abc import Callable
from multiprocessing.synchronize import Barrier

from sqlalchemy import select

from opeka.app import Opeka
from opeka.db.engine import read_only
from opeka.db.journal import journal_checkpoint, journal_entry
from opeka.journal.checkpoints import verify
from opeka.journal.entry import Action, Record, decode, now_us
from opeka.journal.verify import VerifyReport, verify_journal
from opeka.ops.init import initialise
from opeka.ops.recovery import reconcile
from opeka.settings import Settings

RECORD_BASIS = "152-ФЗ ст. 6 ч. 1 п. 5"
JOIN_TIMEOUT = 60.0


def record(tag: str) -> Record:
    return Record(
        time_us=now_us(),
        actor="system:test",
        action=Action.STORE,
        subject_id=uuid.uuid4(),
        fields=(),
        purpose="2.2.7",
        basis=RECORD_BASIS,
        reason=tag,
    )


def append_units(
    settings: Settings, worker: int, units: int, per_unit: int, start: Barrier
) -> None:
    """Body of one writer process: ``units`` units of work of ``per_unit`` records each."""
    opeka = Opeka(settings)
    try:
        start.wait(timeout=JOIN_TIMEOUT)
        for unit in range(units):
            with opeka.unit_of_work() as uow:
                for n in range(per_unit):
                    uow.journal(record(f"w{worker}:u{unit}:r{n}"))
    finally:
        opeka.close()


def journal_rows(opeka: Opeka) -> list[tuple[int, str]]:
    """(seq, reason) of every entry, in sequence order."""
    with read_only(opeka.data_engine) as conn:
        rows = conn.execute(
            select(journal_entry.c.seq, journal_entry.c.entry).order_by(journal_entry.c.seq)
        ).all()
    return [(row.seq, decode(row.entry).reason) for row in rows]


def verify_all(opeka: Opeka) -> VerifyReport:
    with read_only(opeka.data_engine) as conn:
        return verify_journal(
            conn,
            public_key=opeka.signing_key.public_key(),
            checkpoint_file=opeka.services.checkpoint_file,
        )


def db_checkpoint_sizes(opeka: Opeka) -> list[int]:
    with opeka.data_engine.connect() as conn:
        return list(
            conn.execute(select(journal_checkpoint.c.size).order_by(journal_checkpoint.c.size))
            .scalars()
            .all()
        )


def file_checkpoint_sizes(opeka: Opeka) -> list[int]:
    public = opeka.signing_key.public_key()
    return [verify(note, public).size for note in opeka.services.checkpoint_file.read()]


def append(opeka: Opeka, n: int, tag: str = "x") -> None:
    with opeka.unit_of_work() as uow:
        for i in range(n):
            uow.journal(record(f"{tag}{i}"))


# --- concurrent writers -----------------------------------------------------------------------


def test_concurrent_processes_append_a_gapless_verifiable_journal_in_commit_order(
    settings: Settings,
) -> None:
    workers, units, per_unit = (3, 30, 2) if settings.is_sqlite else (4, 50, 3)
    conf = settings.model_copy(update={"checkpoint_every_entries": 25})
    initialise(conf)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(workers)
    processes = [
        context.Process(target=append_units, args=(conf, w, units, per_unit, start), daemon=True)
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(JOIN_TIMEOUT)
    stuck = [p.pid for p in processes if p.is_alive()]
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join()
    assert stuck == []
    assert [p.exitcode for p in processes] == [0] * workers

    total = workers * units * per_unit
    opeka = Opeka(conf)
    try:
        rows = journal_rows(opeka)
        report = verify_all(opeka)
        checkpoints = db_checkpoint_sizes(opeka)
        in_file = sorted(file_checkpoint_sizes(opeka))
    finally:
        opeka.close()

    assert [seq for seq, _ in rows] == list(range(1, total + 1))
    assert (report.entries, report.newest_checkpoint) == (total, checkpoints[-1])
    assert checkpoints == in_file  # every checkpoint reached the external file too
    assert checkpoints[0] >= 25
    tags = [tuple(int(part[1:]) for part in reason.split(":")) for _, reason in rows]
    for worker in range(workers):
        own = [(u, n) for w, u, n in tags if w == worker]
        assert own == [(u, n) for u in range(units) for n in range(per_unit)]
    # a unit of work's records are appended as one block, never interleaved with another's
    for position in range(0, total, per_unit):
        block = tags[position : position + per_unit]
        assert {(w, u) for w, u, _ in block} == {block[0][:2]}


# --- checkpoints ------------------------------------------------------------------------------


def test_a_checkpoint_is_signed_every_n_entries(make_opeka: Callable[..., Opeka]) -> None:
    opeka = make_opeka(checkpoint_every_entries=5, checkpoint_every_seconds=3600)
    append(opeka, 4)
    assert db_checkpoint_sizes(opeka) == []
    append(opeka, 4)
    append(opeka, 4)
    assert db_checkpoint_sizes(opeka) == [5, 10]
    assert file_checkpoint_sizes(opeka) == [5, 10]
    report = verify_all(opeka)
    assert (report.entries, report.checkpoints, report.unsigned_tail) == (12, 2, 2)


def test_one_large_unit_of_work_signs_every_n_entries_inside_it(
    make_opeka: Callable[..., Opeka],
) -> None:
    opeka = make_opeka(checkpoint_every_entries=3, checkpoint_every_seconds=3600)
    append(opeka, 10)
    assert db_checkpoint_sizes(opeka) == [3, 6, 9]
    assert verify_all(opeka).unsigned_tail == 1


def test_no_time_checkpoint_is_signed_before_the_interval(
    make_opeka: Callable[..., Opeka],
) -> None:
    opeka = make_opeka(checkpoint_every_entries=1000, checkpoint_every_seconds=3600)
    for _ in range(3):
        append(opeka, 2)
    assert db_checkpoint_sizes(opeka) == []


def test_a_checkpoint_is_signed_once_the_interval_has_passed(
    make_opeka: Callable[..., Opeka],
) -> None:
    opeka = make_opeka(checkpoint_every_entries=1000, checkpoint_every_seconds=0.05)
    time.sleep(0.06)
    append(opeka, 2)
    assert db_checkpoint_sizes(opeka) == [2]
    time.sleep(0.06)
    append(opeka, 1)
    assert db_checkpoint_sizes(opeka) == [2, 3]
    assert file_checkpoint_sizes(opeka) == [2, 3]
    assert verify_all(opeka).unsigned_tail == 0


def test_a_forced_checkpoint_signs_the_current_size_once(
    make_opeka: Callable[..., Opeka],
) -> None:
    opeka = make_opeka(checkpoint_every_entries=1000, checkpoint_every_seconds=3600)
    append(opeka, 7)
    with opeka.data_engine.begin() as conn:
        notes = opeka.services.journal.flush(conn, [], force=True)
    opeka.services.checkpoint_file.append(notes)
    assert [verify(n, opeka.signing_key.public_key()).size for n in notes] == [7]
    with opeka.data_engine.begin() as conn:
        again = opeka.services.journal.flush(conn, [], force=True)
    assert again == []  # nothing new since the last checkpoint
    assert db_checkpoint_sizes(opeka) == [7]
    assert verify_all(opeka).unsigned_tail == 0


def test_a_forced_checkpoint_of_an_empty_journal_signs_nothing(
    make_opeka: Callable[..., Opeka],
) -> None:
    opeka = make_opeka()
    with opeka.data_engine.begin() as conn:
        assert opeka.services.journal.flush(conn, [], force=True) == []
    assert db_checkpoint_sizes(opeka) == []


# --- recovery of the external checkpoint file -------------------------------------------------


def drop_last_line(opeka: Opeka) -> str:
    path = opeka.services.checkpoint_file.path
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    return str(json.loads(lines[-1])["note"])


def test_reconcile_appends_a_committed_checkpoint_missing_from_the_file(
    make_opeka: Callable[..., Opeka],
) -> None:
    opeka = make_opeka(checkpoint_every_entries=3, checkpoint_every_seconds=3600)
    append(opeka, 7)
    assert file_checkpoint_sizes(opeka) == [3, 6]
    lost = drop_last_line(opeka)  # as if the process died between the commit and the append
    assert file_checkpoint_sizes(opeka) == [3]

    report = reconcile(opeka)

    assert report.checkpoints_appended == 1
    assert opeka.services.checkpoint_file.read()[-1] == lost
    assert file_checkpoint_sizes(opeka) == db_checkpoint_sizes(opeka) == [3, 6]
    assert verify_all(opeka).checkpoints == 2
    assert reconcile(opeka).checkpoints_appended == 0  # nothing left to do
    assert file_checkpoint_sizes(opeka) == [3, 6]


def test_reconcile_rebuilds_an_emptied_checkpoint_file_in_order(
    make_opeka: Callable[..., Opeka],
) -> None:
    opeka = make_opeka(checkpoint_every_entries=2, checkpoint_every_seconds=3600)
    append(opeka, 7)
    opeka.services.checkpoint_file.path.write_text("", encoding="utf-8")
    assert reconcile(opeka).checkpoints_appended == 3
    assert file_checkpoint_sizes(opeka) == [2, 4, 6]


def test_reconcile_leaves_a_damaged_checkpoint_file_for_verify_to_report(
    make_opeka: Callable[..., Opeka],
) -> None:
    opeka = make_opeka(checkpoint_every_entries=2, checkpoint_every_seconds=3600)
    append(opeka, 4)
    path = opeka.services.checkpoint_file.path
    damaged = path.read_text(encoding="utf-8") + "not json\n"
    path.write_text(damaged, encoding="utf-8")
    assert reconcile(opeka).checkpoints_appended == 0
    assert path.read_text(encoding="utf-8") == damaged
