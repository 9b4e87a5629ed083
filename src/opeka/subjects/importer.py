"""Import of subjects from CSV, through the processing spine.

Two passes. The first validates every row against the policy (fields of the category, fields of
the purpose, mandatory marks, each value's format, no card numbers) and reports each bad row with
its line number and reason — never its values. By default nothing is imported if any row is bad;
``skip_bad`` imports the good ones. The second pass collects the prepared rows in chunks, each
chunk one transaction together with its journal entries and the batch's progress, so that an
interrupted import resumes at the next chunk when run again on the same file.

Between the passes only sealed subjects are kept in memory — ciphertext, wrapped keys and index
digests, about 0.6 KB per row — so nothing is ever held or written in clear. The first pass runs
in worker processes (one per core) when the file is large.

Resuming relies on the sealed rows being stored in file order: a rerun on the same file seals
again (fresh ids and keys) and stores the rows after those already done.
"""

from __future__ import annotations

import csv
import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, update

from opeka.app import Opeka
from opeka.consent.grants import ConsentEvidence
from opeka.db.base import utcnow
from opeka.db.engine import read_only
from opeka.db.imports import import_batch
from opeka.journal.entry import Action
from opeka.processing.actor import Actor
from opeka.subjects.sealing_pool import Job, Refused, seal_rows
from opeka.vault.sealing import Sealed

CHUNK = 10_000
SEAL_CHUNK = 5_000
MAX_FIELD = 4_000

Progress = Callable[[str, int, int], None]
"""Called as ``progress(phase, done, total)``; phase is "validate" or "import"."""


class ImportFileError(ValueError):
    """The file cannot be imported at all (unreadable, bad header); the message says why."""


@dataclass(frozen=True, slots=True)
class BadRow:
    """A refused row: its line in the file and why (no values)."""

    line: int
    reason: str
    reason_ru: str


@dataclass(slots=True)
class ImportReport:
    """The outcome of an import."""

    rows: int = 0
    imported: int = 0
    resumed_from: int = 0
    bad: list[BadRow] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def refused(self) -> bool:
        """True when bad rows stopped the whole import."""
        return bool(self.bad) and self.imported == 0 and self.resumed_from == 0


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {type(exc).__name__}") from None
    return sha.hexdigest()


