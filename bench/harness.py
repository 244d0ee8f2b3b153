"""Shared bench plumbing: start servers as subprocesses, fire signed deliveries, percentiles."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from app.service.signature import sign


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(command: list[str], *, port: int, env: dict[str, str], log: Path) -> Iterator[int]:
    """Run ``command`` until the block ends; yields its pid once /healthz or / answers."""
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env={**os.environ, **env}, stdout=out, stderr=out)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            yield proc.pid
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def deliveries(
    body: dict[str, Any], secret: bytes, count: int
) -> list[tuple[bytes, dict[str, str]]]:
    raw = json.dumps(body).encode()
    signature = sign(raw, secret)
    return [
        (
            raw,
            {
                "X-GitHub-Event": "issues",
                "X-GitHub-Delivery": str(uuid.uuid4()),
                "X-Hub-Signature-256": signature,
                "Content-Type": "application/json",
            },
        )
        for _ in range(count)
    ]


async def _fire(
    url: str, items: list[tuple[bytes, dict[str, str]]], concurrency: int
) -> tuple[list[float], list[int], float]:
    latencies: list[float] = []
    statuses: list[int] = []
    queue: asyncio.Queue[tuple[bytes, dict[str, str]]] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            while not queue.empty():
                raw, headers = queue.get_nowait()
                t0 = time.perf_counter()
                res = await client.post(url, content=raw, headers=headers)
                latencies.append(time.perf_counter() - t0)
                statuses.append(res.status_code)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, statuses, time.perf_counter() - started


def fire(
    url: str, items: list[tuple[bytes, dict[str, str]]], concurrency: int
) -> tuple[list[float], list[int], float]:
    """POST every item with ``concurrency`` in flight; latencies, statuses, wall time."""
    return asyncio.run(_fire(url, items, concurrency))


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
