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

import json
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from opeka.bench.http_load import RequestBytes, Run, free_port, load, serving
from opeka.bench.results import Result, fresh_settings
from opeka.cookies.config import cookie_version
from opeka.ops.init import initialise
from opeka.policy.loader import load_policy

CONNECTIONS = 16
Log = Callable[[str], None]
Body = Callable[[], bytes]
_HEAD = b"POST /cookies/events HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: text/plain\r\n"


def _request(body: Body) -> RequestBytes:
    def build() -> bytes:
        payload = body()
        return _HEAD + b"content-length: %d\r\n\r\n" % len(payload) + payload

    return build


@contextmanager
def _server(kind: str, env: dict[str, str], max_batch: int) -> Iterator[tuple[int, int]]:
    port = free_port()
    argv = ["-m", "opeka.bench.consent_events", "serve", kind, str(port), str(max_batch)]
    with serving(argv, env, port) as pid:
        yield port, pid


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
    conf = fresh_settings(backend, url, folder / "events-data")
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
                runs[name] = load(
                    port, pid, _request(body), seconds=seconds, connections=CONNECTIONS
                )
    finally:
        if url:
            engine = create_engine(url)
            with engine.begin() as conn:
                for schema in (conf.database_schema, conf.keystore_schema):
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()
    return _results(backend, runs)


def _results(backend: str, runs: dict[str, Run]) -> list[Result]:
    bare = runs["bare"]
    out = [Result("consent events: bare Starlette endpoint", backend, bare.describe(), "", None)]
    for name, label in (("grouped", "grouped commits"), ("single", "one commit per event")):
        run = runs[name]
        ratio = run.rate / bare.rate
        met = ratio >= 0.5 and run.p99 <= 0.020 and not run.errors
        out.append(
            Result(
                f"  Opeka, {label} (÷ bare; p99)",
                backend,
                f"{ratio:.2f} — {run.describe()}",
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
