"""The weekly tick as the service runs it: two workers, a restart, one reminder per member."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from huey.exceptions import RetryTask
from huey.storage import RedisStorage

from app.flows.routing import Task
from app.github.fake.pulls import push_file
from app.github.fake.server import FakeGitHub, Fault
from app.service.jobs import Worker
from app.service.queue import JobQueue, PaperbotHuey, make_huey
from app.service.settings import Settings
from app.service.tasks import register
from tests.conftest import TODAY
from tests.fakes import REPO, settings_for
from tests.service.test_store import drop_redis

REDIS_URL = os.environ.get("PAPERBOT_TEST_REDIS_URL")
CONFIG = 'reminders: {weekday: sunday, time: "20:00"}\nmembers: {newbie: 新人, lin: 林}\n'
DUE = dt.datetime(2025, 7, 6, 12, 30, tzinfo=dt.UTC)  # Sunday 20:30 in Shanghai


def sqlite(tmp_path: Path) -> Callable[[], PaperbotHuey]:
    return lambda: make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))


def redis(tmp_path: Path) -> Callable[[], PaperbotHuey]:
    name = f"paperbot-test-{uuid.uuid4()}"
    return lambda: PaperbotHuey(name, storage_class=RedisStorage, url=REDIS_URL)


STORES = [
    pytest.param(sqlite, id="sqlite"),
    pytest.param(
        redis,
        id="redis",
        marks=pytest.mark.skipif(not REDIS_URL, reason="PAPERBOT_TEST_REDIS_URL is not set"),
    ),
]


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], PaperbotHuey]]:
    make = request.param(tmp_path)
    yield make
    huey = make()
    if isinstance(huey.storage, RedisStorage):
        drop_redis(huey)


def worker(gh: FakeGitHub, huey: PaperbotHuey) -> Worker:
    return Worker(settings_for(gh), huey, clock=lambda zone: TODAY, now=lambda: DUE)


def tick(w: Worker) -> str:
    while True:
        try:
            return w.run("weekly", repo=REPO, installation=None, base="main")
        except RetryTask:
            continue  # the other worker holds the repository: try again, as Huey would


def reminders(gh: FakeGitHub) -> list[str]:
    return [c["body"] for c in gh.repos[REPO].comments.values() if "paperbot:reminder" in c["body"]]


def test_two_workers_and_a_restart_remind_each_member_once(
    gh: FakeGitHub, store: Callable[[], PaperbotHuey]
) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text=CONFIG)
    workers = [worker(gh, store()), worker(gh, store())]  # two processes, one queue storage
    outcomes: list[str] = []
    threads = [threading.Thread(target=lambda w=w: outcomes.append(tick(w))) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (text,) = reminders(gh)
    assert text.count("@newbie") == 1 and text.count("@lin") == 1
    assert sorted(outcomes) == ["dashboard created; reminded 2", "nothing due"]
    gh.repos[REPO].comments.clear()  # even with the comment gone, the queue remembers
    restarted = worker(gh, store())
    assert tick(restarted) == "nothing due" and reminders(gh) == []
    for w in [*workers, restarted]:
        w.clients.close()


def test_the_periodic_tick_visits_every_known_repository(tmp_path: Path, gh: FakeGitHub) -> None:
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    tasks = register(huey, worker(gh, huey))
    queue = JobQueue(huey, tasks)
    for n, (repo, installation) in enumerate([(REPO, None), ("group/other", 7)]):
        args = {"repo": repo, "installation": installation, "number": 1}
        queue.accept(f"d-{n}", Task("issue_closed", args))  # a delivery remembers its repository
    huey.storage.flush_queue()
    tasks["weekly_all"].call_local()
    queued = sorted((t.name, t.kwargs["repo"]) for t in huey.pending())
    assert queued == [("weekly", REPO), ("weekly", "group/other")]


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


def attempt(w: Worker, job: str = "weekly") -> str:
    """One run of ``job``; "retry" when it failed and Huey would run it again."""
    try:
        return w.run(job, repo=REPO, installation=None, base="main")
    except RetryTask:
        return "retry"


def test_a_failed_dashboard_write_keeps_the_repository_dirty(
    gh: FakeGitHub, store: Callable[[], PaperbotHuey]
) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text="dashboard: true\n")
    clock = Clock(DUE - dt.timedelta(days=2))
    w = Worker(settings_for(gh), store(), clock=lambda zone: TODAY, now=clock)
    assert attempt(w) == "dashboard created"
    clock.at += dt.timedelta(days=7)  # a new week: the dashboard's text changes
    gh.faults.append(Fault("issue", 502, method="PATCH"))
    assert attempt(w, "regenerate") == "retry"  # a push's refresh fails
    assert attempt(w) == "dashboard updated"  # the next tick writes it
    clock.at += dt.timedelta(days=7)
    gh.faults.append(Fault("issue", 502, method="PATCH"))
    assert attempt(w) == "retry"  # the day's refresh fails ...
    assert attempt(w) == "dashboard updated"  # ... and the next tick does it again
    w.clients.close()


def test_a_failure_before_the_post_does_not_lose_the_weeks_reminder(
    gh: FakeGitHub, store: Callable[[], PaperbotHuey]
) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text=CONFIG)
    w = worker(gh, store())
    gh.faults.append(Fault("issues", 502, method="POST"))  # creating the dashboard fails
    assert attempt(w) == "retry"
    assert attempt(w) == "dashboard created; reminded 2"
    gh.faults.append(Fault("comments", 502, method="POST"))
    assert attempt(w) == "nothing due" and len(reminders(gh)) == 1
    w.clients.close()


TICK = """
import datetime as dt, sys
from app.service.jobs import Worker
from app.service.queue import make_huey
from app.service.settings import Settings
s = Settings(GITHUB_TOKEN="t", GITHUB_API_URL=sys.argv[1], PAPERBOT_DATA_DIR=sys.argv[2],
             PAPERBOT_WRITE_INTERVAL=0)
at = dt.datetime.fromisoformat(sys.argv[3])
w = Worker(s, make_huey(s), now=lambda: at)
print(w.run("weekly", repo="group/log", installation=None, base="main"))
"""


def test_a_restarted_worker_finds_the_dashboard_the_lists_do_not_show_yet(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text="dashboard: true\n")

    def tick_in_a_new_process(at: dt.datetime) -> str:
        args = [gh.base_url, str(tmp_path), at.isoformat()]
        got = subprocess.run(
            [sys.executable, "-c", TICK, *args], capture_output=True, text=True, check=False
        )
        assert got.returncode == 0, got.stderr
        return got.stdout.strip()

    assert tick_in_a_new_process(DUE) == "dashboard created"
    (board,) = [i for i in gh.repos[REPO].issues.values() if i["user"]["login"] == "group-bot"]
    gh.repos[REPO].unlisted.add(board["number"])  # GitHub's lists lag behind the create
    later = tick_in_a_new_process(DUE + dt.timedelta(days=8))
    assert later == "dashboard updated" and len(gh.repos[REPO].issues) == 1
