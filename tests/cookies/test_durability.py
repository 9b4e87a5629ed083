"""Acknowledged means committed: kill the server mid-load; every 204 it sent is in the database.

The server is the real application (fast path, grouped commits) in a subprocess; the client
keeps 16 connections busy, notes the consent id of every 204, and the server is killed with
SIGKILL while requests are in flight.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import select

from opeka.app import Opeka
from opeka.cookies.config import banner_config
from opeka.db.cookies import cookie_consent_event
from opeka.settings import Settings

pytestmark = pytest.mark.slow


def serve(settings: Settings) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {
        **os.environ,
        "OPEKA_DATA_DIR": str(settings.data_dir),
        "OPEKA_ENVIRONMENT": "test",
        "OPEKA_DATABASE_SCHEMA": settings.database_schema,
    }
    if settings.database_url:
        env["OPEKA_DATABASE_URL"] = settings.database_url
    command = [sys.executable, "-m", "opeka.bench.consent_events", "serve", "opeka", str(port)]
    proc = subprocess.Popen([*command, "512"], env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("the server did not start")


async def client(port: int, version: str, acknowledged: list[str], stop: float) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = b"POST /cookies/events HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\n"
    try:
        while time.monotonic() < stop:
            consent_id = uuid.uuid4().hex
            body = json.dumps(
                {
                    "consent_id": consent_id,
                    "method": "reject_all",
                    "granted": [],
                    "denied": ["preferences", "stored_information", "analytics"],
                    "version": version,
                    "language": "ru",
                }
            ).encode()
            writer.write(head + b"content-length: %d\r\n\r\n" % len(body) + body)
            answer = await reader.readuntil(b"\r\n\r\n")
            if answer.startswith(b"HTTP/1.1 204"):
                acknowledged.append(consent_id)
    except (ConnectionError, asyncio.IncompleteReadError):
        return  # the server died under us: this request was never acknowledged
    finally:
        writer.close()


async def load_and_kill(proc: subprocess.Popen[bytes], port: int, version: str) -> list[str]:
    acknowledged: list[str] = []
    stop = time.monotonic() + 30
    clients = [asyncio.create_task(client(port, version, acknowledged, stop)) for _ in range(16)]
    while len(acknowledged) < 300:
        await asyncio.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    await asyncio.wait_for(asyncio.gather(*clients), timeout=10)
    return acknowledged


def test_no_acknowledged_event_is_lost_when_the_server_is_killed(opeka: Opeka) -> None:
    proc, port = serve(opeka.settings)
    try:
        acknowledged = asyncio.run(load_and_kill(proc, port, banner_config(opeka.policy).version))
    finally:
        proc.kill()
        proc.wait(timeout=10)
    with opeka.data_engine.connect() as conn:
        stored = {
            row.hex for row in conn.execute(select(cookie_consent_event.c.consent_id)).scalars()
        }
    assert len(acknowledged) >= 300
    assert set(acknowledged) <= stored
