"""The embedded queue's inbox and its mover: real files, real locks, a real Huey SQLite queue;
the receiver over HTTP; a web process killed after its 202s."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.github.fake.server import FakeGitHub
from app.service import inbox as inbox_module
from app.service.inbox import Inbox, backlog, records, segments
from app.service.mover import Mover
from app.service.queue import JobQueue, PaperbotHuey, make_huey
from app.service.settings import Settings
from app.service.web import create_app
from tests.fakes import REPO
from tests.service import mounts
from tests.service.test_e2e import (
    Bot,
    file_issues,
    logged,
    opened,
    pulls_for_all,
    start_worker,
    stop,
    wait_for,
)
from tests.service.test_webhook import JOBS, SECRET, payload, pending, post, post_headers

ISSUE = payload("issues.opened")


@pytest.fixture
def huey(tmp_path: Path) -> PaperbotHuey:
    return make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))


@pytest.fixture
def queue(huey: PaperbotHuey, tmp_path: Path) -> JobQueue:
    tasks = {name: huey.task(name=name)(lambda **kw: kw) for name in JOBS}
    return JobQueue(huey, tasks, inbox=Inbox(tmp_path / "inbox", huey.store))


@pytest.fixture
def client(queue: JobQueue) -> TestClient:
    return TestClient(create_app(settings=Settings(GITHUB_WEBHOOK_SECRET=SECRET), queue=queue))


def mover(queue: JobQueue) -> Mover:
    assert queue.inbox is not None
    return Mover(queue.inbox.folder, queue, wake=queue.inbox.wake)


def body(number: int = 1) -> bytes:
    data = json.loads(json.dumps(ISSUE))
    data["issue"]["number"] = number
    return json.dumps(data).encode()


@pytest.mark.parametrize("cut", [1, 10, 40, -1])
def test_a_record_cut_short_is_left_out_and_the_whole_ones_kept(tmp_path: Path, cut: int) -> None:
    inbox = Inbox(tmp_path, store=_NoStore())
    for n in range(3):
        inbox.append(f"d-{n}", "issues", body=body(n))
    (path,) = tmp_path.glob("*.open")
    whole = path.read_bytes()
    path.write_bytes(whole + b"d-3 issues 1.0 500\n{"[:cut])  # killed mid-write
    got, torn = records(path.read_bytes())
    assert torn == len(b"d-3 issues 1.0 500\n{"[:cut])
    assert [(d, e, json.loads(b)["issue"]["number"]) for d, e, _, b in got] == [
        ("d-0", "issues", 0),
        ("d-1", "issues", 1),
        ("d-2", "issues", 2),
    ]
    assert backlog(tmp_path) == 3


def test_moved_deliveries_are_queued_once_and_the_segment_goes(
    client: TestClient, queue: JobQueue, huey: PaperbotHuey
) -> None:
    assert post(client, "issues", ISSUE, delivery="d-1").status_code == 202
    again = post(client, "issues", ISSUE, delivery="d-1")  # GitHub's retry, not moved yet
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    assert pending(huey) == [] and queue.depth() == 1  # waiting in the inbox counts
    assert queue.inbox is not None
    queue.inbox.rotate()
    assert mover(queue).move() == 1
    ((name, kwargs),) = pending(huey)
    assert name == "process_issue" and kwargs["delivery"] == "d-1" and kwargs["number"] == 1
    assert segments(queue.inbox.folder) == [] and queue.depth() == 1
    late = post(client, "issues", ISSUE, delivery="d-1")  # after the move: the store says so
    assert late.status_code == 200 and late.json()["outcome"] == "duplicate"


def moved_then_crashed(queue: JobQueue) -> Callable[[], None]:
    """Delivery ``d-1`` moved into the queue; a call puts its segment back, as a mover that
    died after committing, before deleting the segment, left it."""
    assert queue.inbox is not None
    queue.inbox.append("d-1", "issues", body=body())
    queue.inbox.rotate()
    (path,) = segments(queue.inbox.folder)
    kept = path.read_bytes()
    mover(queue).move()

    def put_back() -> None:
        path.write_bytes(kept)

    return put_back


def test_a_segment_moved_twice_after_a_crash_queues_nothing_twice(
    queue: JobQueue, huey: PaperbotHuey, caplog: pytest.LogCaptureFixture
) -> None:
    moved_then_crashed(queue)()
    with caplog.at_level(logging.INFO, logger="paperbot.inbox"):
        assert mover(queue).move() == 1
    assert len(pending(huey)) == 1
    assert [r.outcome for r in caplog.records] == ["duplicate"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("state", ["failed", "waiting"])
def test_a_segment_moved_again_after_a_crash_does_not_rerun_a_job_that_failed_meanwhile(
    queue: JobQueue, huey: PaperbotHuey, state: str
) -> None:
    """The mover died before deleting a segment; its job ran and failed (or waits for its
    retry) before the mover's restart: moving the segment again is no redelivery."""
    restart = moved_then_crashed(queue)
    huey.storage.flush_queue()  # its job ran
    if state == "failed":
        queue.store.finish("d-1", "failed", now=time.time())
    else:
        queue.store.wait("d-1", time.time() + 60)
    restart()
    mover(queue).move()
    assert pending(huey) == []
    assert queue.store.state("d-1") == state


