"""Starting next to Redis as docker-compose does: `serve` and `worker` up before Redis wait for
it (one line per attempt, /readyz 503 until it answers), recover, and run; a Redis that may
evict keys is warned about. Each test runs a redis-server of its own."""

from __future__ import annotations

import json
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import redis

from app.github.fake.server import FakeGitHub
from tests.fakes import REPO
from tests.service.spare_redis import SpareRedis
from tests.service.test_e2e import (
    Bot,
    file_issues,
    free_port,
    logged,
    opened,
    pulls_for_all,
    start_worker,
    wait_for,
)

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed"
)


def readyz(bot: Bot) -> int:
    return httpx.get(f"http://127.0.0.1:{bot.port}/readyz", timeout=5).status_code


def waits(log: Path) -> list[dict[str, object]]:
    return [x for x in logged(log) if x["message"].startswith("queue not answering")]


@contextmanager
def serve_on_spare(
    gh: FakeGitHub, tmp_path: Path, *redis_args: str, workers: int = 0
) -> Iterator[tuple[SpareRedis, Bot]]:
    """A redis-server of the test's own and a `paperbot serve` on it, both stopped at the end."""
    spare = SpareRedis(free_port(), tmp_path, *redis_args)
    spare.start()
    (tmp_path / "data").mkdir()
    web = Bot(gh, tmp_path / "data", queue=spare.url, workers=workers)
    try:
        web.start()
        yield spare, web
    finally:
        web.stop()
        spare.stop()


def test_serve_and_worker_started_before_redis_wait_recover_and_run(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    spare = SpareRedis(free_port(), tmp_path)
    (tmp_path / "data").mkdir()
    web = Bot(gh, tmp_path / "data", queue=spare.url, workers=1)
    web.start()  # /healthz answers with no Redis
    worker_log = tmp_path / "data" / "worker.log"
    worker = start_worker(web, worker_log)
    try:
        (number,) = file_issues(gh, 1)
        assert readyz(web) == 503
        assert web.deliver("issues", opened(number)) == 503  # GitHub will redeliver it
        wait_for(lambda: len(waits(web.log)) >= 2 and len(waits(worker_log)) >= 2, what="waits")
        spare.start()  # Redis comes up a few seconds after the bot
        wait_for(lambda: readyz(web) == 200, what="/readyz once Redis answers")
        assert web.deliver("issues", opened(number)) == 202
        wait_for(lambda: pulls_for_all(gh, [number]), what="the PR")
        for log in (web.log, worker_log):
            wait_for(lambda log=log: logged(log, "paperbot.worker") != [], what="the recovery")
            attempts = [x["attempt"] for x in waits(log)]
            assert attempts == list(range(1, len(attempts) + 1))
            assert "Traceback" not in log.read_text()
            assert "maxmemory-policy" not in log.read_text()  # noeviction: nothing to say
            said = [x["message"] for x in logged(log, "paperbot")]
            assert "GitHub answers" in said  # not blamed on GITHUB_API_URL while Redis was down
            assert not [x for x in said if x.startswith("GITHUB_")], said
    finally:
        web.stop()
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=30)
        spare.stop()


