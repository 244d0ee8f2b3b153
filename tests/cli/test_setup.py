"""``paperbot setup`` as a command: where it listens, the one-time token off loopback, and
the bounds on a request's head that ``serve`` has too."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.cli.main import main
from app.cli.setup import _loopback
from tests.cli.test_service import clean_env
from tests.service.test_e2e import free_port, wait_for
from tests.service.test_http_server import answer


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert _loopback(host) is loopback


def test_off_loopback_the_page_needs_the_printed_token(tmp_path: Path) -> None:
    port, out = free_port(), tmp_path / "out.log"
    command = [sys.executable, "-m", "app", "setup", "--host", "0.0.0.0", "--port", str(port)]
    with out.open("wb") as log:
        proc = subprocess.Popen(command, env=clean_env(), cwd=tmp_path, stdout=log, stderr=log)
    try:
        wait_for(lambda: "?token=" in out.read_text(), what="the printed address")
        first = out.read_text().splitlines()[0]
        assert first.startswith(f"paperbot setup: open http://127.0.0.1:{port}/?token=")
        token = first.rsplit("=", 1)[1]
        url = f"http://127.0.0.1:{port}/"
        wait_for(lambda: _status(url) == 403, what="the page to refuse without the token")
        assert httpx.get(f"{url}?token={token}").status_code == 200
        with socket.create_connection(("127.0.0.1", port)) as huge:  # an open port's stranger
            huge.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"A" * (1 << 20))
            assert answer(huge).startswith(b"HTTP/1.1 431")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _status(url: str) -> int:
    try:
        return httpx.get(url, timeout=1).status_code
    except httpx.HTTPError:
        return 0


def test_a_missing_folder_for_the_env_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["setup", "--env-file", str(tmp_path / "nowhere" / ".env")]) == 2
    assert "nowhere: no such directory (for --env-file)" in capsys.readouterr().err
