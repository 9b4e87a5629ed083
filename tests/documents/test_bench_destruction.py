"""The destruction benchmark runs end to end on a small store and reports its rows."""

from __future__ import annotations

from tests.documents.support import collect_clients

from opeka.app import Opeka
from opeka.bench import destruction
from opeka.db.engine import read_only
from opeka.documents import acts


def test_the_destruction_bench_measures_single_destructions_and_a_sweep(opeka: Opeka) -> None:
    collect_clients(opeka, *range(1, 13))
    lines: list[str] = []
    backend = "sqlite" if opeka.settings.is_sqlite else "postgres"
    rows = destruction.measure(opeka, backend, destroys=4, sweep_subjects=8, log=lines.append)
    single, swept = rows
    assert single.name.startswith("destroy one subject at 12 with its act")
    assert single.goal_met is not None
    assert swept.name.startswith("sweep destroying 8 due subjects")
    assert "subjects/s" in swept.value
    with read_only(opeka.data_engine) as conn:
        listed = acts.list_acts(conn)
    assert sum(r.subjects for r in listed) == 12
    assert len(listed) == 5  # one per single destruction, one for the sweep's batch
