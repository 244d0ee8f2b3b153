"""A redis-server of the test's own, on a free 127.0.0.1 port (for start order and setup tests)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import redis


class SpareRedis:
    """A redis-server on ``port``, started when the test says so, stopped at the end."""

    def __init__(self, port: int, where: Path, *options: str) -> None:
        self.port, self.where, self.options = port, where, options
        self.url = f"redis://127.0.0.1:{port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.where),
            *self.options,
        ]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
