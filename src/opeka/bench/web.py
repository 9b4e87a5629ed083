"""Web benchmarks (issue 3): a purpose-checked read against a bare Starlette endpoint, memory
after 10,000 requests, and the cold start of ``opeka serve``.

    python -m opeka.bench.web serve bare|opeka PORT   (used internally)

The read is ``GET /api/v1/subjects/{id}?fields=email`` with an API key and a stated purpose: the
key and scope are checked, the purpose authorised against the policy, the value decrypted and
the extraction journaled and committed before the answer. The bare endpoint answers the same
path with a fixed JSON body. Both are served by one uvicorn process with the same options.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from opeka.app import Opeka
from opeka.auth import apikeys
from opeka.auth.apikeys import Scope
from opeka.auth.context import Auth
from opeka.bench.http_load import RequestBytes, free_port, load, requests_count, rss_bytes, serving
from opeka.bench.results import Log, Result, fresh_settings
from opeka.ops.init import initialise
from opeka.processing.actor import Actor
from opeka.settings import Settings

CONNECTIONS = 16
REQUESTS_FOR_MEMORY = 10_000
COLD_STARTS = 3


def _prepare(conf: Settings) -> tuple[str, str]:
    """One client and an API key allowed to read under 2.2.7; returns (subject id, token)."""
    initialise(conf)
    opeka = Opeka(conf)
    try:
        with opeka.processing(Actor.system("bench"), "2.2.7") as p:
            sid = p.collect(
                category="client",
                values={
                    "last_name": "Бенчмарков",
                    "first_name": "Иван",
                    "organization": "ООО «Тест»",
                    "email": "bench@example.org",
                },
                source="bench",
            )
        with opeka.data_engine.begin() as conn:
            _, token = apikeys.create_api_key(
                conn,
                auth=Auth.from_opeka(opeka),
                name="bench",
                scopes=[Scope.SUBJECTS_READ],
                purposes=["2.2.7"],
            )
    finally:
        opeka.close()
    return str(sid), token


def _read_request(sid: str, token: str) -> RequestBytes:
    raw = (
        f"GET /api/v1/subjects/{sid}?fields=email HTTP/1.1\r\nhost: 127.0.0.1\r\n"
        f"authorization: Bearer {token}\r\nx-opeka-purpose: 2.2.7\r\n\r\n"
    ).encode()
    return lambda: raw


def _env(conf: Settings, url: str | None) -> dict[str, str]:
    return {
        "OPEKA_DATA_DIR": str(conf.data_dir),
        "OPEKA_ENVIRONMENT": "test",
        "OPEKA_DATABASE_SCHEMA": conf.database_schema,
        **({"OPEKA_DATABASE_URL": url} if url else {}),
    }


def measure(
    backend: str, url: str | None, folder: Path, *, seconds: float = 5.0, log: Log = print
) -> list[Result]:
    """Ratio and p99 of the read against the bare endpoint, then memory after 10k requests."""
    folder.mkdir(parents=True, exist_ok=True)
    conf = fresh_settings(backend, url, folder / "web-data")
    sid, token = _prepare(conf)
    env, request = _env(conf, url), _read_request(sid, token)
    runs = {}
    for kind in ("bare", "opeka"):
        log(f"  web read: {kind}, {CONNECTIONS} connections, {seconds:.0f} s")
        port = free_port()
        with serving(["-m", "opeka.bench.web", "serve", kind, str(port)], env, port) as pid:
            runs[kind] = load(port, pid, request, seconds=seconds, connections=CONNECTIONS)
    ratio = runs["opeka"].rate / runs["bare"].rate
    port = free_port()
    with serving(["-m", "opeka.bench.web", "serve", "opeka", str(port)], env, port) as pid:
        bad = requests_count(port, request, REQUESTS_FOR_MEMORY)
        rss = rss_bytes(pid) or 0
    return [
        Result("web: bare Starlette endpoint", backend, runs["bare"].describe(), "", None),
        Result(
            "  purpose-checked read (÷ bare; p99)",
            backend,
            f"{ratio:.2f} — {runs['opeka'].describe()}",
            "≥ 0.5",
            ratio >= 0.5 and not runs["opeka"].errors,
        ),
        Result(
            f"  server RSS after {REQUESTS_FOR_MEMORY:,} reads",
            backend,
            f"{rss / 2**20:.0f} MB" + (f" ({bad} non-2xx)" if bad else ""),
            "≤ 150 MB",
            rss <= 150 * 2**20 and not bad,
        ),
    ]


def cold_start(folder: Path, *, log: Log = print) -> list[Result]:
    """Time from starting ``opeka serve`` to a healthy ``/api/v1/health`` (best of three)."""
    conf = fresh_settings("sqlite", None, folder / "cold-data")
    initialise(conf)
    env = _env(conf, None)
    times: list[float] = []
    for _ in range(COLD_STARTS):
        port = free_port()
        command = [sys.executable, "-m", "opeka.cli", "serve", "--port", str(port)]
        start = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603
            command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            times.append(_until_healthy(port, start))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    best = min(times)
    log(f"  cold starts: {', '.join(f'{t:.2f}' for t in times)} s")
    return [
        Result(
            "cold start of `opeka serve` to a healthy /api/v1/health (best of 3)",
            "sqlite",
            f"{best:.2f} s",
            "≤ 2 s",
            best <= 2.0,
        )
    ]


def _until_healthy(port: int, start: float) -> float:
    url = f"http://127.0.0.1:{port}/api/v1/health"
    while time.perf_counter() - start < 30:
        try:
            with urllib.request.urlopen(url, timeout=0.5) as answer:
                if answer.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.01)
    return float("inf")


def _serve(kind: str, port: int) -> None:
    """Serve the bare endpoint or the full Opeka application (in a bench subprocess)."""
    import uvicorn  # noqa: PLC0415  (the subprocess imports only what it serves)

    if kind == "bare":
        from starlette.applications import Starlette  # noqa: PLC0415
        from starlette.requests import Request  # noqa: PLC0415
        from starlette.responses import JSONResponse  # noqa: PLC0415
        from starlette.routing import Route  # noqa: PLC0415

        async def endpoint(request: Request) -> JSONResponse:
            return JSONResponse({"id": request.path_params["sid"], "values": {"email": "x"}})

        app = Starlette(routes=[Route("/api/v1/subjects/{sid}", endpoint)])
    else:
        from opeka.web.app import create_app  # noqa: PLC0415

        app = create_app(Opeka.from_settings(), periodic=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        _serve(sys.argv[2], int(sys.argv[3]))
