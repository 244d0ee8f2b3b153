"""The store in both backends (SQLite always, Redis with PAPERBOT_TEST_REDIS_URL): atomic
accept, the delivery log, leases with takeover and parking, expiry, periodic slots."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from huey import crontab
from huey.storage import RedisStorage

from app.service.queue import PaperbotHuey, make_huey
from app.service.settings import Settings
from app.service.store import CLAIM_SECONDS, QUEUED_GRACE, Accepted

REDIS_URL = os.environ.get("PAPERBOT_TEST_REDIS_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "redis",
        marks=pytest.mark.skipif(not REDIS_URL, reason="PAPERBOT_TEST_REDIS_URL is not set"),
    ),
]


def open_huey(backend: str, where: Path, name: str) -> PaperbotHuey:
    if backend == "sqlite":
        return make_huey(Settings(PAPERBOT_DATA_DIR=where))
    return PaperbotHuey(name, storage_class=RedisStorage, url=REDIS_URL)


@pytest.fixture(params=BACKENDS)
def huey(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PaperbotHuey]:
    name = f"paperbot-test-{uuid.uuid4().hex}"
    huey = open_huey(request.param, tmp_path, name)
    huey.task(name="job")(job)
    yield huey
    if request.param == "redis":
        drop_redis(huey)


def drop_redis(huey: PaperbotHuey) -> None:
    """Delete every key of ``huey`` (Huey's and the store's) and close its connections."""
    conn = huey.storage.conn
    for key in conn.scan_iter(f"*{huey.storage.name}*"):
        conn.delete(key)
    huey.storage.pool.disconnect()


def job(**kwargs: object) -> object:
    return kwargs


def item(huey: PaperbotHuey, delivery: str, repo: str = "o/r") -> Accepted:
    job = huey._registry.string_to_task(f"{__name__}.job")(kwargs={"delivery": delivery})
    return Accepted(delivery, huey.serialize_task(job), repo, 42)


def queued(huey: PaperbotHuey) -> list[str]:
    return [t.kwargs["delivery"] for t in huey.pending()]


def test_a_batch_claims_enqueues_and_remembers_each_new_delivery(huey: PaperbotHuey) -> None:
    store = huey.store
    assert store.accept([item(huey, "a"), item(huey, "b", "o/s"), item(huey, "a")], 1.0) == [
        True,
        True,
        False,
    ]
    assert store.accept([item(huey, "b")], 2.0) == [False]
    assert sorted(queued(huey)) == ["a", "b"]
    assert store.repos() == {"o/r": 42, "o/s": 42}
    assert store.state("a") == "accepted"


def test_a_forgotten_repository_is_known_again_from_its_next_delivery(
    huey: PaperbotHuey,
) -> None:
    store = huey.store
    store.accept([item(huey, "a"), item(huey, "b", "o/s")], 1.0)
    store.forget("o/r")
    store.forget("never/seen")
    assert store.repos() == {"o/s": 42}
    store.accept([item(huey, "c")], 2.0)
    assert store.repos() == {"o/r": 42, "o/s": 42}


def test_a_refused_enqueue_writes_no_claim(huey: PaperbotHuey) -> None:
    store = huey.store
    if isinstance(huey.storage, RedisStorage):
        lane = huey.storage.queue_key + ".lane.i42"  # the lane of installation 42
        huey.storage.conn.set(lane, "not a list")  # LPUSH: WRONGTYPE
        undo = lambda: huey.storage.conn.delete(lane)  # noqa: E731
    else:
        huey.storage.sql(
            "create trigger full before insert on task begin select raise(abort, 'full'); end",
            commit=True,
        )
        undo = lambda: huey.storage.sql("drop trigger full", commit=True)  # noqa: E731
    with pytest.raises(Exception):  # noqa: B017  (each backend raises its own error)
        store.accept([item(huey, "x")], 1.0)
    assert store.state("x") is None and store.repos() == {}
    undo()
    assert store.accept([item(huey, "x")], 2.0) == [True] and queued(huey) == ["x"]


def test_a_job_not_done_by_its_due_time_is_queued_again_once(huey: PaperbotHuey) -> None:
    store, now = huey.store, time.time()
    store.accept([item(huey, "killed"), item(huey, "finished")], now)
    huey.storage.flush_queue()  # both taken by a worker, as Huey does, before running them
    assert store.begin("killed", now + 30) and store.begin("finished", now + 30)
    store.finish("finished", "done", now=now + 1)
    assert store.recover(now + 29) == 0
    assert store.recover(now + 31) == 1 and queued(huey) == ["killed"]
    assert store.recover(now + 32) == 0  # due again only after the grace
    assert store.recover(now + 32 + QUEUED_GRACE) == 1
    assert not store.begin("finished", now + 60)  # a second copy of a done job does not run
    assert store.state("finished") == "done"


def test_a_redelivery_queues_again_a_failed_or_waiting_job_never_a_done_or_running_one(
    huey: PaperbotHuey,
) -> None:
    store, now = huey.store, time.time()
    names = ["failed", "waiting", "done", "running", "queued"]
    store.accept([item(huey, d) for d in names], now)
    huey.storage.flush_queue()
    for d in names[:4]:
        assert store.begin(d, now + 30)
    store.finish("failed", "failed", now=now + 1)
    store.wait("waiting", now + 600)
    store.finish("done", "done", now=now + 1)
    assert store.state("waiting") == "waiting"
    again = store.accept([item(huey, d) for d in names], now + 2)
    assert again == [True, True, False, False, False]
    assert sorted(queued(huey)) == ["failed", "waiting"]
    assert store.state("failed") == store.state("waiting") == "accepted"
    assert store.accept([item(huey, "failed")], now + 3) == [False]  # queued: not twice


def test_claims_expire_after_seven_days(huey: PaperbotHuey) -> None:
    store, now = huey.store, time.time()
    store.accept([item(huey, "old")], now)
    store.finish("old", "done", now=now)
    if isinstance(huey.storage, RedisStorage):
        ttl = huey.storage.conn.ttl(f"{huey.storage.name}:d:old")
        assert CLAIM_SECONDS - 60 < ttl <= CLAIM_SECONDS
        return
    store.recover(now + CLAIM_SECONDS - 60)
    assert store.state("old") == "done"
    store.recover(now + CLAIM_SECONDS + 1)
    assert store.state("old") is None
    assert store.accept([item(huey, "old")], now + CLAIM_SECONDS + 2) == [True]


def test_a_lease_is_released_only_by_its_holder_and_taken_over_only_when_expired(
    huey: PaperbotHuey,
) -> None:
    store = huey.store
    assert store.take("repo:o/r", "first", seconds=0.2, park=None)
    assert not store.take("repo:o/r", "second", seconds=30, park=None)
    store.release("repo:o/r", "second")  # not the holder: nothing happens
    assert not store.take("repo:o/r", "third", seconds=30, park=None)
    assert store.renew("repo:o/r", "first", seconds=0.2)
    assert not store.renew("repo:o/r", "x", seconds=30)
    time.sleep(0.3)  # the holder was killed: its lease runs out
    assert store.take("repo:o/r", "fourth", seconds=30, park=None)
    assert not store.renew("repo:o/r", "first", seconds=30)
    store.release("repo:o/r", "first")  # the dead holder's late release deletes nothing
    assert not store.take("repo:o/r", "fifth", seconds=30, park=None)


def test_an_expired_lease_is_taken_over_by_exactly_one_of_many(huey: PaperbotHuey) -> None:
    store = huey.store
    store.take("repo:o/r", "dead", seconds=0.05, park=None)
    time.sleep(0.1)
    barrier, won = threading.Barrier(8), []

    def grab(i: int) -> None:
        barrier.wait()
        if store.take("repo:o/r", f"taker-{i}", seconds=30, park=None):
            won.append(i)

    threads = [threading.Thread(target=grab, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1


def test_a_parked_job_is_queued_when_the_holder_releases_or_its_lease_expires(
    huey: PaperbotHuey,
) -> None:
    store = huey.store
    assert store.take("repo:o/r", "holder", seconds=30, park=None)
    assert not store.take("repo:o/r", "w", seconds=30, park=item(huey, "first").job)
    assert not store.take("repo:o/r", "w", seconds=30, park=item(huey, "second").job)
    assert queued(huey) == [] and store.parked() == 2
    store.release("repo:o/r", "holder")
    assert queued(huey) == ["first"] and store.parked() == 1  # one at a time, in order
    assert store.take("repo:o/r", "next", seconds=0.05, park=None)
    time.sleep(0.1)  # ... and that holder is killed
    store.recover(time.time())
    assert queued(huey) == ["first", "second"] and store.parked() == 0


def test_a_periodic_task_is_enqueued_by_one_scheduler_per_slot(
    huey: PaperbotHuey, tmp_path: Path
) -> None:
    backend = "redis" if isinstance(huey.storage, RedisStorage) else "sqlite"
    other = open_huey(backend, tmp_path, huey.name)  # a second worker process, same storage
    for h in (huey, other):
        h.periodic_task(crontab(minute="*"), name="weekly")(lambda: None)
    minute = dt.datetime(2025, 7, 10, 9, 30, 5)
    firsts = [len(h.read_periodic(minute)) for h in (huey, other)]
    later = [len(h.read_periodic(minute + dt.timedelta(seconds=40))) for h in (other, huey)]
    assert sorted(firsts) == [0, 1] and later == [0, 0]
    assert len(other.read_periodic(minute + dt.timedelta(minutes=1))) == 1
    if backend == "redis":
        drop_redis(other)
