"""Checking and sealing CSV rows in worker processes (the CPU-heavy half of an import).

Each worker holds the policy's rules and a :class:`~opeka.vault.sealing.Sealer` built from keys
handed over its start-up pipe (memory only). For a chunk of ``(line, values)`` rows it returns the
sealed subjects — ciphertext only — and the refused rows with the refusal's code and clause, so
that the main process can journal the refusals and write the subjects in order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from opeka.policy.errors import PolicyRefusal
from opeka.policy.rules import Rules
from opeka.policy.schema import Policy
from opeka.vault.sealing import Sealed, Sealer, SealerKeys, Wire

Row = tuple[int, dict[str, str]]
SHAPE = "__shape__"


@dataclass(frozen=True, slots=True)
class Refused:
    """A row refused by the policy: its line, the refusal, and the fields it carried."""

    line: int
    refusal: PolicyRefusal
    fields: tuple[str, ...]


class WrongShape(PolicyRefusal):
    """A CSV row whose number of cells differs from the header's."""

    code = "wrong_shape"


@dataclass(frozen=True, slots=True)
class Job:
    """What every worker needs to check and seal rows."""

    policy: Policy
    keys: SealerKeys
    purpose: str
    category: str


class RowSealer:
    """Checks and seals rows for one purpose and category."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.rules = Rules(job.policy)
        self.sealer = Sealer(job.keys)

    def run(self, rows: Sequence[Row]) -> tuple[list[Sealed], list[Refused]]:
        """Seal the good rows, report the bad ones."""
        sealed: list[Sealed] = []
        refused: list[Refused] = []
        prepare, seal = self.rules.prepare_values, self.sealer.seal
        purpose, category = self.job.purpose, self.job.category
        for line, values in rows:
            fields = tuple(sorted(c for c, v in values.items() if v and c != SHAPE))
            try:
                if SHAPE in values:
                    raise WrongShape(
                        "wrong number of columns",
                        clause="1.1",
                        message_ru="неверное число столбцов",
                    )
                sealed.append(seal(category, prepare(purpose, category, values))[0])
            except PolicyRefusal as exc:
                refused.append(Refused(line, exc, fields))
        return sealed, refused


_WORKER: RowSealer | None = None


def _start(job: Job) -> None:
    global _WORKER  # noqa: PLW0603  (one per worker process, set once at start)
    _WORKER = RowSealer(job)


def _run(rows: Sequence[Row]) -> tuple[list[Wire], list[Refused]]:
    assert _WORKER is not None
    sealed, refused = _WORKER.run(rows)
    return [item.to_wire() for item in sealed], refused


def seal_rows(
    job: Job, rows: Sequence[Row], *, chunk: int, workers: int | None = None
) -> Iterator[tuple[int, list[Sealed], list[Refused]]]:
    """Yield ``(rows done, sealed, refused)`` per chunk, in file order.

    With one worker (or a small file) everything runs in this process.
    """
    chunks = [rows[i : i + chunk] for i in range(0, len(rows), chunk)]
    workers = workers or min(os.cpu_count() or 1, 4)
    done = 0
    if workers <= 1 or len(chunks) <= 1:
        inline = RowSealer(job)
        for part in chunks:
            done += len(part)
            yield (done, *inline.run(part))
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start, initargs=(job,)) as pool:
        from_wire = Sealed.from_wire
        for part, (wires, refused) in zip(chunks, pool.imap(_run, chunks), strict=True):
            done += len(part)
            yield done, [from_wire(w) for w in wires], refused
