"""The whole bot as a user runs it: `paperbot serve` in a subprocess, signed deliveries over
HTTP, the fake GitHub over HTTP; including SIGKILL mid-burst and a restart."""

from __future__ import annotations

import copy
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.github.fake.server import FakeGitHub
from app.service.signature import sign
from tests.fakes import MEMBER, REPO, report_body
from tests.service.test_webhook import payload

SECRET = "service-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Bot:
    """A `paperbot serve` process and what it takes to talk to it."""

    def __init__(self, gh: FakeGitHub, data: Path, *, queue: str = "", workers: int = 2) -> None:
        self.gh, self.data, self.port = gh, data, free_port()
        self.queue, self.workers = queue, workers
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data / "serve.log"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "GITHUB_WEBHOOK_SECRET": SECRET,
            "GITHUB_TOKEN": "t",
            "GITHUB_API_URL": self.gh.base_url,
            "PAPERBOT_DATA_DIR": str(self.data),
            "PAPERBOT_WRITE_INTERVAL": "0",
            "PAPERBOT_QUEUE": self.queue,
        }

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "app",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(command, env=self.env(), stdout=out, stderr=out)
        wait_for(lambda: self._up(), what="paperbot serve to answer /healthz")

    def _up(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).is_success
        except httpx.HTTPError:
            return False

    def deliver(self, event: str, body: dict[str, Any], delivery: str | None = None) -> int:
        raw = json.dumps(body).encode()
        headers = {
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
            "X-Hub-Signature-256": sign(raw, SECRET.encode()),
            "Content-Type": "application/json",
        }
        res = httpx.post(
            f"http://127.0.0.1:{self.port}/webhook", content=raw, headers=headers, timeout=10
        )
        return res.status_code

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)


