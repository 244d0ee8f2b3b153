"""GitHub App auth through the real PyGithub stack: JWT → installation token, refreshed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.flows.context import Context, clear_caches
from app.flows.submission import process_issue
from app.github import pygithub
from app.github.fake.apps import keypair
from app.github.fake.server import FakeGitHub
from app.github.port import Forbidden, Gone
from app.github.pygithub import Clients
from app.service.jobs import Worker
from app.service.queue import make_huey
from app.service.settings import Settings
from app.service.store import Accepted
from tests.conftest import TODAY
from tests.fakes import MEMBER, REPO, fake_github, report_body

APP_ID, INSTALLATION = 123, 42


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    return keypair()


@pytest.fixture
def gh(tmp_path: Path, keys: tuple[str, str]) -> Iterator[FakeGitHub]:
    clear_caches()
    with fake_github(tmp_path) as fake:
        fake.apps[APP_ID] = keys[1]
        fake.installations.add(INSTALLATION)
        yield fake


@pytest.fixture
def clients(gh: FakeGitHub, keys: tuple[str, str]) -> Iterator[Clients]:
    settings = Settings(
        GITHUB_WEBHOOK_SECRET="s",
        GITHUB_APP_ID=APP_ID,  # type: ignore[arg-type]
        GITHUB_APP_PRIVATE_KEY=keys[0],
        GITHUB_API_URL=gh.base_url,
        PAPERBOT_WRITE_INTERVAL=0,
    )
    made = Clients(settings)
    yield made
    made.close()


def test_installation_token_is_minted_and_reused(gh: FakeGitHub, clients: Clients) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    ctx = Context(clients.repo(REPO, INSTALLATION), "main", lambda zone: TODAY)
    assert process_issue(ctx, 1) == "submitted"
    assert gh.issued == 1 and len(gh.repos[REPO].pulls) == 1


def test_a_token_expiring_mid_job_is_refreshed(gh: FakeGitHub, clients: Clients) -> None:
    gh.token_lifetime = 21  # PyGithub renews a token 20 s before it expires
    gh.latency = 0.15  # so the ctx outlives the first token's margin
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    ctx = Context(clients.repo(REPO, INSTALLATION), "main", lambda zone: TODAY)
    assert process_issue(ctx, 1) == "submitted"
    assert gh.issued >= 2


def test_an_uninstalled_app_ends_the_job(gh: FakeGitHub, clients: Clients, tmp_path: Path) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    worker = Worker(clients.settings, huey, clients=clients)
    assert worker.run("process_issue", repo=REPO, installation=7, number=1) == "gone"
    with pytest.raises(Gone):
        clients.repo(REPO, 7).get_issue(1)
    huey.store.accept([Accepted("d", b"job", REPO, 7)], 1.0)  # known from a delivery
    assert worker.run("reconcile", repo=REPO, installation=7) == "gone"
    assert huey.store.repos() == {}  # no reconcile or weekly job queued for it any more


def test_an_app_needs_the_installation_id(clients: Clients) -> None:
    with pytest.raises(Forbidden, match="installation id"):
        clients.repo(REPO, None)


def test_a_wrong_token_is_bad_credentials(gh: FakeGitHub) -> None:
    settings = Settings(
        GITHUB_WEBHOOK_SECRET="s",
        GITHUB_TOKEN="not-issued",  # type: ignore[arg-type]
        GITHUB_API_URL=gh.base_url,
        PAPERBOT_WRITE_INTERVAL=0,
    )
    made = Clients(settings)
    with pytest.raises(Forbidden, match="401"):
        made.repo(REPO, None).get_issue(1)
    made.close()


def test_an_apps_login_is_its_slug_from_get_app_asked_once(
    gh: FakeGitHub, clients: Clients
) -> None:
    gh.slugs[APP_ID] = "reading-group"
    gh.create_issue(REPO, title="x", body=report_body(date="next week"), login=MEMBER)
    ctx = Context(clients.repo(REPO, INSTALLATION), "main", lambda zone: TODAY)
    assert process_issue(ctx, 1) == "invalid"
    (status,) = gh.repos[REPO].comments.values()
    assert status["user"] == {"login": "reading-group[bot]", "id": 9123, "type": "Bot"}
    clear_caches()  # a new job finds its comment by authorship: the App's login, from GET /app
    fresh = Clients(clients.settings)
    ctx = Context(fresh.repo(REPO, INSTALLATION), "main", lambda zone: TODAY)
    gh.repos[REPO].issues[1]["body"] = report_body()
    assert process_issue(ctx, 1) == "submitted"
    assert len(gh.repos[REPO].comments) == 1 and gh.requests["GET app"] == 1
    assert fresh.repo(REPO, INSTALLATION).bot_login() == "reading-group[bot]"
    assert gh.requests["GET app"] == 1
    fresh.close()


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_an_installation_served_once_keeps_no_connection_open(
    gh: FakeGitHub, clients: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker serving many installations holds clients (and their connections to GitHub)
    for the most recent ``MAX_CLIENTS`` only: an idle installation costs it nothing."""
    monkeypatch.setattr(pygithub, "MAX_CLIENTS", 4, raising=False)
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.installations.update(range(1000, 1040))
    for installation in range(1000, 1004):
        assert clients.repo(REPO, installation).get_issue(1).title == "x"
    held = open_files()
    for installation in range(1004, 1040):
        assert clients.repo(REPO, installation).get_issue(1).title == "x"
    assert open_files() <= held + 2  # 36 more installations served, no more files open
    issued = gh.issued
    assert clients.repo(REPO, 1000).get_issue(1).title == "x"  # one served long ago: anew
    assert gh.issued == issued + 1
