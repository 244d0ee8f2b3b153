"""Fair queues in both backends (SQLite always, Redis with PAPERBOT_TEST_REDIS_URL): lanes per
installation taken in rotation, every path into the queue lands in the job's lane."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from huey.storage import SqliteStorage

from app.service import metrics
from app.service.exporter import refresh
from app.service.queue import JobQueue, PaperbotHuey
from app.service.store import Accepted
from tests.service.test_store import BACKENDS, drop_redis, open_huey


@pytest.fixture(params=BACKENDS)
def huey(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PaperbotHuey]:
    huey = open_huey(request.param, tmp_path, f"paperbot-test-{uuid.uuid4().hex}")
    huey.task(name="job")(job)
    huey.task(name="flaky", retries=1)(flaky)
    yield huey
    if request.param == "redis":
        drop_redis(huey)


def job(**kwargs: Any) -> Any:
    return kwargs


def flaky(**kwargs: Any) -> Any:
    raise RuntimeError("GitHub answered 502")


def task(huey: PaperbotHuey, name: str = "job", **kwargs: Any) -> Any:
    return huey._registry.string_to_task(f"{__name__}.{name}")(kwargs=kwargs)


def submit(huey: PaperbotHuey, installation: int | None, n: int, repo: str = "o/r") -> None:
    huey.enqueue(task(huey, installation=installation, repo=repo, n=n))


def taken(huey: PaperbotHuey) -> list[tuple[Any, Any]]:
    """Dequeue everything, as a worker does: (installation, n) of each job in order."""
    out = []
    while (t := huey.dequeue()) is not None:
        out.append((t.kwargs.get("installation"), t.kwargs.get("n")))
    return out


@pytest.fixture(autouse=True)
def no_idle_wait(huey: PaperbotHuey) -> None:
    huey.storage.read_timeout = 0.01  # an empty queue answers at once in these tests


def test_a_busy_installation_and_a_quiet_one_are_served_alternately_each_in_order(
    huey: PaperbotHuey,
) -> None:
    for n in range(5):
        submit(huey, 1, n)
    submit(huey, 2, 0)
    submit(huey, 2, 1)
    assert taken(huey) == [(1, 0), (2, 0), (1, 1), (2, 1), (1, 2), (1, 3), (1, 4)]


def test_depth_per_lane_and_in_total(huey: PaperbotHuey) -> None:
    for n in range(3):
        submit(huey, 1, n)
    submit(huey, None, 0, repo="o/token")
    huey.enqueue(task(huey))  # a job for no repository (a periodic task)
    assert JobQueue(huey, {}).lane_depths() == {"i1": 3, "ro/token": 1, "-": 1}
    assert huey.pending_count() == 5 and len(huey.pending()) == 5
    assert JobQueue(huey, {}).depth() == 5
    refresh(JobQueue(huey, {}))  # what a scrape of /metrics reads
    assert metrics.REGISTRY.get_sample_value("paperbot_queue_lane_depth", {"lane": "i1"}) == 3
    huey.storage.flush_queue()
    assert huey.pending_count() == 0 and JobQueue(huey, {}).lane_depths() == {}


def test_a_job_with_no_installation_or_repository_still_runs(huey: PaperbotHuey) -> None:
    huey.enqueue(task(huey, n=1))
    queued = huey.dequeue()
    assert queued is not None and huey.execute(queued) == {"n": 1}  # it ran
    assert huey.dequeue() is None


def accepted(huey: PaperbotHuey, delivery: str, installation: int | None) -> Accepted:
    body = task(huey, installation=installation, repo="o/r", n=delivery)
    return Accepted(delivery, huey.serialize_task(body), "o/r", installation)


def test_an_accepted_delivery_lands_in_its_installations_lane_or_its_repositorys(
    huey: PaperbotHuey,
) -> None:
    huey.store.accept([accepted(huey, "a", 7), accepted(huey, "b", None)], time.time())
    assert huey.lane_depths() == {"i7": 1, "ro/r": 1}


def test_a_parked_job_woken_and_a_recovered_job_land_in_their_lane(huey: PaperbotHuey) -> None:
    store, now = huey.store, time.time()
    store.accept([accepted(huey, "dead", 7)], now)
    assert taken(huey) == [(7, "dead")]
    assert store.begin("dead", now + 30)  # its worker is killed
    assert store.take("repo:o/r", "holder", seconds=30, park=None)
    assert not store.take(
        "repo:o/r", "w", seconds=30, park=accepted(huey, "parked", 8).job, lane="i8"
    )
    store.release("repo:o/r", "holder")
    assert huey.lane_depths() == {"i8": 1}
    assert store.recover(now + 31) == 1
    assert huey.lane_depths() == {"i8": 1, "i7": 1}


def test_a_retry_and_a_due_scheduled_task_land_in_their_lane(huey: PaperbotHuey) -> None:
    huey.execute(task(huey, "flaky", installation=3, repo="o/r"))  # retried at once
    assert huey.lane_depths() == {"i3": 1}
    later = task(huey, installation=4, repo="o/s")
    later.eta = huey._get_timestamp()
    huey.add_schedule(later)
    for due in huey.read_schedule(huey._get_timestamp()):
        huey.enqueue(due)  # what Huey's scheduler does with a due task
    assert huey.lane_depths() == {"i3": 1, "i4": 1}


def test_two_consumers_take_every_job_exactly_once(huey: PaperbotHuey, tmp_path: Path) -> None:
    backend = "sqlite" if isinstance(huey.storage, SqliteStorage) else "redis"
    other = open_huey(backend, tmp_path, huey.name)  # another worker process
    other.storage.read_timeout = 0.01
    other.task(name="job")(job)
    jobs = [(i % 10, n) for n, i in enumerate(range(200))]
    for installation, n in jobs:
        submit(huey, installation, n)
    results: list[list[tuple[Any, Any]]] = [[], []]
    threads = [
        threading.Thread(target=lambda h=h, i=i: results[i].extend(taken(h)))
        for i, h in enumerate((huey, other))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results[0] + results[1]) == sorted(jobs)
    assert huey.pending_count() == 0
    if backend == "redis":
        other.storage.pool.disconnect()


def test_an_idle_worker_is_woken_by_new_work(huey: PaperbotHuey) -> None:
    huey.storage.read_timeout = 30.0  # without a wake-up the dequeue below answers None
    got: list[Any] = []
    waiter = threading.Thread(target=lambda: got.append(huey.dequeue()))
    waiter.start()
    time.sleep(0.2)  # the worker is idle, waiting
    submit(huey, 5, 1)
    waiter.join(timeout=60)
    assert got and got[0] is not None and got[0].kwargs["n"] == 1


def test_jobs_queued_before_lanes_are_still_taken(huey: PaperbotHuey, tmp_path: Path) -> None:
    old = task(huey, installation=1, repo="o/r", n="old")
    if isinstance(huey.storage, SqliteStorage):
        path = tmp_path / "before.db"
        SqliteStorage("paperbot", filename=str(path)).enqueue(huey.serialize_task(old))
        huey = PaperbotHuey("paperbot", storage_class=SqliteStorage, filename=str(path))
        huey.task(name="job")(job)
        huey.storage.read_timeout = 0.01
    else:
        huey.storage.conn.lpush(huey.storage.queue_key, huey.serialize_task(old))
    submit(huey, 2, "new")
    assert huey.pending_count() == 2
    assert sorted(taken(huey), key=str) == [(1, "old"), (2, "new")]
