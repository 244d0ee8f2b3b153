"""Jobs: leases and parking, the delivery log, retries, rate limits, gone issues and the
final failure, over real HTTP."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from huey.exceptions import RetryTask

from app.flows.routing import Task
from app.github.fake.server import FakeGitHub, Fault
from app.github.port import Conflict
from app.github.pygithub import Clients
from app.service import metrics
from app.service.jobs import FAR_LATER, MAX_PARKS, Worker
from app.service.lease import Lease
from app.service.queue import JobQueue, make_huey
from app.service.retries import ATTEMPTS
from app.service.settings import Settings
from app.service.tasks import register
from tests.conftest import TODAY
from tests.fakes import MEMBER, REPO, report_body, settings_for


@pytest.fixture
def worker(gh: FakeGitHub, tmp_path: Path) -> Iterator[Worker]:
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    w = Worker(settings_for(gh), huey, clock=lambda zone: TODAY)
    yield w
    w.clients.close()


def pause_over(worker: Worker) -> None:
    """The time GitHub asked the installation to wait has passed."""
    with worker.huey.storage.db(commit=True) as cur:
        cur.execute("delete from paperbot_pace")


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
        (429, {"Retry-After": "31536000"}, 3600),  # a year: one answer pauses an hour at most
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "99999999999"}, 3600),
        (429, {"Retry-After": "\u00b2"}, 60),  # no plain number (it once crashed the job)
        (429, {"Retry-After": "-5"}, 60),
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
    pause_over(worker)
    assert run(worker) == "submitted"


def test_a_job_run_again_before_the_pause_ends_is_put_off_without_asking_github(
    worker: Worker, gh: FakeGitHub
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("issue", 429, headers={"Retry-After": "40"}))
    with pytest.raises(RetryTask):
        run(worker)
    asked = sum(gh.requests.values())
    with pytest.raises(RetryTask) as info:
        run(worker)
    assert info.value.delay == pytest.approx(40, abs=1.5) and sum(gh.requests.values()) == asked


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
        pause_over(worker)
    assert waits == [60, 120, 240, 480, 900, 900]
    assert run(worker) == "submitted"


def test_reads_are_retried_on_5xx_within_the_job(worker: Worker, gh: FakeGitHub) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("issue", 502, times=2))
    assert run(worker) == "submitted"
    assert gh.requests["GET issue"] == 3


def test_a_github_that_hangs_costs_a_run_one_request_timeout_not_four(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    """GitHub accepts the connection and never answers: the run ends after one request
    timeout, a retry for later with the repository's lease let go; urllib3 used to ask three
    times more (~61 s under the lease with the 15 s timeout, every attempt)."""
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    clients = Clients(settings_for(gh), timeout=1)
    hung = Worker(settings_for(gh), huey, clock=lambda zone: TODAY, clients=clients)
    gh.latency = 5.0
    started = time.monotonic()
    with pytest.raises(RetryTask):
        run(hung)
    assert time.monotonic() - started < 3  # one 1 s timeout; four and their backoff: 5.2 s
    assert Lease(hung.store, f"repo:{REPO}", seconds=1).take()  # not held meanwhile
    clients.close()


def test_stale_readme_sha_is_a_conflict_and_the_retry_succeeds(
    worker: Worker, gh: FakeGitHub
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("contents", 409, times=1, method="PUT"))
    with pytest.raises(RetryTask):
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
    # Huey keeps no results: nothing grows per job; the records kept (the repository's open
    # submissions, for "already read by", #11, and the bot's last commits: one each per
    # repository; the default branch is GitHub's answer, never recorded) are the ledger's,
    # each with its expiry (test_ledger.py)
    assert worker.huey.storage.result_items() == {}
    rows = worker.huey.storage.sql("select key from paperbot_ledger", results=True)
    kept = {f"{k}:{REPO}" for k in ("open-submissions", "branch-heads")}
    assert {key for (key,) in rows} == kept


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


@pytest.fixture
def clocked(gh: FakeGitHub, tmp_path: Path) -> Iterator[tuple[Worker, list[float]]]:
    """A worker whose clock (for retry windows) is ``clock[0]``, in epoch seconds."""
    clock = [time.time()]
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    now = lambda: dt.datetime.fromtimestamp(clock[0], dt.UTC)  # noqa: E731
    w = Worker(settings_for(gh), huey, clock=lambda zone: TODAY, now=now)
    yield w, clock
    w.clients.close()


def submission(queue: JobQueue, delivery: str) -> bool:
    return queue.accept(
        delivery, Task("process_issue", {"repo": REPO, "installation": None, "number": 1})
    )


def next_retry(huey: Any) -> tuple[Any, float] | None:
    """The retry Huey scheduled (taken off the schedule), and its delay in seconds."""
    scheduled = huey.scheduled()
    if not scheduled:
        return None
    huey.storage.flush_schedule()
    (job,) = scheduled
    return job, (job.eta - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds()


def failed_count(job: str, why: str) -> float:
    sample = metrics.REGISTRY.get_sample_value(
        "paperbot_jobs_failed_total", {"job": job, "reason": why}
    )
    return sample or 0.0


def test_a_github_outage_is_waited_out_with_jittered_backoff_for_30_minutes(
    clocked: tuple[Worker, list[float]], gh: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    worker, clock = clocked
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("refs", 502, times=10**6, method="POST"))
    queue = JobQueue(worker.huey, register(worker.huey, worker))
    before = failed_count("process_issue", "github unavailable")
    assert submission(queue, "d-outage")
    job, delays = worker.huey.dequeue(), []
    with caplog.at_level(logging.INFO, logger="paperbot.jobs"):
        while job is not None:
            worker.huey.execute(job, timestamp=job.eta)
            retry = next_retry(worker.huey)
            job = retry[0] if retry else None
            if retry:
                delays.append(retry[1])
                clock[0] += retry[1]
                (waiting,) = worker.store.deliveries()  # what `paperbot status` shows meanwhile
                assert (waiting.state, waiting.why[:19]) == ("waiting", "GitHub answered 502")
    assert 29 * 60 <= sum(delays) <= 30 * 60 + 5, delays
    ceilings = [min(10 * 2**i, 300) for i in range(len(delays))]
    assert all(c / 2 - 1 <= d <= c + 1 for d, c in zip(delays[:-1], ceilings, strict=False))
    assert len({round(d) for d in delays[5:-1]}) > 1  # jittered, not one fixed delay
    (failed,) = worker.store.deliveries()
    assert (failed.state, failed.why[:19]) == ("failed", "GitHub answered 502")
    assert failed_count("process_issue", "github unavailable") == before + 1
    lines = [r for r in caplog.records if r.name == "paperbot.jobs"]
    assert len(lines) == len(delays) + 1 and not any(r.exc_info for r in lines)
    assert lines[-1].outcome.startswith("failed: GitHub answered 502")  # type: ignore[attr-defined]
    (comment,) = gh.repos[REPO].comments.values()
    assert "502" in comment["body"]
    gh.faults.clear()  # GitHub is back; the maintainer presses "Redeliver"
    assert submission(queue, "d-outage")
    assert worker.huey.execute(worker.huey.dequeue()) == "submitted"
    assert worker.store.state("d-outage") == "done"


def test_a_redelivery_of_a_delivery_waiting_for_its_retry_runs_it_now(
    clocked: tuple[Worker, list[float]], gh: FakeGitHub
) -> None:
    worker, _ = clocked
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("refs", 503, method="POST"))
    queue = JobQueue(worker.huey, register(worker.huey, worker))
    assert submission(queue, "d-wait")
    worker.huey.execute(worker.huey.dequeue())
    retry = next_retry(worker.huey)
    assert retry is not None and worker.store.state("d-wait") == "waiting"
    assert submission(queue, "d-wait")  # redelivered: queued now, not in minutes
    assert worker.huey.execute(worker.huey.dequeue()) == "submitted"
    assert (
        worker.huey.execute(retry[0], timestamp=retry[0].eta) == "superseded: it ran again since"
    )  # the scheduled retry changes nothing
    assert not submission(queue, "d-wait") and len(gh.repos[REPO].pulls) == 1


def test_other_github_errors_run_a_few_times_then_fail_in_one_line(
    clocked: tuple[Worker, list[float]], gh: FakeGitHub
) -> None:
    worker, _ = clocked
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("refs", 422, times=10, method="POST"))
    queue = JobQueue(worker.huey, register(worker.huey, worker))
    before = failed_count("process_issue", "github error")
    assert submission(queue, "d-422")
    job: Any = worker.huey.dequeue()
    runs = 0
    while job is not None:
        worker.huey.execute(job, timestamp=job.eta)
        runs += 1
        retry = next_retry(worker.huey)
        job = retry[0] if retry else None
    assert runs == ATTEMPTS and worker.store.state("d-422") == "failed"
    assert failed_count("process_issue", "github error") == before + 1


def test_a_redelivery_during_an_outage_leaves_one_chain_of_retries(
    clocked: tuple[Worker, list[float]], gh: FakeGitHub
) -> None:
    worker, _ = clocked
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("refs", 503, times=10**6, method="POST"))  # GitHub stays down
    queue = JobQueue(worker.huey, register(worker.huey, worker))
    assert submission(queue, "d-twice")
    worker.huey.execute(worker.huey.dequeue())
    first = next_retry(worker.huey)
    assert submission(queue, "d-twice")  # "Redeliver", while the first retry waits
    worker.huey.execute(worker.huey.dequeue())
    second = next_retry(worker.huey)  # the redelivery failed too: its own retry
    assert first is not None and second is not None
    asked = sum(gh.requests.values())
    assert worker.huey.execute(first[0], timestamp=first[0].eta) == "superseded: it ran again since"
    assert sum(gh.requests.values()) == asked and next_retry(worker.huey) is None  # chain ends
    worker.huey.execute(second[0], timestamp=second[0].eta)  # asks GitHub, fails again
    assert sum(gh.requests.values()) > asked
    assert next_retry(worker.huey) is not None  # the one chain goes on
    gh.faults.clear()
    assert submission(queue, "d-twice")  # redelivered once GitHub is back: runs now
    assert worker.huey.execute(worker.huey.dequeue()) == "submitted"
    assert worker.store.state("d-twice") == "done" and len(gh.repos[REPO].pulls) == 1


def test_a_repository_gone_from_github_is_no_longer_reconciled_every_hour(
    worker: Worker, gh: FakeGitHub
) -> None:
    """Deleted, or its installation removed: the periodic jobs (reconcile hourly, weekly every
    10 minutes, and each worker start) stop queueing jobs for it; a later delivery from it
    would bring it back."""
    queue = JobQueue(worker.huey, register(worker.huey, worker))
    other = "group/other"
    for n, repo in enumerate([REPO, other]):
        args = {"repo": repo, "installation": None, "number": 1}
        assert queue.accept(f"d{n}", Task("process_issue", args))
    assert worker.run("process_issue", repo=REPO, installation=None, number=9) == "gone"
    assert set(worker.store.repos()) == {REPO, other}  # a deleted issue is not a deleted repo
    gh.repos.pop(REPO)
    assert worker.run("reconcile", repo=REPO, installation=None) == "gone"
    assert set(worker.store.repos()) == {other}
