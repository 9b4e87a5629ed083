"""Import of subjects from CSV, through the processing spine.

Two passes. The first validates every row against the policy (fields of the category, fields of
the purpose, mandatory marks, each value's format, no card numbers) and reports each bad row with
its line number and reason — never its values. By default nothing is imported if any row is bad;
``skip_bad`` imports the good ones. The second pass collects the prepared rows in chunks, each
chunk one transaction together with its journal entries and the batch's progress, so that an
interrupted import resumes at the next chunk when run again on the same file.

The prepared rows are kept in memory between the passes (about 0.6 KB per row); they are never
written anywhere in clear.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, update

from opeka.app import Opeka
from opeka.consent.grants import ConsentEvidence
from opeka.db.base import utcnow
from opeka.db.imports import import_batch
from opeka.policy.errors import PolicyRefusal
from opeka.processing.actor import Actor
from opeka.processing.service import Prepared, Processing

CHUNK = 2_000
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
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
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
            for cells in reader:
                line = reader.line_num + 1
                if not any(cells):
                    continue
                if len(cells) != len(columns):
                    rows.append((line, {"__shape__": str(len(cells))}))
                    continue
                rows.append((line, dict(zip(columns, cells, strict=True))))
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ImportFileError(f"cannot read {path}: {type(exc).__name__}") from None


def validate(
    opeka: Opeka,
    rows: list[tuple[int, dict[str, str]]],
    *,
    actor: Actor,
    category: str,
    purpose: str,
    progress: Progress,
) -> tuple[list[Prepared], list[BadRow]]:
    """Pass one: prepare every row; refusals are journaled, bad rows reported."""
    prepared: list[Prepared] = []
    bad: list[BadRow] = []
    with opeka.unit_of_work() as uow:
        processing = Processing(uow, actor, purpose)
        for done, (line, values) in enumerate(rows, start=1):
            if "__shape__" in values:
                bad.append(BadRow(line, "wrong number of columns", "неверное число столбцов"))
                continue
            try:
                prepared.append(processing.prepare(category=category, values=values))
            except PolicyRefusal as exc:
                bad.append(BadRow(line, str(exc), f"{exc.message_ru} (политика §{exc.clause})"))
            if done % CHUNK == 0:
                progress("validate", done, len(rows))
        progress("validate", len(rows), len(rows))
    return prepared, bad


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
) -> ImportReport:
    """Validate then import ``path``; see the module docstring."""
    rows = read_rows(path, set(opeka.rules.fields))
    report = ImportReport(rows=len(rows))
    prepared, report.bad = validate(
        opeka, rows, actor=actor, category=category, purpose=purpose, progress=progress
    )
    if report.bad and not skip_bad:
        return report
    batch_id, done = _open_batch(
        opeka, path, category, purpose, source, len(prepared), len(report.bad)
    )
    report.batch_id, report.resumed_from = batch_id, done
    for start in range(done, len(prepared), CHUNK):
        chunk = prepared[start : start + CHUNK]
        with opeka.processing(actor, purpose) as processing:
            processing.collect_prepared(chunk, source=source, consent=consent)
            processing.uow.data.execute(
                update(import_batch)
                .where(import_batch.c.id == batch_id)
                .values(rows_done=start + len(chunk))
            )
        report.imported += len(chunk)
        progress("import", start + len(chunk), len(prepared))
    with opeka.data_engine.begin() as conn:
        conn.execute(
            update(import_batch)
            .where(import_batch.c.id == batch_id)
            .values(status="done", finished_at=utcnow())
        )
    return report


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