def test_a_redis_that_may_evict_keys_is_warned_about_at_start(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    with serve_on_spare(gh, tmp_path, "--maxmemory-policy", "allkeys-lru") as (_, web):

        def warned() -> bool:
            return any("maxmemory-policy is allkeys-lru" in x["message"] for x in logged(web.log))

        wait_for(warned, what="the eviction warning")
        time.sleep(0.5)
        assert sum("maxmemory-policy" in x["message"] for x in logged(web.log)) == 1


@pytest.mark.parametrize(
    ("where", "said"),
    [
        (lambda gh: f"http://127.0.0.1:{free_port()}", "GITHUB_API_URL: cannot reach GitHub at"),
        (lambda gh: f"{gh.base_url}/wrong", "GITHUB_API_URL: http://127.0.0.1:"),
    ],
    ids=["unreachable", "not-the-api"],
)
def test_a_wrong_github_api_url_is_one_line_at_start_and_one_per_failing_job(
    gh: FakeGitHub, tmp_path: Path, where: Callable[[FakeGitHub], str], said: str
) -> None:
    (tmp_path / "data").mkdir()
    bot = Bot(gh, tmp_path / "data", workers=1)
    bot.env = lambda: {**Bot.env(bot), "GITHUB_API_URL": where(gh)}  # type: ignore[method-assign]
    bot.start()
    try:
        # a worker starting after the delivery would reconcile its repository too: two lines
        wait_for(lambda: logged(bot.log, "paperbot.worker") != [], what="the worker's start")
        (number,) = file_issues(gh, 1)
        assert bot.deliver("issues", opened(number), delivery="d-wrong-url") == 202

        def job_lines() -> list[dict[str, object]]:
            return logged(bot.log, "paperbot.jobs")

        wait_for(lambda: job_lines() != [], what="the job's line")
        time.sleep(0.5)  # whatever else the run logs is written by now
        (line,) = job_lines()
        assert line["level"] == "WARNING" and str(line["outcome"]).startswith("retrying: GitHub")
        start = [x for x in logged(bot.log) if "GITHUB_API_URL" in x["message"]]
        assert len(start) == 1 and start[0]["message"].startswith(said), start
        # the delivery's line (the inbox's mover routed it) and the run's line: no library
        # retry or scheduling chatter
        about = [x for x in logged(bot.log) if "d-wrong-url" in json.dumps(x)]
        assert [x["logger"] for x in about] == ["paperbot.inbox", "paperbot.jobs"], about
        assert [x for x in logged(bot.log) if x["logger"].startswith("urllib3")] == []
        assert "Traceback" not in bot.log.read_text()
    finally:
        bot.stop()


def test_a_redis_restart_under_running_workers_is_a_line_per_loop_not_a_flood(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    with serve_on_spare(gh, tmp_path, workers=2) as (spare, web):
        wait_for(lambda: logged(web.log, "paperbot.worker") != [], what="the workers")
        spare.stop()
        time.sleep(6)  # Huey's loops poll about ten times a second, its scheduler every second
        spare.start()
        (number,) = file_issues(gh, 1)
        wait_for(lambda: web.deliver("issues", opened(number)) == 202, what="the queue again")
        wait_for(lambda: pulls_for_all(gh, [number]), what="the PR after the restart")
        loops = [x for x in logged(web.log) if x["logger"].startswith("huey.consumer")]
        failing = [(x["logger"], x["message"]) for x in loops if x["level"] == "ERROR"]
        assert failing and len(failing) == len(set(failing)), failing
        assert "Traceback" not in web.log.read_text()


def test_a_redis_restarted_empty_mid_burst_loses_no_accepted_submission(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    """Redis without persistence restarted while jobs wait: the queue, the delivery log and
    the list of repositories are gone; the worker notices, says so once and reconciles the
    repositories it knew, so every accepted submission still gets its one PR."""
    gh.latency = 0.1  # the jobs take a while: most are still queued when Redis goes
    with burst_on_spare(gh, tmp_path) as (spare, numbers, worker_log):
        spare.stop()  # nothing on disk: a restart comes back empty
        spare.start()
        wait_for(lambda: pulls_for_all(gh, numbers), what="every PR", seconds=90)
        time.sleep(2)
        heads = sorted(p["head"] for p in gh.repos[REPO].pulls.values())
        assert heads == sorted(f"paperbot/issue-{n}" for n in numbers)
        lost = [x for x in logged(worker_log) if "lost its data" in x["message"]]
        assert len(lost) == 1 and lost[0]["level"] == "WARNING" and lost[0]["repositories"] == 1


@contextmanager
def burst_on_spare(
    gh: FakeGitHub, tmp_path: Path, *redis_args: str
) -> Iterator[tuple[SpareRedis, list[int], Path]]:
    """A replica and a worker on a Redis of the test's own, six submissions accepted and the
    first PR open; yields the Redis, the issue numbers and the worker's log."""
    spare = SpareRedis(free_port(), tmp_path, *redis_args)
    spare.start()
    (tmp_path / "data").mkdir()
    web = Bot(gh, tmp_path / "data", queue=spare.url, workers=0)
    worker_log = tmp_path / "data" / "worker.log"
    web.start()
    worker = start_worker(web, worker_log)
    try:
        wait_for(lambda: logged(worker_log, "paperbot.worker") != [], what="the worker")
        numbers = file_issues(gh, 6)
        assert [web.deliver("issues", opened(n)) for n in numbers] == [202] * 6
        wait_for(lambda: len(gh.repos[REPO].pulls) >= 1, what="the first PR")
        yield spare, numbers, worker_log
    finally:
        web.stop()
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=30)
        spare.stop()


def fill(conn: redis.Redis, until: threading.Event) -> None:
    """Keep ``conn``'s Redis at its maxmemory until ``until`` is set (keys in its own db)."""
    n = 0
    while not until.is_set():
        for size in (10_000, 1_000, 100, 10):
            try:
                while not until.is_set():
                    conn.set(f"ballast:{n}", b"x" * size)
                    n += 1
            except redis.ResponseError:
                pass
        time.sleep(0.1)


def test_a_redis_full_for_a_while_mid_burst_delays_jobs_but_loses_none(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    """Redis at maxmemory (noeviction) refuses writes for a while: the jobs taken off the
    queue meanwhile are held by their worker, said in a warning, and run once it has room,
    not left to the delivery log's recovery 10-20 minutes later."""
    gh.latency = 0.1
    with burst_on_spare(gh, tmp_path, "--maxmemory", "4mb") as (spare, numbers, worker_log):
        ballast = redis.Redis(port=spare.port, db=1)
        freed = threading.Event()
        filler = threading.Thread(target=fill, args=(ballast, freed))
        filler.start()
        time.sleep(15)
        freed.set()
        filler.join()
        ballast.flushdb()
        ballast.close()
        wait_for(lambda: pulls_for_all(gh, numbers), what="every PR once Redis has room")
        assert len(gh.repos[REPO].pulls) == 6
        held = [x for x in logged(worker_log) if x["message"].startswith("queue storage refused")]
        assert held and "OutOfMemoryError" in str(held[0]["error"])


def test_readyz_says_503_while_redis_is_full_and_200_once_it_has_room(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    """A full Redis answers PING but refuses every write, so deliveries get 503: a load
    balancer asking /readyz must hear the same, and why."""
    freed = threading.Event()
    try:
        with serve_on_spare(gh, tmp_path, "--maxmemory", "4mb") as (spare, web):
            ballast = redis.Redis(port=spare.port, db=1)
            filler = threading.Thread(target=fill, args=(ballast, freed), daemon=True)
            wait_for(lambda: readyz(web) == 200, what="/readyz with room")
            filler.start()
            (number,) = file_issues(gh, 1)
            wait_for(
                lambda: web.deliver("issues", opened(number)) == 503, what="a refused delivery"
            )
            answers: list[httpx.Response] = []

            def refusing() -> bool:  # the filler keeps Redis at its limit, give or take a few bytes
                answers.append(httpx.get(f"http://127.0.0.1:{web.port}/readyz", timeout=5))
                return answers[-1].status_code == 503

            wait_for(refusing, what="/readyz 503 while Redis is full", seconds=10)
            assert answers[-1].json()["queue"] == "refusing writes"
            assert "maxmemory" in answers[-1].json()["error"]
            freed.set()
            filler.join()
            ballast.flushdb()
            wait_for(lambda: readyz(web) == 200, what="/readyz once Redis has room")
            assert web.deliver("issues", opened(number)) == 202
            ballast.close()
    finally:
        freed.set()


def queue_series(bot: Bot) -> dict[str, float]:
    page = httpx.get(f"http://127.0.0.1:{bot.port}/metrics", timeout=10).text
    pairs = (
        x.split(" ")
        for x in page.splitlines()
        if x.startswith(("paperbot_queue_d", "paperbot_queue_u"))
    )
    return {name: float(value) for name, value in pairs}


def test_metrics_say_the_queue_is_down_not_empty_while_redis_is_stopped(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    """Three jobs wait (no worker runs); Redis stops: an alert on the depth must not read
    "nothing waiting" — /metrics says the queue is down and keeps the depth it last read."""
    with serve_on_spare(gh, tmp_path) as (spare, web):
        numbers = file_issues(gh, 3)
        assert [web.deliver("issues", opened(n)) for n in numbers] == [202] * 3
        assert queue_series(web) == {"paperbot_queue_depth": 3.0, "paperbot_queue_up": 1.0}
        spare.stop()
        assert queue_series(web) == {"paperbot_queue_depth": 3.0, "paperbot_queue_up": 0.0}
