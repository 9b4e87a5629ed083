"""``make bench``: import, lookup, destruction and journal verification at scale, in one run.

    python -m opeka.bench [--n 1000000] [--postgres URL | --no-postgres] [--lookups 1000]

Each backend gets a fresh data directory (and fresh schemas on PostgreSQL, dropped after).
Ratios are computed within the run, side by side, because the machine is noisy.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from opeka.bench import banner_size, consent_events, web
from opeka.bench.measure import run_backend
from opeka.bench.results import Result


def _args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m opeka.bench", description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000, help="subjects to import")
    parser.add_argument("--lookups", type=int, default=1000, help="lookups of each kind")
    parser.add_argument("--destroys", type=int, default=200, help="single-subject destructions")
    parser.add_argument(
        "--workers", type=int, default=None, help="sealing processes (default: cores)"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("OPEKA_BENCH_POSTGRES_URL")
        or os.environ.get("OPEKA_TEST_POSTGRES_URL"),
        help="PostgreSQL URL (default: $OPEKA_BENCH_POSTGRES_URL or $OPEKA_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--dir", type=Path, default=None, help="where to put the data (default: a temp dir)"
    )
    parser.add_argument(
        "--only",
        default="foundation,web,cookies",
        help="comma-separated sections: foundation, web, cookies (default: all)",
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each load run")
    return parser.parse_args(argv)


def _table(results: list[Result]) -> Table:
    table = Table(title="Opeka benchmarks")
    table.add_column("measure")
    table.add_column("backend")
    table.add_column("value", justify="right")
    table.add_column("goal", justify="right")
    table.add_column("met")
    for r in results:
        met = "" if r.goal_met is None else ("yes" if r.goal_met else "NO")
        table.add_row(r.name, r.backend, r.value, r.goal, met)
    return table


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark and print the table."""
    args = _args(sys.argv[1:] if argv is None else argv)
    console = Console()
    started = time.strftime("%Y-%m-%d %H:%M")
    console.print(f"[bold]Opeka bench[/bold] {started}, n={args.n:,}, cores={os.cpu_count()}")
    results: list[Result] = []
    base = args.dir or Path(tempfile.mkdtemp(prefix="opeka-bench-"))
    backends = [("sqlite", None)]
    if args.postgres and not args.no_postgres:
        backends.append(("postgres", args.postgres))
    sections = set(args.only.split(","))
    for name, url in backends:
        console.print(f"— {name} …")
        if "foundation" in sections:
            results += run_backend(
                name,
                url,
                base / name,
                n=args.n,
                lookups=args.lookups,
                destroys=args.destroys,
                workers=args.workers,
                log=console.print,
            )
        if "web" in sections:
            results += web.measure(name, url, base / name, seconds=args.seconds, log=console.print)
        if "cookies" in sections:
            results += consent_events.measure(
                name, url, base / name, seconds=args.seconds, log=console.print
            )
    if "web" in sections:
        results += web.cold_start(base / "cold", log=console.print)
    if "cookies" in sections:
        results += banner_size.measure()
    console.print(_table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
