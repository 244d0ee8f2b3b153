"""What ``paperbot status`` reads and ``paperbot retry`` does, in both backends: the delivery
log with each kept job's issue and why it failed, and a failed job queued again once."""

from __future__ import annotations

import time

from app.service.queue import PaperbotHuey
from app.service.status import report, retry
from app.service.store import Accepted
from tests.service.test_store import huey, item, queued

__all__ = ["huey"]  # the fixture, in SQLite and (with PAPERBOT_TEST_REDIS_URL) Redis


def for_issue(huey: PaperbotHuey, delivery: str, number: int) -> Accepted:
    make = huey._registry.string_to_task("tests.service.test_store.job")
    kwargs = {"delivery": delivery, "repo": "group/log", "number": number, "installation": 7}
    return Accepted(delivery, huey.serialize_task(make(kwargs=kwargs)), "group/log", 7)


def test_the_log_shows_every_delivery_not_done_with_its_issue_and_why_it_failed(
    huey: PaperbotHuey,
) -> None:
    store, now = huey.store, time.time()
    names = ("done", "failed", "dead", "queued")
    store.accept([for_issue(huey, d, n) for n, d in enumerate(names, 1)], now - 60)
    huey.storage.flush_queue()
    for delivery in ("done", "failed", "dead"):
        store.begin(delivery, now - 30 if delivery == "dead" else now + 30)
    store.finish("done", "done", now=now)
    store.finish("failed", "failed", now=now, why="GitHub answered 403: Resource not accessible")
    seen = report(huey, None)
    assert seen.states == {"done": 1, "failed": 1, "running": 1, "accepted": 1}
    by_id = {j.delivery.id: j for j in seen.jobs}
    assert sorted(by_id) == ["dead", "failed", "queued"]  # a done one has nothing to show
    failed = by_id["failed"]
    assert (failed.name, failed.repo, failed.number, failed.installation) == (
        "job",
        "group/log",
        2,
        7,
    )
    assert by_id["failed"].delivery.why == "GitHub answered 403: Resource not accessible"
    assert [d for d, j in by_id.items() if j.overdue(now)] == ["dead"]  # its worker died


def test_retry_queues_a_failed_job_again_once_and_nothing_else(huey: PaperbotHuey) -> None:
    store, now = huey.store, time.time()
    store.accept([item(huey, d) for d in ("failed", "done", "running")], now)
    huey.storage.flush_queue()
    for delivery in ("failed", "done", "running"):
        store.begin(delivery, now + 30)
    store.finish("failed", "failed", now=now, why="x")
    store.finish("done", "done", now=now)
    said = retry(huey, ["failed", "done", "running", "unknown"])
    assert said == {
        "failed": "queued again",
        "done": "not queued: done",
        "running": "not queued: running",
        "unknown": "not queued: unknown",
    }
    assert queued(huey) == ["failed"]
    assert retry(huey, ["failed"]) == {"failed": "not queued: accepted"}  # not twice
    assert queued(huey) == ["failed"]


def test_a_job_waiting_for_its_retry_shows_why_until_it_is_done(huey: PaperbotHuey) -> None:
    store, now = huey.store, time.time()
    store.accept([for_issue(huey, "d-1", 5)], now)
    store.begin("d-1", now + 30)
    store.wait("d-1", now + 600, why="GitHub answered 502: Bad Gateway")
    (job,) = report(huey, None).jobs
    assert (job.delivery.state, job.delivery.why) == ("waiting", "GitHub answered 502: Bad Gateway")
    store.finish("d-1", "done", now=now + 60)
    assert report(huey, None).jobs == [] and store.deliveries()[0].why == ""
