"""The weekly tick as the service runs it: two workers, a restart, one reminder per member."""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from huey import Huey, RedisHuey, SqliteHuey
from huey.exceptions import RetryTask

from app.github.fake.pulls import push_file
from app.github.fake.server import FakeGitHub
from app.service.jobs import Worker, register
from app.service.queue import remember_repo
from tests.conftest import TODAY
from tests.fakes import REPO, settings_for

REDIS_URL = os.environ.get("PAPERBOT_TEST_REDIS_URL")
CONFIG = 'reminders: {weekday: sunday, time: "20:00"}\nmembers: {newbie: 新人, lin: 林}\n'
DUE = dt.datetime(2025, 7, 6, 12, 30, tzinfo=dt.UTC)  # Sunday 20:30 in Shanghai


def sqlite(tmp_path: Path) -> Callable[[], Huey]:
    return lambda: SqliteHuey("t", filename=str(tmp_path / "q.db"))


def redis(tmp_path: Path) -> Callable[[], Huey]:
    name = f"paperbot-test-{uuid.uuid4()}"
    return lambda: RedisHuey(name, url=REDIS_URL)


STORES = [
    pytest.param(sqlite, id="sqlite"),
    pytest.param(
        redis,
        id="redis",
        marks=pytest.mark.skipif(not REDIS_URL, reason="PAPERBOT_TEST_REDIS_URL is not set"),
    ),
]


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Huey]]:
    make = request.param(tmp_path)
    yield make
    huey = make()
    if isinstance(huey, RedisHuey):
        huey.storage.flush_all()
        huey.storage.conn.connection_pool.disconnect()


def worker(gh: FakeGitHub, huey: Huey) -> Worker:
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
    gh: FakeGitHub, store: Callable[[], Huey]
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
    huey = SqliteHuey("t", filename=str(tmp_path / "q.db"), immediate=False)
    tasks = register(huey, worker(gh, huey))
    remember_repo(huey, REPO, None)
    remember_repo(huey, "group/other", 7)
    tasks["weekly_all"].call_local()
    queued = sorted((t.name, t.kwargs["repo"]) for t in huey.pending())
    assert queued == [("weekly", REPO), ("weekly", "group/other")]