def read_rows(path: Path, known_fields: set[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV (``,`` or ``;``) whose header names field codes, with line numbers."""
    csv.field_size_limit(MAX_FIELD)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
            delimiter = ";" if header.count(";") > header.count(",") else ","
            columns = next(csv.reader([header], delimiter=delimiter), [])
            unknown = [c for c in columns if c not in known_fields]
            if not columns or unknown:
                raise ImportFileError(
                    f"{path}:1: unknown column(s) {', '.join(unknown) or '(none)'}; "
                    f"the header must name field codes: {', '.join(sorted(known_fields))}"
                )
            reader = csv.reader(handle, delimiter=delimiter)
            rows: list[tuple[int, dict[str, str]]] = []
            next_start = 2  # the header was line 1
            for cells in reader:
                # A quoted cell may span lines: a row is reported at the line it starts on.
                line, next_start = next_start, reader.line_num + 2
                if not any(cells):
                    continue
                if len(cells) != len(columns):
                    rows.append((line, {"__shape__": str(len(cells))}))
                    continue
                rows.append((line, dict(zip(columns, cells, strict=True))))
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ImportFileError(f"cannot read {path}: {type(exc).__name__}") from None


def check_and_seal(
    opeka: Opeka,
    rows: list[tuple[int, dict[str, str]]],
    *,
    actor: Actor,
    category: str,
    purpose: str,
    progress: Progress,
    workers: int | None = None,
) -> tuple[list[Sealed], list[BadRow]]:
    """Pass one: check every row against the policy and seal the good ones (in parallel).

    Refusals are journaled; what is kept in memory is ciphertext only.
    """
    job = Job(opeka.policy, opeka.services.sealer.keys, purpose, category)
    sealed: list[Sealed] = []
    refused: list[Refused] = []
    with opeka.processing(actor, purpose) as processing:
        for done, good, bad in seal_rows(job, rows, chunk=SEAL_CHUNK, workers=workers):
            sealed += good
            refused += bad
            progress("validate", done, len(rows))
        for item in refused:
            processing.refused(Action.COLLECT, None, item.fields, item.refusal)
    bad_rows = [
        BadRow(
            item.line,
            str(item.refusal),
            f"{item.refusal.message_ru} (политика §{item.refusal.clause})",
        )
        for item in refused
    ]
    return sealed, bad_rows


def import_csv(
    opeka: Opeka,
    *,
    path: Path,
    category: str,
    purpose: str,
    source: str,
    actor: Actor,
    consent: ConsentEvidence | None = None,
    skip_bad: bool = False,
    progress: Progress = lambda *_: None,
    workers: int | None = None,
    repeat: bool = False,
) -> ImportReport:
    """Check and seal, then store ``path``; see the module docstring.

    A file already imported for the same category and purpose is refused unless ``repeat``.
    """
    if category not in opeka.policy.subject_categories:
        known = ", ".join(opeka.policy.subject_categories)
        raise ImportFileError(f"unknown subject category `{category}`; use one of: {known}")
    if not repeat:
        _refuse_repeat(opeka, _digest(path), category, purpose)
    with gc_paused():
        return _import(
            opeka, path, category, purpose, source, actor, consent, skip_bad, progress, workers
        )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk import.

    An import allocates millions of small objects that live until the end (sealed rows,
    journal records); each full collection would rescan them all, which measured as a third
    of the import's time. Nothing here forms reference cycles, so reference counting frees
    everything; the collector is restored (and run once) afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import(
    opeka: Opeka,
    path: Path,
    category: str,
    purpose: str,
    source: str,
    actor: Actor,
    consent: ConsentEvidence | None,
    skip_bad: bool,
    progress: Progress,
    workers: int | None,
) -> ImportReport:
    rows = read_rows(path, set(opeka.rules.fields))
    report = ImportReport(rows=len(rows))
    sealed, report.bad = check_and_seal(
        opeka,
        rows,
        actor=actor,
        category=category,
        purpose=purpose,
        progress=progress,
        workers=workers,
    )
    del rows
    if report.bad and not skip_bad:
        return report
    batch_id, done = _open_batch(
        opeka, path, category, purpose, source, len(sealed), len(report.bad)
    )
    report.batch_id, report.resumed_from = batch_id, done
    for start in range(done, len(sealed), CHUNK):
        chunk = sealed[start : start + CHUNK]
        with opeka.processing(actor, purpose) as processing:
            processing.collect_sealed(chunk, source=source, consent=consent)
            processing.uow.data.execute(
                update(import_batch)
                .where(import_batch.c.id == batch_id)
                .values(rows_done=start + len(chunk))
            )
        report.imported += len(chunk)
        progress("import", start + len(chunk), len(sealed))
    with opeka.data_engine.begin() as conn:
        conn.execute(
            update(import_batch)
            .where(import_batch.c.id == batch_id)
            .values(status="done", finished_at=utcnow())
        )
    return report


def _refuse_repeat(opeka: Opeka, digest: str, category: str, purpose: str) -> None:
    with read_only(opeka.data_engine) as conn:
        done = conn.execute(
            select(import_batch.c.id, import_batch.c.finished_at).where(
                import_batch.c.file_sha256 == digest,
                import_batch.c.category == category,
                import_batch.c.purpose == purpose,
                import_batch.c.status == "done",
            )
        ).first()
    if done is not None:
        raise ImportFileError(
            f"this file was already imported (batch {done.id}, {done.finished_at:%Y-%m-%d %H:%M} "
            "UTC); importing it again would duplicate its subjects — pass --repeat to do so"
        )


def _open_batch(
    opeka: Opeka, path: Path, category: str, purpose: str, source: str, total: int, skipped: int
) -> tuple[int, int]:
    """The unfinished batch of the same file, or a new one; returns (id, rows already done)."""
    digest = _digest(path)
    with opeka.data_engine.begin() as conn:
        found = conn.execute(
            select(import_batch.c.id, import_batch.c.rows_done).where(
                import_batch.c.file_sha256 == digest,
                import_batch.c.category == category,
                import_batch.c.purpose == purpose,
                import_batch.c.status == "running",
            )
        ).first()
        if found is not None:
            return int(found.id), int(found.rows_done)
        result = conn.execute(
            insert(import_batch).values(
                file_sha256=digest,
                category=category,
                purpose=purpose,
                source=source,
                rows_total=total,
                rows_done=0,
                rows_skipped=skipped,
                status="running",
                started_at=utcnow(),
                finished_at=None,
            )
        )
        primary = result.inserted_primary_key
        assert primary is not None
        return int(primary[0]), 0
