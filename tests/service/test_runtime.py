"""The wiring of a running bot: how soon an idle worker finds a job."""

from __future__ import annotations

import time
from pathlib import Path

from app.github.fake.server import FakeGitHub
from app.service import runtime
from tests.fakes import settings_for


class Waits:
    """A stop flag that records every wait of a worker instead of sleeping it."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        return False

    def is_set(self) -> bool:
        return False


def test_an_idle_sqlite_worker_looks_for_work_at_least_every_second(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    built = runtime.build(settings_for(gh, PAPERBOT_DATA_DIR=tmp_path))
    worker, _ = runtime.make_consumer(built, 1).worker_threads[0]
    worker.stop_flag = flag = Waits()
    storage = built.huey.storage
    assert storage.blocking and storage.read_timeout <= 1.0  # a look lasts at most a second
    for _ in range(3):  # an empty queue: each look waits for work itself, never backs off
        started = time.monotonic()
        worker.loop()
        assert time.monotonic() - started < 5.0
    assert all(wait <= 1.0 for wait in flag.waits)  # Huey's default backs off to 10 s
    ran: list[str] = []
    built.huey.task(name="probe")(lambda: ran.append("ran"))()
    worker.loop()
    assert ran == ["ran"]
