"""A slow client on /webhook (the port is public): a body still arriving after
``BODY_SECONDS`` is cut off, and a shutdown is not held up by it; GitHub's deliveries go on."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from app.service import webhook
from app.service.http_server import BoundedHttpTools
from app.service.queue import make_huey
from app.service.settings import Settings
from app.service.web import create_app
from tests.service.test_e2e import free_port
from tests.service.test_webhook import SECRET, make_queue, payload, post_headers

HEAD = b"POST /webhook HTTP/1.1\r\nHost: bot\r\nX-GitHub-Event: issues\r\nContent-Length: 900\r\n"
HEAD += b"\r\n"


@contextmanager
def serving(tmp_path: Path) -> Iterator[tuple[int, uvicorn.Server, threading.Thread]]:
    """The service's app under uvicorn, as ``paperbot serve`` runs it, on a thread."""
    settings = Settings(GITHUB_WEBHOOK_SECRET=SECRET, PAPERBOT_DATA_DIR=tmp_path)
    app = create_app(settings=settings, queue=make_queue(make_huey(settings)))
    port = free_port()
    config = uvicorn.Config(
        app, port=port, log_config=None, access_log=False, http=BoundedHttpTools
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield port, server, thread
    finally:
        server.should_exit = True
        thread.join(10)


def trickle(sock: socket.socket, seconds: float) -> bytes:
    """Send a byte of body a second for ``seconds`` (or until answered); what came back."""
    sock.settimeout(0.5)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            sock.sendall(b" ")
            answer = sock.recv(4096)
        except TimeoutError:
            continue
        except OSError:
            return b""
        return answer
    return b""


def test_a_body_still_arriving_is_cut_off_and_holds_up_no_shutdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook, "BODY_SECONDS", 1.0, raising=False)
    with serving(tmp_path) as (port, server, thread):
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(HEAD + b"{")
        raw, headers = post_headers("issues", payload("issues.opened"))
        meanwhile = httpx.post(f"http://127.0.0.1:{port}/webhook", content=raw, headers=headers)
        assert meanwhile.status_code == 202  # GitHub's delivery is not held up
        answer = trickle(slow, 8.0)
        assert answer.startswith(b"HTTP/1.1 408"), answer
        assert slow.recv(4096) == b""  # and the connection closed
        silent = socket.create_connection(("127.0.0.1", port))
        silent.sendall(HEAD)  # headers, then nothing at all
        time.sleep(0.2)
        server.should_exit = True
        thread.join(8)
        assert not thread.is_alive()  # a deploy's restart is not held up
        silent.close()
        slow.close()
