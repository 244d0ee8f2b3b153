"""Jobs: locking, retries, rate limits, gone issues and the final failure, over real HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from huey import SqliteHuey
from huey.exceptions import RetryTask

from app.github.fake.server import FakeGitHub, Fault
from app.github.port import Conflict
from app.service.jobs import Worker
from app.service.queue import Lease
from tests.conftest import TODAY
from tests.fakes import MEMBER, REPO, report_body, settings_for


@pytest.fixture
def worker(gh: FakeGitHub, tmp_path: Path) -> Iterator[Worker]:
    huey = SqliteHuey("t", filename=str(tmp_path / "q.db"))
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


def test_work_on_a_repository_is_serialised(worker: Worker, gh: FakeGitHub) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    with Lease(worker.huey, f"repo:{REPO}"), pytest.raises(RetryTask):
        run(worker)
    assert gh.requests["GET issue"] == 0


def test_an_expired_lease_from_a_killed_process_is_taken_over(
    worker: Worker, gh: FakeGitHub
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    stale = Lease(worker.huey, f"repo:{REPO}", seconds=-1)
    stale.__enter__()  # never released, as after SIGKILL
    assert run(worker) == "submitted"


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
