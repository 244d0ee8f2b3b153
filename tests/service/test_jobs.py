"""Jobs: leases and parking, the delivery log, retries, rate limits, gone issues and the
final failure, over real HTTP."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from huey.exceptions import RetryTask

from app.flows.routing import Task
from app.github.fake.server import FakeGitHub, Fault
from app.github.port import Conflict
from app.service.jobs import FAR_LATER, MAX_PARKS, Worker, register
from app.service.lease import Lease
from app.service.queue import JobQueue, make_huey
from app.service.settings import Settings
from tests.conftest import TODAY
from tests.fakes import MEMBER, REPO, report_body, settings_for


@pytest.fixture
def worker(gh: FakeGitHub, tmp_path: Path) -> Iterator[Worker]:
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    w = Worker(settings_for(gh), huey, clock=lambda zone: TODAY)
    yield w
    w.clients.close()


def run(worker: Worker, number: int = 1) -> str:
    return worker.run(
        "process_issue", repo=REPO, installation=None, base="main", delivery="d", number=number
    )


def test_a_deleted_issue_ends_the_job_quietly(worker: Worker, gh: FakeGitHub) -> None:
    assert run(worker, 99) == "gone"


@pytest.mark.parametrize(
    ("status", "headers", "wait"),
    [
        (429, {"Retry-After": "7"}, 7),
        (403, {"Retry-After": "3"}, 3),
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "RESET"}, 30),
        (429, {}, 60),
    ],
)
def test_rate_limits_retry_after_the_wait_github_asks(
    worker: Worker, gh: FakeGitHub, status: int, headers: dict[str, str], wait: float
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    headers = {k: str(int(time.time()) + 29) if v == "RESET" else v for k, v in headers.items()}
    gh.faults.append(Fault("issue", status, headers=headers))
    with pytest.raises(RetryTask) as info:
        run(worker)
    assert info.value.delay == pytest.approx(wait, abs=1.5)
    assert run(worker) == "submitted"


def test_untold_rate_limits_back_off_exponentially_with_a_cap(
    worker: Worker, gh: FakeGitHub
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("issue", 429, times=6))
    waits = []
    for _ in range(6):
        with pytest.raises(RetryTask) as info:
            run(worker)
        waits.append(info.value.delay)
    assert waits == [60, 120, 240, 480, 900, 900]
    assert run(worker) == "submitted"


def test_reads_are_retried_on_5xx_within_the_job(worker: Worker, gh: FakeGitHub) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("issue", 502, times=2))
    assert run(worker) == "submitted"
    assert gh.requests["GET issue"] == 3


def test_stale_readme_sha_raises_conflict_and_the_retry_succeeds(
    worker: Worker, gh: FakeGitHub
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("contents", 409, times=1, method="PUT"))
    with pytest.raises(Conflict):
        run(worker)
    assert run(worker) == "submitted"
    assert len(gh.repos[REPO].pulls) == 1


def test_a_busy_repository_parks_the_job_until_the_holder_releases(
    worker: Worker, gh: FakeGitHub
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    tasks = register(worker.huey, worker)
    holder = Lease(worker.store, f"repo:{REPO}")
    assert holder.take()
    job = tasks["process_issue"].s(repo=REPO, installation=None, number=1)
    started = time.monotonic()
    assert worker.huey.execute(job) == "parked"
    assert time.monotonic() - started < 0.5  # no waiting on the worker thread
    assert gh.requests["GET issue"] == 0 and worker.huey.pending() == []
    holder.release()
    (woken,) = worker.huey.pending()
    assert woken.kwargs["parked"] == 1
    assert worker.huey.execute(worker.huey.dequeue()) == "submitted"


def test_a_job_parked_too_often_is_put_off_far_later_not_dropped(
    worker: Worker, gh: FakeGitHub
) -> None:
    tasks = register(worker.huey, worker)
    assert Lease(worker.store, f"repo:{REPO}").take()
    job = tasks["process_issue"].s(repo=REPO, installation=None, number=1, parked=MAX_PARKS)
    worker.huey.execute(job)
    (later,) = worker.huey.scheduled()
    wait = (later.eta - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds()
    assert wait == pytest.approx(FAR_LATER, abs=5) and worker.huey.pending() == []


def test_an_expired_lease_from_a_killed_process_is_taken_over(
    worker: Worker, gh: FakeGitHub
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert Lease(worker.store, f"repo:{REPO}", seconds=0.05).take()  # never released
    time.sleep(0.1)
    assert run(worker) == "submitted"


def test_a_job_taken_by_a_killed_worker_runs_again_and_only_once(
    worker: Worker, gh: FakeGitHub
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    tasks = register(worker.huey, worker)
    queue = JobQueue(worker.huey, tasks)
    assert queue.accept(
        "d-killed", Task("process_issue", {"repo": REPO, "installation": None, "number": 1})
    )
    taken = worker.huey.dequeue()  # Huey removes a task before running it ...
    assert worker.store.begin("d-killed", time.time() + 1)  # ... and the worker dies mid-job
    assert worker.store.recover(time.time()) == 0 and worker.huey.pending() == []
    assert worker.store.recover(time.time() + 2) == 1
    assert worker.huey.execute(worker.huey.dequeue()) == "submitted"
    assert worker.store.state("d-killed") == "done"
    assert worker.huey.execute(taken) == "done before"
    assert len(gh.repos[REPO].pulls) == 1 and len(gh.repos[REPO].comments) == 1
    # Huey keeps no results: nothing grows per job (the one record kept is the repository's
    # open submissions, for "already read by", #11)
    assert set(worker.huey.storage.result_items()) == {f"kv:open-submissions:{REPO}"}


def test_a_worker_start_puts_back_jobs_of_the_dead_and_reconciles_every_repository(
    worker: Worker,
) -> None:
    tasks = register(worker.huey, worker)
    queue = JobQueue(worker.huey, tasks)
    queue.accept("d-1", Task("process_issue", {"repo": REPO, "installation": None, "number": 1}))
    worker.huey.dequeue()
    worker.store.begin("d-1", time.time() + 30)  # running when its process died
    worker.owner = True  # the one process of an embedded queue: nothing of before is alive
    for hook in worker.huey._startup.values():  # what every Huey worker thread runs at start
        hook()
    try:
        jobs = sorted((t.name, t.kwargs.get("delivery")) for t in worker.huey.pending())
        assert jobs == [("process_issue", "d-1"), ("reconcile", None)]
    finally:
        worker.heartbeat.stop()


def test_the_last_failure_is_told_on_the_issue(worker: Worker, gh: FakeGitHub) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    task = SimpleNamespace(
        name="process_issue", retries=0, kwargs={"repo": REPO, "installation": None, "number": 1}
    )
    worker.failed(task, Conflict("GitHub answered 409: README.md does not match"))
    (comment,) = gh.repos[REPO].comments.values()
    assert "多次重试后仍失败" in comment["body"] and "409" in comment["body"]
    worker.failed(SimpleNamespace(**{**vars(task), "retries": 2}), Conflict("x"))
    assert len(gh.repos[REPO].comments) == 1