@pytest.mark.parametrize(
    ("event", "data", "why"),
    [
        ("issues", {**ISSUE, "sender": {"login": "x[bot]", "type": "Bot"}}, "is a bot"),
        ("issues", {**ISSUE, "action": "pinned"}, "no route for issues.pinned"),
        ("issues", [1, 2], "not a JSON object"),
        ("issues", {**ISSUE, "repository": "o/r", "issue": 7}, "payload has"),
        ("issues", {**ISSUE, "sender": [1]}, "a malformed field"),
        ("issues", {**ISSUE, "installation": {"id": 1 << 70}}, "a malformed field"),  # SQLite's?
    ],
)
def test_what_routes_to_no_job_is_logged_with_why(
    queue: JobQueue,
    huey: PaperbotHuey,
    caplog: pytest.LogCaptureFixture,
    event: str,
    data: Any,
    why: str,
) -> None:
    assert queue.inbox is not None
    queue.inbox.append("d-1", event, body=json.dumps(data).encode())
    queue.inbox.rotate()
    with caplog.at_level(logging.INFO, logger="paperbot.inbox"):
        assert mover(queue).move() == 1
    (line,) = caplog.records
    assert line.outcome == "ignored" and why in line.why  # type: ignore[attr-defined]
    assert pending(huey) == []


def test_a_failed_delivery_redelivered_runs_again(
    client: TestClient, queue: JobQueue, huey: PaperbotHuey
) -> None:
    assert queue.inbox is not None
    post(client, "issues", ISSUE, delivery="d-1")
    queue.inbox.rotate()
    mover(queue).move()
    huey.storage.flush_queue()  # its job ran
    queue.store.finish("d-1", "failed", now=0.0)
    assert post(client, "issues", ISSUE, delivery="d-1").status_code == 202
    queue.inbox.rotate()
    mover(queue).move()
    assert [kw["delivery"] for _, kw in pending(huey)] == ["d-1"]


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({"X-GitHub-Delivery": "d 1\nforged 1.0 2"}, "X-GitHub-Delivery"),
        ({"Content-Type": "application/x-www-form-urlencoded"}, "content type"),
    ],
)
def test_what_the_inbox_cannot_keep_is_refused_by_name(
    client: TestClient, queue: JobQueue, headers: dict[str, str], detail: str
) -> None:
    res = post(client, "issues", ISSUE, headers=headers)
    assert res.status_code == 400 and detail in res.json()["detail"]
    assert queue.inbox is not None and backlog(queue.inbox.folder) == 0