def wait_for(check: Callable[[], bool], *, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def logged(path: Path, logger: str | None = None) -> list[dict[str, Any]]:
    """The JSON log lines in ``path`` (of ``logger`` only, when given)."""
    lines = [json.loads(x) for x in path.read_text().splitlines() if x.startswith("{")]
    return [x for x in lines if logger is None or x.get("logger") == logger]


def issue_jobs(path: Path) -> list[dict[str, Any]]:
    """The job lines of the submissions' deliveries."""
    return [x for x in logged(path, "paperbot.jobs") if x.get("job") == "process_issue"]


def opened(number: int, action: str = "opened") -> dict[str, Any]:
    body = copy.deepcopy(payload("issues.opened"))
    body["action"] = action
    body["repository"].update(full_name=REPO, name="log", default_branch="main")
    body["issue"]["number"] = number
    body.pop("installation", None)
    return body


@pytest.fixture
def bot(gh: FakeGitHub, tmp_path: Path) -> Iterator[Bot]:
    bot = Bot(gh, tmp_path / "data")
    bot.data.mkdir()
    bot.start()
    yield bot
    bot.stop()


def pulls_for_all(gh: FakeGitHub, numbers: list[int]) -> bool:
    heads = {p["head"] for p in gh.repos[REPO].pulls.values() if p["state"] == "open"}
    return all(f"paperbot/issue-{n}" in heads for n in numbers)


def status_comments(gh: FakeGitHub, number: int) -> int:
    return sum(c["issue"] == number for c in gh.repos[REPO].comments.values())


def file_issues(gh: FakeGitHub, count: int) -> list[int]:
    return [
        gh.create_issue(REPO, title="x", body=report_body(name=f"成员{i}"), login=MEMBER)["number"]
        for i in range(count)
    ]


def test_deliveries_become_pull_requests(gh: FakeGitHub, bot: Bot) -> None:
    numbers = file_issues(gh, 3)
    assert [bot.deliver("issues", opened(n), delivery=f"d{n}") for n in numbers] == [202] * 3
    assert bot.deliver("issues", opened(numbers[0]), delivery=f"d{numbers[0]}") == 200
    wait_for(lambda: pulls_for_all(gh, numbers), what="one PR per submission")
    wait_for(lambda: all(status_comments(gh, n) == 1 for n in numbers), what="status comments")
    assert len(gh.repos[REPO].pulls) == 3
    wait_for(lambda: len(issue_jobs(bot.log)) == 3, what="job logs")
    lines = logged(bot.log)
    jobs = issue_jobs(bot.log)  # a worker started late also reconciles the repository it knows
    assert {x["outcome"] for x in jobs} == {"submitted"} and len(jobs) == 3
    assert all(x["github_requests"] >= 6 and x["repository"] == REPO for x in jobs)
    # the receiver logs the duplicate at once; the inbox's mover each delivery it routed
    logged_by = {"paperbot.webhook", "paperbot.inbox"}
    deliveries = [(x["delivery"], x["outcome"]) for x in lines if x.get("logger") in logged_by]
    firsts = [(f"d{n}", "accepted") for n in numbers]
    assert sorted(deliveries) == sorted([*firsts, (f"d{numbers[0]}", "duplicate")])
    assert SECRET not in bot.log.read_text()
    page = httpx.get(f"http://127.0.0.1:{bot.port}/metrics").text
    assert 'paperbot_job_seconds_count{job="process_issue",outcome="submitted"} 3.0' in page
    assert (
        'paperbot_github_requests_total{endpoint="/repos/{repo}/pulls",method="POST",status="200"}'
        in page
    )
    permission = "/repos/{repo}/collaborators/{username}/permission"  # one series, any author
    assert f'paperbot_github_requests_total{{endpoint="{permission}",method="GET"' in page
    assert MEMBER not in page  # a member's login is no label value


def test_sigkill_mid_burst_then_restart_loses_nothing(gh: FakeGitHub, bot: Bot) -> None:
    gh.latency = 0.02  # every GitHub request takes a while, so the kill lands mid-work
    numbers = file_issues(gh, 8)
    for n in numbers:
        assert bot.deliver("issues", opened(n)) == 202
    bot.stop(signal.SIGKILL)
    bot.start()
    wait_for(lambda: pulls_for_all(gh, numbers), what="every PR after the restart", seconds=90)
    wait_for(lambda: all(status_comments(gh, n) == 1 for n in numbers), what="one comment each")
    heads = [p["head"] for p in gh.repos[REPO].pulls.values()]
    assert sorted(heads) == sorted(f"paperbot/issue-{n}" for n in numbers)


REDIS_URL = os.environ.get("PAPERBOT_TEST_REDIS_URL")


@contextmanager
def replica_on_redis(gh: FakeGitHub, data: Path) -> Iterator[Bot]:
    """A web replica (no job threads) on the test Redis, emptied before and after."""
    import redis

    assert REDIS_URL
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    data.mkdir()
    web = Bot(gh, data, queue=REDIS_URL, workers=0)
    web.start()
    try:
        yield web
    finally:
        web.stop()
        store.flushdb()
        store.close()


def start_worker(
    web: Bot, log: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """``paperbot worker ARGS`` with the replica's settings (and ``env``), logging to ``log``."""
    with log.open("ab") as out:
        command = [sys.executable, "-m", "app", "worker", *args]
        return subprocess.Popen(command, env={**web.env(), **(env or {})}, stdout=out, stderr=out)


def stop(worker: subprocess.Popen[bytes] | None) -> None:
    if worker is not None and worker.poll() is None:
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=30)


@pytest.mark.skipif(not REDIS_URL, reason="PAPERBOT_TEST_REDIS_URL is not set")
def test_scale_out_web_replica_and_separate_worker_on_redis(gh: FakeGitHub, tmp_path: Path) -> None:
    with replica_on_redis(gh, tmp_path / "data") as web:
        worker = start_worker(web, tmp_path / "data" / "worker.log")
        try:
            numbers = file_issues(gh, 3)
            assert [web.deliver("issues", opened(n)) for n in numbers] == [202] * 3
            wait_for(lambda: pulls_for_all(gh, numbers), what="the worker to open every PR")
            jobs = logged(tmp_path / "data" / "worker.log", "paperbot.jobs")
            assert {j["outcome"] for j in jobs if j.get("job") == "process_issue"} == {"submitted"}
            assert logged(web.log, "paperbot.jobs") == []  # the replica ran no job
        finally:
            stop(worker)


@pytest.mark.skipif(not REDIS_URL, reason="PAPERBOT_TEST_REDIS_URL is not set")
def test_kill_9_of_a_worker_mid_job_another_finishes_it_within_60_s(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    gh.latency = 0.2  # every GitHub request takes a while: the job is in flight for seconds
    with replica_on_redis(gh, tmp_path / "data") as web:
        first = start_worker(web, tmp_path / "data" / "worker-1.log")
        second = None
        try:
            (number,) = file_issues(gh, 1)
            assert web.deliver("issues", opened(number)) == 202
            wait_for(lambda: gh.requests["POST refs"] >= 1, what="the job to create its branch")
            first.kill()  # SIGKILL: no handler runs, Huey has already removed the task
            first.wait(timeout=10)
            killed = time.monotonic()
            assert gh.repos[REPO].pulls == {}
            second = start_worker(web, tmp_path / "data" / "worker-2.log")
            wait_for(lambda: pulls_for_all(gh, [number]), what="the PR after the kill", seconds=60)
            assert time.monotonic() - killed < 60
            wait_for(
                lambda: status_comments(gh, number) == 1, what="the status comment", seconds=10
            )
            time.sleep(3)  # a second copy of the job, if any, has run by now: it changes nothing
            assert len(gh.repos[REPO].pulls) == 1 and status_comments(gh, number) == 1
        finally:
            stop(first)
            stop(second)


def test_edited_before_opened_and_rapid_edits_end_on_the_last_body(
    gh: FakeGitHub, bot: Bot
) -> None:
    (number,) = file_issues(gh, 1)
    issue = gh.repos[REPO].issues[number]
    assert bot.deliver("issues", opened(number, action="edited")) == 202
    assert bot.deliver("issues", opened(number)) == 202
    for i in range(5):
        issue["body"] = report_body(name="成员0", title=f"Draft {i}")
        assert bot.deliver("issues", opened(number, action="edited")) == 202

    def settled() -> bool:
        got = gh.repos[REPO].git.read(f"paperbot/issue-{number}", "README.md")
        return got is not None and b"[Draft 4]" in got[0]

    wait_for(settled, what="the branch to hold the last edit")
    time.sleep(1)  # let any job still queued run: it must not undo the last edit
    assert settled() and len(gh.repos[REPO].pulls) == 1 and status_comments(gh, number) == 1
    (pull,) = gh.repos[REPO].pulls.values()
    assert pull["title"].endswith("Draft 4")
