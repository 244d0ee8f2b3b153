"""A `paperbot worker` process's own /metrics: scraped over HTTP while it runs real jobs."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.github.fake.server import FakeGitHub, Fault
from app.service import exporter
from app.service.exporter import serve_metrics
from app.service.queue import JobQueue, make_huey
from app.service.settings import Settings
from tests.service.test_e2e import (
    REDIS_URL,
    Bot,
    file_issues,
    free_port,
    opened,
    pulls_for_all,
    replica_on_redis,
    start_worker,
    stop,
    wait_for,
)
from tests.service.test_http_server import answer


def samples(url: str) -> Page:
    """Every sample of a /metrics page, by name and labels."""
    text = httpx.get(url, timeout=5).text
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


Page = dict[tuple[str, frozenset[tuple[str, str]]], float]


def sample(page: Page, name: str, **labels: str) -> float:
    return page.get((name, frozenset(labels.items())), 0.0)


def running(url: str) -> float:
    return sample(samples(url), "paperbot_jobs_running")


def jobs_done(page: Page) -> float:
    return sample(page, "paperbot_job_seconds_count", job="process_issue", outcome="submitted")


@pytest.mark.skipif(not REDIS_URL, reason="PAPERBOT_TEST_REDIS_URL is not set")
def test_a_worker_serves_the_jobs_it_ran_at_its_metrics_port(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    port = free_port()
    paced = {"PAPERBOT_WRITE_INTERVAL": "0.05"}  # paced: its waits are counted
    with replica_on_redis(gh, tmp_path / "data") as web:
        log = tmp_path / "data" / "worker.log"
        worker = start_worker(web, log, "--metrics-port", str(port), env=paced)
        try:
            url = f"http://127.0.0.1:{port}/metrics"
            wait_for(lambda: _answers(url), what="the worker's /metrics")
            assert jobs_done(samples(url)) == 0
            numbers = file_issues(gh, 2)
            limit = Fault("issue", 429, headers={"Retry-After": "1"})  # a secondary limit
            gh.faults.append(limit)
            gh.latency = 0.2  # each job a few seconds long: seen while it runs
            assert [web.deliver("issues", opened(n)) for n in numbers] == [202] * 2
            wait_for(lambda: running(url) >= 1, what="a job running in the worker's metrics")
            wait_for(lambda: pulls_for_all(gh, numbers), what="the worker to open both PRs")
            wait_for(lambda: jobs_done(samples(url)) == 2, what="both jobs in its metrics")
            page = samples(url)
            assert sample(page, "paperbot_queue_depth") == 0
            assert running(url) == 0
            pulls = {"method": "POST", "endpoint": "/repos/{repo}/pulls", "status": "200"}
            assert sample(page, "paperbot_github_requests_total", **pulls) == 2
            assert sample(page, "paperbot_secondary_limit_pauses_total", kind="github") == 1
            assert sample(
                page, "paperbot_job_retries_total", job="process_issue", reason="rate limited"
            )
            waits = sample(page, "paperbot_pacing_wait_seconds_count", kind="github")
            assert waits >= 8  # 4 writes each
            web_page = samples(f"http://127.0.0.1:{web.port}/metrics")
            assert jobs_done(web_page) == 0  # the replica ran no job: only the worker can say
        finally:
            stop(worker)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).is_success
    except httpx.HTTPError:
        return False


def test_a_metrics_port_in_use_stops_the_worker_with_one_line(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            **Bot(gh, tmp_path).env(),
            "PAPERBOT_QUEUE": "redis://127.0.0.1:1/0",  # never reached: the port is checked first
            "PAPERBOT_METRICS_PORT": str(port),
        }
        done = subprocess.run(
            [sys.executable, "-m", "app", "worker"], env=env, capture_output=True, timeout=60
        )
    assert done.returncode != 0
    err = done.stderr.decode()
    assert f"PAPERBOT_METRICS_PORT: cannot serve 127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_a_scrape_asking_for_some_metrics_by_name_gets_them(tmp_path: Path) -> None:
    """Prometheus' ``params: {name[]: …}`` (a scrape of a few series) is answered, not a 500."""
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    port = free_port()
    server = serve_metrics(JobQueue(huey, {}), host="127.0.0.1", port=port)
    assert server is not None
    try:
        url = f"http://127.0.0.1:{port}/metrics?name[]=paperbot_queue_depth"
        answer = httpx.get(url, timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert answer.status_code == 200
    assert [s.name for f in text_string_to_metric_families(answer.text) for s in f.samples] == [
        "paperbot_queue_depth"
    ]


def test_connections_that_say_nothing_hold_no_thread_of_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slowloris on a worker's metrics port: silent and trickling connections are closed
    at the deadline, those past the limit at once, and Prometheus' scrape then answers."""
    monkeypatch.setattr(exporter, "CONNECTION_SECONDS", 1.0)
    port = free_port()
    server = serve_metrics(
        JobQueue(make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path)), {}), host="127.0.0.1", port=port
    )
    assert server is not None
    before = threading.active_count()
    try:
        with contextlib.ExitStack() as stack:
            held = [
                stack.enter_context(socket.create_connection(("127.0.0.1", port)))
                for _ in range(exporter.MAX_CONNECTIONS)
            ]
            held[0].sendall(b"GET /metrics HTTP/1.1\r\n")  # a head that never ends
            with socket.create_connection(("127.0.0.1", port)) as extra:
                assert answer(extra, 2.0) == b""  # closed at once, no thread for it
            assert threading.active_count() <= before + exporter.MAX_CONNECTIONS
            assert [answer(s, 5.0) for s in held] == [b""] * len(held)  # cut at the deadline
        wait_for(lambda: threading.active_count() <= before, what="their threads to end")
        assert _answers(f"http://127.0.0.1:{port}/metrics")
    finally:
        server.shutdown()
        server.server_close()