def test_a_full_disk_is_503_and_leaves_only_whole_records(
    client: TestClient,
    queue: JobQueue,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert post(client, "issues", ISSUE, delivery="d-1").status_code == 202
    real = os.writev
    # No full disk to run here: the kernel's answer to one, a write taken only in part.
    monkeypatch.setattr(inbox_module.os, "writev", lambda fd, parts: real(fd, parts[:1]))
    with caplog.at_level(logging.WARNING, logger="paperbot.webhook"):
        res = post(client, "issues", ISSUE, delivery="d-2")
    assert res.status_code == 503 and res.json()["outcome"] == "queue unavailable"
    (said,) = [r.error for r in caplog.records if r.msg == "queue unavailable"]  # type: ignore[attr-defined]
    assert said == "OSError: the inbox took only part of a delivery (is the disk full?)"
    monkeypatch.setattr(inbox_module.os, "writev", real)
    assert post(client, "issues", ISSUE, delivery="d-2").status_code == 202  # GitHub's retry
    assert queue.inbox is not None
    parts = [records(path.read_bytes()) for path in segments(queue.inbox.folder)]
    assert [(r[0], torn) for found, torn in parts for r in found] == [("d-1", 0), ("d-2", 0)]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs of the test's own, and the same seen read-only beside it (``ro``)."""
    with mounts.small_disk(tmp_path / "disk") as disk, mounts.read_only(disk, at=tmp_path / "ro"):
        yield disk


def test_readyz_is_503_while_the_data_dir_is_full_or_read_only(small_disk: Path) -> None:
    """The inbox takes deliveries before the queue: a disk it cannot write is 503 on
    /webhook, and /readyz says so too, and why, until there is room again."""
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=small_disk))
    queue = JobQueue(huey, {}, inbox=Inbox(small_disk / "inbox", huey.store))
    client = TestClient(create_app(settings=Settings(GITHUB_WEBHOOK_SECRET=SECRET), queue=queue))
    assert client.get("/readyz").json() == {"queue": "ok"}
    ballast = small_disk / "ballast"
    with ballast.open("wb") as out, contextlib.suppress(OSError):
        while True:
            out.write(b"x" * 65536)
            out.flush()
    assert post(client, "issues", ISSUE, delivery="d-1").status_code == 503
    full = client.get("/readyz")
    assert full.status_code == 503 and full.json()["queue"] == "refusing writes"
    assert "less than 1 MiB left" in full.json()["error"]
    ballast.unlink()
    assert client.get("/readyz").status_code == 200
    queue.inbox = Inbox(small_disk.parent / "ro" / "inbox", huey.store)  # the same, read-only
    read_only = client.get("/readyz")
    assert read_only.status_code == 503 and "read-only" in read_only.json()["error"]
    huey.storage.close()


def _deliver(
    queue: JobQueue, steps: list[str | Callable[[], object]], *, then: float = 0.0
) -> list[int]:
    """POST each delivery id (or run each callable) in turn on a receiver on a running event
    loop (its segments are closed by the loop's timers), then keep the loop running ``then``
    seconds."""
    app = create_app(settings=Settings(GITHUB_WEBHOOK_SECRET=SECRET), queue=queue)

    async def run() -> list[int]:
        codes = []
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
            for step in steps:
                if callable(step):
                    step()
                    continue
                raw, headers = post_headers("issues", body(), delivery=step)
                codes.append(
                    (await client.post("/webhook", content=raw, headers=headers)).status_code
                )
        await asyncio.sleep(then)
        return codes

    return asyncio.run(run())


