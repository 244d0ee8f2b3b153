"""A partitioned queue: Redis at a port that accepts connections and never answers (as a
paused server or a network partition does). The endpoint must keep answering."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from app.service.queue import make_huey
from app.service.settings import Settings
from app.service.web import create_app
from tests.service.test_e2e import free_port
from tests.service.test_webhook import SECRET, make_queue, payload, post_headers


@contextmanager
def blackhole() -> Iterator[int]:
    """A listening port whose connections complete (the kernel's backlog) but never answer."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        yield int(sock.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def timed(call: object) -> tuple[float, httpx.Response]:
    started = time.monotonic()
    res = call()  # type: ignore[operator]
    return time.monotonic() - started, res


def test_healthz_answers_and_readyz_says_down_while_redis_does_not_answer(tmp_path: Path) -> None:
    with blackhole() as port:
        settings = Settings(
            GITHUB_WEBHOOK_SECRET=SECRET,
            PAPERBOT_QUEUE=f"redis://127.0.0.1:{port}/0",
            PAPERBOT_DATA_DIR=tmp_path,
        )
        app = create_app(settings=settings, queue=make_queue(make_huey(settings)))
        raw, headers = post_headers("issues", payload("issues.opened"))
        with serving(app) as url, ThreadPoolExecutor(4) as pool:
            send = lambda: httpx.post(f"{url}/webhook", content=raw, headers=headers, timeout=30)  # noqa: E731
            webhook = pool.submit(timed, send)
            time.sleep(0.3)  # the delivery is now waiting on the queue
            health = [timed(lambda: httpx.get(f"{url}/healthz", timeout=5)) for _ in range(5)]
            ready = timed(lambda: httpx.get(f"{url}/readyz", timeout=30))
            metrics = timed(lambda: httpx.get(f"{url}/metrics", timeout=30))
            waited, answer = webhook.result(timeout=30)
    assert all(s < 0.5 and r.json() == {"status": "up"} for s, r in health)
    assert ready[1].status_code == 503 and ready[1].json() == {"queue": "unreachable"}
    assert ready[0] < 3 and metrics[0] < 3 and metrics[1].status_code == 200
    assert "paperbot_queue_up 0.0" in metrics[1].text
    assert answer.status_code == 503 and answer.json()["outcome"] == "queue unavailable"
    assert waited < 5  # GitHub gives up after 10 s; the 503 tells it the delivery failed
