"""Processes sharing one embedded queue: a worker starting beside a live one leaves its
running jobs alone (real `paperbot serve` and `paperbot worker` processes, the fake GitHub)."""

from __future__ import annotations

from pathlib import Path

from app.github.fake.server import FakeGitHub
from tests.fakes import REPO
from tests.service.test_e2e import (
    Bot,
    file_issues,
    issue_jobs,
    logged,
    opened,
    pulls_for_all,
    start_worker,
    status_comments,
    stop,
    wait_for,
)


def test_a_worker_started_beside_a_live_serve_runs_none_of_its_jobs_again(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    web = Bot(gh, tmp_path / "data", workers=1)
    web.data.mkdir()
    web.start()
    worker, log = None, tmp_path / "worker.log"
    try:
        wait_for(lambda: _started(web.log) == [0], what="serve's workers")
        gh.latency = 0.5  # the job takes seconds: the worker starts while it runs
        (number,) = file_issues(gh, 1)
        before = sum(gh.requests.values())
        assert web.deliver("issues", opened(number), delivery="d-live") == 202
        wait_for(lambda: sum(gh.requests.values()) > before, what="serve to run the job")
        worker = start_worker(web, log)
        wait_for(lambda: log.exists() and _started(log) != [], what="the worker to start")
        assert _started(log) == [0]  # serve is alive: its running job is not taken
        wait_for(lambda: pulls_for_all(gh, [number]), what="the PR", seconds=90)
        wait_for(lambda: len(issue_jobs(web.log) + issue_jobs(log)) >= 1, what="the job's line")
        gh.latency = 0.0
    finally:
        stop(worker)
        web.stop()
    assert len(issue_jobs(web.log) + issue_jobs(log)) == 1  # it ran once
    assert status_comments(gh, number) == 1 and len(gh.repos[REPO].pulls) == 1


def _started(log: Path) -> list[int]:
    return [x["recovered"] for x in logged(log, "paperbot.worker") if x["message"] == "started"]
