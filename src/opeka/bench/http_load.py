"""A small HTTP load generator for the web benchmarks: servers in subprocesses, raw sockets.

Each server runs in its own uvicorn process (one worker, same options) started by
:func:`serving`; this process is the client: ``connections`` keep-alive connections sending
requests back to back over raw sockets — a light client, so that the servers are what is
measured. Besides requests per second and p99, :class:`Run` gives the server's CPU time per
request, which a noisy machine disturbs less than the rate.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from opeka.bench.results import percentiles

_LENGTH = re.compile(rb"content-length: *(\d+)", re.IGNORECASE)
RequestBytes = Callable[[], bytes]
WARM_UP = 0.5


@dataclass(frozen=True, slots=True)
class Run:
    """One load run against one server."""

    rate: float
    p99: float
    cpu_per_request: float | None
    errors: int

    def describe(self) -> str:
        """``12,345/s, p99 1.2 ms, 80 µs CPU/req``."""
        cpu = f", {self.cpu_per_request * 1e6:.0f} µs CPU/req" if self.cpu_per_request else ""
        errors = f", {self.errors} non-2xx" if self.errors else ""
        return f"{self.rate:,.0f}/s, p99 {self.p99 * 1000:.1f} ms{cpu}{errors}"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process (Linux ``/proc``; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int | None:
    """Resident memory of a process (Linux ``/proc``)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def wait_listening(port: int, *, timeout: float = 60.0) -> bool:
    """Poll until something accepts connections on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.02)
    return False


@contextmanager
def serving(argv: Sequence[str], env: dict[str, str], port: int) -> Iterator[int]:
    """Run ``python argv…`` (which must listen on ``port``) and yield its pid."""
    proc = subprocess.Popen([sys.executable, *argv], env={**os.environ, **env})  # noqa: S603
    try:
        wait_listening(port)
        yield proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def _connection(
    port: int, request: RequestBytes, stop: float, lat: list[float], bad: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    clock = time.perf_counter
    while clock() < stop:
        start = clock()
        writer.write(request())
        answer = await reader.readuntil(b"\r\n\r\n")
        match = _LENGTH.search(answer)
        if match and int(match.group(1)):
            await reader.readexactly(int(match.group(1)))
        lat.append(clock() - start)
        if not answer.startswith(b"HTTP/1.1 2"):
            bad.append(int(answer[9:12]))
    writer.close()


def load(
    port: int, pid: int, request: RequestBytes, *, seconds: float, connections: int = 16
) -> Run:
    """Run the load for ``seconds`` after a warm-up; measure rate, p99 and server CPU."""

    async def run() -> Run:
        async def wave(until: float, lat: list[float], bad: list[int]) -> None:
            await asyncio.gather(
                *(_connection(port, request, until, lat, bad) for _ in range(connections))
            )

        await wave(time.perf_counter() + WARM_UP, [], [])
        lat: list[float] = []
        bad: list[int] = []
        cpu0, start = cpu_seconds(pid), time.perf_counter()
        await wave(start + seconds, lat, bad)
        elapsed, cpu1 = time.perf_counter() - start, cpu_seconds(pid)
        cpu = (cpu1 - cpu0) / len(lat) if cpu0 is not None and cpu1 is not None and lat else None
        p99 = percentiles(lat)[2] if lat else float("nan")
        return Run(len(lat) / elapsed, p99, cpu, len(bad))

    return asyncio.run(run())


def requests_count(port: int, request: RequestBytes, count: int, connections: int = 8) -> int:
    """Send exactly ``count`` requests (spread over connections); return the non-2xx count."""

    async def one(share: int, bad: list[int]) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(share):
            writer.write(request())
            answer = await reader.readuntil(b"\r\n\r\n")
            match = _LENGTH.search(answer)
            if match and int(match.group(1)):
                await reader.readexactly(int(match.group(1)))
            if not answer.startswith(b"HTTP/1.1 2"):
                bad.append(int(answer[9:12]))
        writer.close()

    async def run() -> int:
        bad: list[int] = []
        shares = [count // connections + (i < count % connections) for i in range(connections)]
        await asyncio.gather(*(one(share, bad) for share in shares))
        return len(bad)

    return asyncio.run(run())
