"""The measurements of ``make bench`` for one backend."""

from __future__ import annotations

import hashlib
import random
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from opeka.app import Opeka
from opeka.bench import destruction
from opeka.bench.results import Log, Result, fresh_settings, percentiles
from opeka.bench.synthetic import email_of, phone_of, write_clients_csv
from opeka.db.engine import read_only
from opeka.db.journal import journal_entry
from opeka.db.stream import stream_rows
from opeka.db.subjects import subject
from opeka.journal.verify import verify_journal
from opeka.ops.init import initialise
from opeka.processing.actor import Actor
from opeka.subjects.importer import import_csv

STAFF = Actor.staff("bench")


def _ms(value: float) -> str:
    return f"{value * 1000:.2f} ms"


def run_backend(
    backend: str,
    url: str | None,
    folder: Path,
    *,
    n: int,
    lookups: int,
    destroys: int,
    workers: int | None,
    log: Log,
) -> list[Result]:
    """Import ``n`` subjects, then time lookups, destructions and journal verification."""
    folder.mkdir(parents=True, exist_ok=True)
    conf = fresh_settings(backend, url, folder / "data")
    initialise(conf)
    opeka = Opeka(conf)
    try:
        results = [_import(opeka, backend, folder, n, workers, log)]
        results += _lookups(opeka, backend, n, lookups, log)
        results += _destroys(opeka, backend, destroys, log)
        results += destruction.measure(opeka, backend, log=log)
        results += _verify(opeka, backend, log)
    finally:
        opeka.close()
        if url:
            engine = create_engine(url)
            with engine.begin() as conn:
                for schema in (conf.database_schema, conf.keystore_schema):
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()
    return results


def _import(
    opeka: Opeka, backend: str, folder: Path, n: int, workers: int | None, log: Log
) -> Result:
    csv_path = folder / "clients.csv"
    write_clients_csv(csv_path, n)
    log(f"  importing {n:,} subjects")
    start = time.perf_counter()
    report = import_csv(
        opeka,
        path=csv_path,
        category="client",
        purpose="2.2.7",
        source="bench",
        actor=STAFF,
        workers=workers,
    )
    elapsed = time.perf_counter() - start
    csv_path.unlink()
    assert report.imported == n, report
    scaled = elapsed * 1_000_000 / n
    return Result(
        f"import {n:,} subjects (encrypted, indexed, journaled)",
        backend,
        f"{elapsed:.1f} s ({n / elapsed:,.0f}/s)",
        "≤ 60 s per 10⁶",
        scaled <= 60 if backend == "sqlite" else None,
    )


def _lookups(opeka: Opeka, backend: str, n: int, count: int, log: Log) -> list[Result]:
    rng = random.Random(7)
    out: list[Result] = []
    for kind, make in (("e-mail", email_of), ("phone", phone_of)):
        log(f"  {count} lookups by {kind}")
        samples: list[float] = []
        for _ in range(count):
            i = rng.randrange(n)
            query = {"email": make(i)} if kind == "e-mail" else {"phone": make(i)}
            start = time.perf_counter()
            with opeka.processing(STAFF, "2.2.7") as p:
                found = p.find(**query)
            samples.append(time.perf_counter() - start)
            assert len(found) == 1, (kind, i, found)
        p50, p95, p99 = percentiles(samples)
        out.append(
            Result(
                f"lookup by {kind} at {n:,} (p50 / p95 / p99)",
                backend,
                f"{_ms(p50)} / {_ms(p95)} / {_ms(p99)}",
                "p50 ≤ 1 ms",
                p50 <= 0.001,
            )
        )
    return out


def _destroys(opeka: Opeka, backend: str, count: int, log: Log) -> list[Result]:
    log(f"  {count} destructions")
    with read_only(opeka.data_engine) as conn:
        total = conn.execute(select(func.count()).select_from(subject)).scalar_one()
        ids = [
            r[0] for r in conn.execute(select(subject.c.id).order_by(func.random()).limit(count))
        ]
    samples: list[float] = []
    for sid in ids:
        start = time.perf_counter()
        with opeka.processing(STAFF, "legal.subject_rights") as p:
            p.destroy(sid, reason_code="withdrawal")
        samples.append(time.perf_counter() - start)
    p50, p95, p99 = percentiles(samples)
    return [
        Result(
            f"destroy one subject at {total:,}, journal included (p50 / p95 / p99)",
            backend,
            f"{_ms(p50)} / {_ms(p95)} / {_ms(p99)}",
            "p50 ≤ 20 ms",
            p50 <= 0.020,
        )
    ]


def _verify(opeka: Opeka, backend: str, log: Log) -> list[Result]:
    log("  journal verification vs a bare SHA-256 chain")
    checkpoint_file = opeka.services.checkpoint_file
    public_key = opeka.signing_key.public_key()
    with read_only(opeka.data_engine) as conn:
        start = time.perf_counter()
        report = verify_journal(conn, public_key=public_key, checkpoint_file=checkpoint_file)
        t_verify = time.perf_counter() - start
    # The baseline reads the same rows the same way (raw driver batches) and only chains them.
    with read_only(opeka.data_engine) as conn:
        start = time.perf_counter()
        head = b""
        sha256 = hashlib.sha256
        for rows in stream_rows(conn, journal_entry, ("entry",), order_by="seq", batch=16_384):
            for (blob,) in rows:
                head = sha256(head + blob).digest()
        t_db_chain = time.perf_counter() - start
        blobs = [
            bytes(row[0])
            for rows in stream_rows(conn, journal_entry, ("entry",), order_by="seq", batch=16_384)
            for row in rows
        ]
    start = time.perf_counter()
    head = b""
    for blob in blobs:
        head = sha256(head + blob).digest()
    t_mem_chain = time.perf_counter() - start
    entries = report.entries
    rate = entries / t_verify
    return [
        Result(
            f"journal verify ({entries:,} entries, {report.checkpoints} checkpoints)",
            backend,
            f"{rate:,.0f} entries/s",
            "",
            None,
        ),
        Result(
            "  ÷ bare SHA-256 chain reading the same rows",
            backend,
            f"{t_db_chain / t_verify:.2f} ({entries / t_db_chain:,.0f}/s)",
            "≥ 0.5",
            t_db_chain / t_verify >= 0.5,
        ),
        Result(
            "  ÷ bare SHA-256 chain over the same bytes in memory",
            backend,
            f"{t_mem_chain / t_verify:.2f} ({entries / t_mem_chain:,.0f}/s)",
            "",
            None,
        ),
    ]
