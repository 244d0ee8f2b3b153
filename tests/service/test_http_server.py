"""The public port's HTTP layer (``http_server.BoundedHttpTools``): a huge head is refused
before it is held, a head or a connection that says nothing is closed, GitHub's deliveries
go on meanwhile."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest

from app.github.fake.server import FakeGitHub
from app.service import http_server
from tests.service.test_e2e import Bot, opened
from tests.service.test_webhook import post_headers
from tests.service.test_webhook_slow import serving


def answer(sock: socket.socket, seconds: float = 5.0) -> bytes:
    """What the server sent until it closed the connection (or ``seconds`` passed)."""
    sock.settimeout(seconds)
    got = b""
    try:
        while chunk := sock.recv(4096):
            got += chunk
    except TimeoutError:
        return got + b"<still open>"
    except OSError:
        pass
    return got


def test_paperbot_serve_refuses_a_huge_head_before_holding_it(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    bot = Bot(gh, tmp_path, workers=0)
    bot.start()
    try:
        with socket.create_connection(("127.0.0.1", bot.port)) as huge:
            huge.sendall(b"POST /webhook HTTP/1.1\r\nHost: bot\r\nX-GitHub-Delivery: ")
            try:
                for _ in range(64):  # up to 64 MB, if the server keeps reading
                    huge.sendall(b"A" * (1 << 20))
            except OSError:
                pass  # closed on us: what we want
            assert answer(huge).startswith(b"HTTP/1.1 431")
        assert bot.deliver("issues", opened(1)) == 202  # GitHub's deliveries go on
    finally:
        bot.stop()


def test_a_large_delivery_read_with_its_head_is_accepted(gh: FakeGitHub, tmp_path: Path) -> None:
    bot = Bot(gh, tmp_path, workers=0)
    bot.start()
    try:  # an issue with a long body: the first read takes the head and much of the body
        assert bot.deliver("issues", {**opened(1), "padding": "x" * 5_000_000}) == 202
    finally:
        bot.stop()


def test_a_trickled_head_and_a_silent_connection_are_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_server, "HEAD_SECONDS", 1.0)
    with serving(tmp_path) as (port, _, _):
        silent = socket.create_connection(("127.0.0.1", port))
        slow = socket.create_connection(("127.0.0.1", port))
        kept = httpx.Client(base_url=f"http://127.0.0.1:{port}")
        try:
            slow.sendall(b"POST /webhook HTTP/1.1\r\nHost: bot\r\n")
            started = time.monotonic()
            for _ in range(4):
                time.sleep(0.3)
                try:
                    slow.sendall(b"X-Trickle: 1\r\n")
                except OSError:
                    break
            raw, headers = post_headers("ping", {"zen": "x"})
            assert kept.post("/webhook", content=raw, headers=headers).status_code == 200
            assert answer(slow) == b"" and answer(silent) == b""  # closed, nothing said
            assert time.monotonic() - started < 4.0
            time.sleep(1.5)  # a kept-alive connection between requests is uvicorn's to time
            assert kept.post("/webhook", content=raw, headers=headers).status_code == 200
        finally:
            kept.close()
            slow.close()
            silent.close()
