"""Test wiring: the fake GitHub served over HTTP, and paperbot's real adapter pointed at it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.flows.context import Context
from app.github.fake.server import FakeGitHub
from app.github.fake.start import serve
from app.github.pygithub import Clients
from app.service.settings import Settings
from tests.conftest import FIXTURES, TODAY

REPO = "group/log"
MEMBER = "zhangyu"


def report_body(
    *,
    date: str = "2025-07-06",
    name: str = "新人",
    title: str = "A Paper",
    summary: str = "一句话。",
    link: str = "https://arxiv.org/abs/2401.00001",
) -> str:
    return (
        f"### 日期\n\n{date}\n\n### 姓名\n\n{name}\n\n### 论文标题\n\n{title}\n\n"
        f"### 论文链接\n\n{link}\n\n### 来源\n\n_No response_\n\n"
        "### 论文框架图\n\n_No response_\n\n"
        f"### 论文简述\n\n{summary}"
    )


@contextmanager
def fake_github(root: Path) -> Iterator[FakeGitHub]:
    gh = FakeGitHub(root)
    server = serve(gh)
    seed = (FIXTURES / "seed_README.md").read_text(encoding="utf-8")
    repo = gh.create_repo(REPO, {"README.md": seed})
    repo.permissions.update({MEMBER: "triage", "maintainer": "admin", "reader": "read"})
    try:
        yield gh
    finally:
        server.shutdown()
        server.server_close()


def settings_for(gh: FakeGitHub, **extra: object) -> Settings:
    return Settings(
        GITHUB_WEBHOOK_SECRET="s",
        GITHUB_TOKEN="t",
        GITHUB_API_URL=gh.base_url,
        PAPERBOT_WRITE_INTERVAL=0,
        **extra,
    )  # type: ignore[arg-type]


def context_for(clients: Clients, *, today: dt.date = TODAY) -> Context:
    return Context(port=clients.repo(REPO, None), base="main", clock=lambda zone: today)


def writes(gh: FakeGitHub) -> int:
    """Requests that were not GETs, so far."""
    return sum(n for k, n in gh.requests.items() if not k.startswith("GET"))


def comments_on(gh: FakeGitHub, number: int) -> list[dict[str, object]]:
    """The comments on issue ``number``, oldest first, with their authors."""
    return [c for c in gh.repos[REPO].comments.values() if c["issue"] == number]


def submit(gh: FakeGitHub, ctx: Context, **fields: str) -> int:
    """A member files a report and paperbot opens its PR; the issue's number."""
    from app.flows.submission import process_issue

    number = int(
        gh.create_issue(REPO, title="x", body=report_body(**fields), login=MEMBER)["number"]
    )
    assert process_issue(ctx, number) == "submitted"
    return number


def pull_of(gh: FakeGitHub, number: int) -> dict[str, object]:
    """The newest PR of issue ``number``."""
    head = f"paperbot/issue-{number}"
    return max(
        (p for p in gh.repos[REPO].pulls.values() if p["head"] == head), key=lambda p: p["number"]
    )
