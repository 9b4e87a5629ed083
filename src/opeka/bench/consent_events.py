"""Consent-event API throughput: Opeka's endpoint vs a bare Starlette endpoint, same server.

Each app runs in its own uvicorn process (one worker, the same options); this process is the
client: ``CONNECTIONS`` keep-alive connections sending POSTs back to back for ``seconds``, over
raw sockets (a light client, so that the servers are what is measured). The bare endpoint reads
the body and answers 204; Opeka's (the full application, fast path included) validates the
decision and answers 204 only once it is committed — grouped with concurrent ones, or one
transaction per event. Besides requests per second and p99, each row gives the server's CPU
time per request, which a noisy machine disturbs less than the rate.

    python -m opeka.bench.consent_events serve bare|opeka PORT MAX_BATCH   (used internally)
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from opeka.bench.measure import Result, _percentiles, _settings
from opeka.cookies.config import cookie_version
from opeka.ops.init import initialise
from opeka.policy.loader import load_policy

CONNECTIONS = 16
WARM_UP = 0.5
_LENGTH = re.compile(rb"content-length: *(\d+)", re.IGNORECASE)
Log = Callable[[str], None]
Body = Callable[[], bytes]


@dataclass(frozen=True, slots=True)
class Run:
    """One load run against one server."""

    rate: float
    p99: float
    cpu_per_request: float | None
    errors: int


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process (Linux ``/proc``; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def _server(kind: str, env: dict[str, str], max_batch: int) -> Iterator[tuple[int, int]]:
    port = _free_port()
    command = [sys.executable, "-m", "opeka.bench.consent_events", "serve", kind, str(port)]
    proc = subprocess.Popen([*command, str(max_batch)], env={**os.environ, **env})  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def _connection(port: int, body: Body, stop: float, lat: list[float], bad: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    clock = time.perf_counter
    head = b"POST /cookies/events HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: text/plain\r\n"
    while clock() < stop:
        payload = body()
        start = clock()
        writer.write(head + b"content-length: %d\r\n\r\n" % len(payload) + payload)
        answer = await reader.readuntil(b"\r\n\r\n")
        match = _LENGTH.search(answer)
        if match and int(match.group(1)):
            await reader.readexactly(int(match.group(1)))
        lat.append(clock() - start)
        if not answer.startswith(b"HTTP/1.1 2"):
            bad.append(int(answer[9:12]))
    writer.close()


async def _load(port: int, pid: int, body: Body, seconds: float) -> Run:
    async def wave(until: float, lat: list[float], bad: list[int]) -> None:
        await asyncio.gather(
            *(_connection(port, body, until, lat, bad) for _ in range(CONNECTIONS))
        )

    await wave(time.perf_counter() + WARM_UP, [], [])
    lat: list[float] = []
    bad: list[int] = []
    cpu0, start = _cpu_seconds(pid), time.perf_counter()
    await wave(start + seconds, lat, bad)
    elapsed, cpu1 = time.perf_counter() - start, _cpu_seconds(pid)
    cpu = (cpu1 - cpu0) / len(lat) if cpu0 is not None and cpu1 is not None and lat else None
    p99 = _percentiles(lat)[2] if lat else float("nan")
    return Run(len(lat) / elapsed, p99, cpu, len(bad))


def _event_body(version: str) -> Body:
    template = {
        "method": "custom",
        "granted": ["preferences", "analytics"],
        "denied": ["stored_information"],
        "version": version,
        "language": "ru",
    }
    return lambda: json.dumps({"consent_id": uuid.uuid4().hex, **template}).encode()


def measure(
    backend: str, url: str | None, folder: Path, *, seconds: float = 5.0, log: Log = print
) -> list[Result]:
    """Rate, p99 and CPU per request of the bare endpoint and of Opeka's, and their ratio."""
    folder.mkdir(parents=True, exist_ok=True)
    conf = _settings(backend, url, folder / "events-data")
    initialise(conf)
    env = {
        "OPEKA_DATA_DIR": str(conf.data_dir),
        "OPEKA_ENVIRONMENT": "test",
        "OPEKA_DATABASE_SCHEMA": conf.database_schema,
        **({"OPEKA_DATABASE_URL": url} if url else {}),
    }
    body = _event_body(cookie_version(load_policy(conf.policy)))
    runs: dict[str, Run] = {}
    try:
        for name, kind, batch in (
            ("bare", "bare", 0),
            ("grouped", "opeka", 512),
            ("single", "opeka", 1),
        ):
            log(f"  consent events: {name}, {CONNECTIONS} connections, {seconds:.0f} s")
            with _server(kind, env, batch) as (port, pid):
                runs[name] = asyncio.run(_load(port, pid, body, seconds))
    finally:
        if url:
            engine = create_engine(url)
            with engine.begin() as conn:
                for schema in (conf.database_schema, conf.keystore_schema):
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()
    return _results(backend, runs)


def _describe(run: Run) -> str:
    cpu = f", {run.cpu_per_request * 1e6:.0f} µs CPU/req" if run.cpu_per_request else ""
    errors = f", {run.errors} non-2xx" if run.errors else ""
    return f"{run.rate:,.0f}/s, p99 {run.p99 * 1000:.1f} ms{cpu}{errors}"


def _results(backend: str, runs: dict[str, Run]) -> list[Result]:
    bare = runs["bare"]
    out = [Result("consent events: bare Starlette endpoint", backend, _describe(bare), "", None)]
    for name, label in (("grouped", "grouped commits"), ("single", "one commit per event")):
        run = runs[name]
        ratio = run.rate / bare.rate
        met = ratio >= 0.5 and run.p99 <= 0.020 and not run.errors
        out.append(
            Result(
                f"  Opeka, {label} (÷ bare; p99)",
                backend,
                f"{ratio:.2f} — {_describe(run)}",
                "≥ 0.5; ≤ 20 ms" if name == "grouped" else "",
                met if name == "grouped" else None,
            )
        )
    return out


def _serve(kind: str, port: int, max_batch: int) -> None:
    """Serve the bare endpoint or the full Opeka application (in a bench subprocess)."""
    import uvicorn  # noqa: PLC0415  (the subprocess imports only what it serves)

    if kind == "bare":
        from starlette.applications import Starlette  # noqa: PLC0415
        from starlette.requests import Request  # noqa: PLC0415
        from starlette.responses import Response  # noqa: PLC0415
        from starlette.routing import Route  # noqa: PLC0415

        async def endpoint(request: Request) -> Response:
            await request.body()
            return Response(status_code=204)

        app = Starlette(routes=[Route("/cookies/events", endpoint, methods=["POST"])])
    else:
        from opeka.app import Opeka  # noqa: PLC0415
        from opeka.web.app import create_app  # noqa: PLC0415
        from opeka.web.cookies_routes import include  # noqa: PLC0415

        opeka = Opeka.from_settings()
        app = create_app(opeka, periodic=False, routers=[])
        include(app, opeka, max_batch=max_batch)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        _serve(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
