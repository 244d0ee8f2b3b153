"""The weekly tick as the service runs it: two workers, a restart, one reminder per member."""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from huey.exceptions import RetryTask
from huey.storage import RedisStorage

from app.flows.routing import Task
from app.github.fake.pulls import push_file
from app.github.fake.server import FakeGitHub
from app.service.jobs import Worker, register
from app.service.queue import JobQueue, PaperbotHuey, make_huey
from app.service.settings import Settings
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
