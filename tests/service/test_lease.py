"""The heartbeat: a long job keeps its lease; a dead one loses it; the sweep recovers."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import pytest

from app.service.lease import Heartbeat, Lease
from app.service.queue import make_huey
from app.service.settings import Settings
from tests.service.spare_redis import SpareRedis
from tests.service.test_e2e import free_port
from tests.service.test_store import item, job, queued


def test_a_running_job_keeps_its_lease_past_its_length_and_loses_it_when_it_stops(
    tmp_path: Path,
) -> None:
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    heartbeat = Heartbeat(huey.store, every=0.05)
    heartbeat.start()
    try:
        lease = Lease(huey.store, "repo:o/r", seconds=0.2)
        assert lease.take()
        with heartbeat.hold(lease.renew):
            time.sleep(0.5)  # a job longer than the lease
            assert not Lease(huey.store, "repo:o/r").take()
        time.sleep(0.3)  # not released, not renewed: as after kill -9
        assert Lease(huey.store, "repo:o/r").take()
    finally:
        heartbeat.stop()


def test_the_heartbeat_sweeps_jobs_of_dead_workers_back_into_the_queue(tmp_path: Path) -> None:
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    huey.task(name="job")(job)
    huey.store.accept([item(huey, "d")], time.time())
    huey.dequeue()
    huey.store.begin("d", time.time() + 0.1)  # its worker dies now
    heartbeat = Heartbeat(huey.store, every=0.05)
    heartbeat.start()
    try:
        deadline = time.monotonic() + 5
        while not queued(huey) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        heartbeat.stop()
    assert queued(huey) == ["d"]


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server")
def test_a_heartbeat_against_a_redis_gone_says_so_in_one_line_without_a_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Redis down (or full) makes every beat fail until it is back: one warning line each,
    naming the storage's error, not a traceback every ten seconds."""
    spare = SpareRedis(free_port(), tmp_path)
    spare.start()
    huey = make_huey(Settings(PAPERBOT_QUEUE=spare.url))
    heartbeat = Heartbeat(huey.store)
    spare.stop()
    with caplog.at_level(logging.WARNING, logger="paperbot.lease"):
        heartbeat.beat()
    (line,) = caplog.records
    assert line.getMessage() == "heartbeat step failed: queue storage refused"
    assert line.exc_info is None and "ConnectionError" in line.error  # type: ignore[attr-defined]
