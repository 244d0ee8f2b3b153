"""The heartbeat: a long job keeps its lease; a dead one loses it; the sweep recovers."""

from __future__ import annotations

import time
from pathlib import Path

from app.service.lease import Heartbeat, Lease
from app.service.queue import make_huey
from app.service.settings import Settings
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