def test_after_a_full_disk_refused_a_segment_s_first_write_the_next_delivery_still_moves(
    queue: JobQueue, huey: PaperbotHuey, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.writev

    def full(fd: int, parts: list[bytes]) -> int:  # the kernel's answer when nothing fits
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(inbox_module.os, "writev", full)
    assert _deliver(queue, ["d-1"]) == [503]  # the disk full as the segment opened
    monkeypatch.setattr(inbox_module.os, "writev", real)
    assert _deliver(queue, ["d-1"], then=inbox_module.ROTATE_SECONDS + 0.3) == [202]
    assert mover(queue).move() == 1  # closed in time, not left open until 8 MB arrive
    assert [kw["delivery"] for _, kw in pending(huey)] == ["d-1"]


def test_an_inbox_folder_removed_while_running_is_made_again(
    queue: JobQueue, huey: PaperbotHuey
) -> None:
    assert queue.inbox is not None
    folder = queue.inbox.folder
    steps = ["d-1", lambda: shutil.rmtree(folder), "d-2"]  # an operator cleaning up
    assert _deliver(queue, steps, then=inbox_module.ROTATE_SECONDS + 0.3) == [202, 202]
    assert _deliver(queue, ["d-3"], then=inbox_module.ROTATE_SECONDS + 0.3) == [202]
    assert mover(queue).move() == 3  # the segment removed open was written again
    assert sorted(kw["delivery"] for _, kw in pending(huey)) == ["d-1", "d-2", "d-3"]


@pytest.mark.parametrize(
    "garbage",
    [
        b"x issues 1.0 -40\n",  # a length going backwards: read for ever
        b"\xff\xfe issues 1.0 2\n{}",  # not text
        b"x issues soon 2\n{}",  # not a time
        os.urandom(4096),
    ],
)
def test_a_file_dropped_into_the_inbox_holds_back_no_delivery(
    queue: JobQueue, huey: PaperbotHuey, garbage: bytes
) -> None:
    assert queue.inbox is not None
    (queue.inbox.folder / "0-someone.ready").write_bytes(garbage)  # sorts before every segment
    queue.inbox.append("d-1", "issues", body=body())
    queue.inbox.rotate()
    moving = threading.Thread(target=mover(queue).move, daemon=True)
    moving.start()
    moving.join(10)
    assert not moving.is_alive()
    assert [kw["delivery"] for _, kw in pending(huey)] == ["d-1"]
    assert segments(queue.inbox.folder) == []


def _write_then_die(folder: Path, ready: Any) -> None:
    inbox = Inbox(folder, _NoStore())
    inbox.append("d-dead", "issues", body=body())
    ready.set()
    threading.Event().wait(60)  # killed here, its segment still open


def test_a_segment_is_taken_only_once_its_writer_is_gone(
    queue: JobQueue, huey: PaperbotHuey
) -> None:
    assert queue.inbox is not None
    ready = multiprocessing.get_context("fork").Event()
    writer = multiprocessing.get_context("fork").Process(
        target=_write_then_die, args=(queue.inbox.folder, ready)
    )
    writer.start()
    assert ready.wait(10)
    assert mover(queue).move() == 0  # its writer holds the lock
    assert writer.pid is not None
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(10)
    assert mover(queue).move() == 1
    assert [kw["delivery"] for _, kw in pending(huey)] == ["d-dead"]


def test_a_web_process_killed_after_its_202s_loses_nothing(gh: FakeGitHub, tmp_path: Path) -> None:
    web = Bot(gh, tmp_path / "data", workers=0)  # the endpoint alone: nothing moves
    web.data.mkdir()
    web.start()
    numbers = file_issues(gh, 3)
    assert [web.deliver("issues", opened(n), delivery=f"k{n}") for n in numbers] == [202] * 3
    page = httpx.get(f"http://127.0.0.1:{web.port}/metrics").text
    assert "paperbot_queue_depth 3.0" in page
    web.stop(signal.SIGKILL)
    bot = Bot(gh, web.data, workers=2)
    bot.start()
    try:
        wait_for(lambda: pulls_for_all(gh, numbers), what="a PR for each accepted delivery")
    finally:
        bot.stop()
    assert len(gh.repos[REPO].pulls) == 3  # one each, none twice


class _NoStore:
    """The store's answer for a delivery nobody accepted before (the file tests need no queue)."""

    def state(self, delivery: str) -> None:
        return None


@pytest.mark.parametrize("served_before", [True, False])
def test_a_worker_on_a_data_dir_no_serve_used_says_so(
    gh: FakeGitHub, tmp_path: Path, served_before: bool
) -> None:
    web = Bot(gh, tmp_path / "data", workers=0)
    web.data.mkdir()
    if served_before:
        web.start()
        web.stop()
    log = tmp_path / "worker.log"
    worker = start_worker(web, log)
    try:
        wait_for(lambda: any(x["message"] == "started" for x in logged(log)), what="the worker")
    finally:
        stop(worker)
    said = [x for x in logged(log) if "new, empty queue" in x["message"]]
    assert len(said) == (0 if served_before else 1)
    assert all(str(web.data / "queue.db") in x["queue"] for x in said)
