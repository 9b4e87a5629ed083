"""What every benchmark shares: a table row, settings for a fresh store, percentiles."""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opeka.settings import Settings

Log = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Result:
    """One line of the table."""

    name: str
    backend: str
    value: str
    goal: str
    goal_met: bool | None


def fresh_settings(backend: str, url: str | None, folder: Path) -> Settings:
    values: dict[str, object] = {
        "data_dir": folder,
        "database_url": url,
        "master_key": None,
        "environment": "test",
    }
    if url:
        values["database_schema"] = f"bench_{uuid.uuid4().hex[:8]}"
    return Settings(**values)  # type: ignore[arg-type]


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return statistics.median(ordered), pick(0.95), pick(0.99)
