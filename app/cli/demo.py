"""``paperbot demo``: the whole loop on this machine, against the local GitHub stand-in.

It starts a fake GitHub (real HTTP, real git objects) seeded with a README and the issue forms,
starts the bot on a free port exactly as ``paperbot serve`` runs, files a valid and an invalid
submission, sends GitHub's signed webhooks, and prints the PR and the status comments.
"""

from __future__ import annotations

import json
import logging
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import httpx
import uvicorn

from app.core.forms import render_forms
from app.github.fake.pulls import pull_json
from app.github.fake.server import FakeGitHub
from app.github.fake.start import serve
from app.service import runtime
from app.service.settings import Settings
from app.service.signature import sign

REPO = "demo/reading-group"
MEMBER = "zhangyu"


def data(name: str) -> str:
    return resources.files("app").joinpath("data", name).read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(gh: FakeGitHub, readme: str) -> None:
    files = {"README.md": readme}
    files.update({f".github/ISSUE_TEMPLATE/{k}": v for k, v in render_forms().items()})
    gh.create_repo(REPO, files).permissions[MEMBER] = "triage"
    gh.tokens["demo-token"] = float("inf")


def _deliver(port: int, secret: str, number: int, gh: FakeGitHub) -> None:
    issue = gh.issue_json(gh.repos[REPO], gh.repos[REPO].issues[number])
    body = json.dumps(
        {
            "action": "opened",
            "issue": issue,
            "sender": issue["user"],
            "repository": {"full_name": REPO, "default_branch": "main"},
        }
    ).encode()
    headers = {
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": secrets.token_hex(8),
        "X-Hub-Signature-256": sign(body, secret.encode()),
        "Content-Type": "application/json",
    }
    answer = httpx.post(f"http://127.0.0.1:{port}/webhook", content=body, headers=headers)
    print(f"webhook issues.opened for #{number} → {answer.status_code} {answer.json()}")


def _wait(gh: FakeGitHub, numbers: list[int], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    repo = gh.repos[REPO]
    while time.monotonic() < deadline:
        if all(any(c["issue"] == n for c in repo.comments.values()) for n in numbers):
            return
        time.sleep(0.1)
    raise TimeoutError("the bot did not answer in time")


def _report(gh: FakeGitHub, numbers: list[int]) -> None:
    repo = gh.repos[REPO]
    for pull in repo.pulls.values():
        shown = pull_json(gh, repo, pull)
        print(f"\n=== pull request #{pull['number']}: {pull['title']}\n{pull['body']}")
        diff = repo.git._git("diff", "main", shown["head"]["sha"], "--", "README.md")
        print(f"--- README.md on {pull['head']} vs main\n{diff}")
    for n in numbers:
        for c in repo.comments.values():
            if c["issue"] == n:
                print(f"\n=== status comment on issue #{n}\n{c['body']}")


@contextmanager
def _bot(gh: FakeGitHub, data_dir: Path) -> Iterator[tuple[int, str]]:
    """paperbot as `serve` runs it (endpoint + workers) on a free port; yields port, secret."""
    secret, port = secrets.token_hex(16), _free_port()
    settings = Settings(
        GITHUB_WEBHOOK_SECRET=secret,
        GITHUB_TOKEN="demo-token",
        GITHUB_API_URL=gh.base_url,
        PAPERBOT_DATA_DIR=data_dir,
        PAPERBOT_WRITE_INTERVAL=0,
    )
    bot = runtime.build(settings)
    consumer = bot.huey.create_consumer(workers=2, worker_type="thread")
    consumer.start()
    config = uvicorn.Config(
        bot.app(), host="127.0.0.1", port=port, log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        yield port, secret
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        consumer.stop(graceful=True)
        bot.worker.clients.close()


def run(readme: str | None = None) -> int:
    """Run the demo; 0 when both submissions got their answer."""
    logging.getLogger().setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        gh = FakeGitHub(Path(tmp) / "github")
        fake = serve(gh)
        _seed(gh, readme or data("seed_README.md"))
        try:
            with _bot(gh, Path(tmp) / "data") as (port, secret):
                print(f"fake GitHub at {gh.base_url}, paperbot at http://127.0.0.1:{port}")
                samples = ("paper-report.md", "invalid-report.md")
                numbers = [
                    gh.create_issue(REPO, title=f"[周报] {name}", body=data(name), login=MEMBER)[
                        "number"
                    ]
                    for name in samples
                ]
                for n in numbers:
                    _deliver(port, secret, n, gh)
                _wait(gh, numbers)
                _report(gh, numbers)
        finally:
            fake.shutdown()
            fake.server_close()
    return 0
