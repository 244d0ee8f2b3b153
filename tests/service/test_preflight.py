"""The start-up check against the fake GitHub over HTTP: an App whose JWT GitHub refuses
because this machine's clock is off is told so, in one line, apart from a wrong key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.github.fake.apps import keypair
from app.github.fake.server import FakeGitHub
from app.github.pygithub import Clients
from app.service.preflight import check_github
from app.service.settings import Settings
from tests.fakes import fake_github

APP_ID = 123


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    return keypair()


@pytest.fixture
def gh(tmp_path: Path, keys: tuple[str, str]) -> Iterator[FakeGitHub]:
    with fake_github(tmp_path) as fake:
        fake.apps[APP_ID] = keys[1]
        yield fake


def settings(gh: FakeGitHub, key: str) -> Settings:
    return Settings(
        GITHUB_APP_ID=APP_ID,  # type: ignore[arg-type]
        GITHUB_APP_PRIVATE_KEY=key,
        GITHUB_API_URL=gh.base_url,
    )


@pytest.mark.parametrize(
    ("skew", "said"),
    [
        (0.0, None),
        (30.0, None),  # within the minute GitHub allows
        (600.0, "this machine's clock is behind GitHub's"),  # the JWT has expired for GitHub
        (-180.0, "this machine's clock is ahead of GitHub's"),  # issued in GitHub's future
    ],
)
def test_a_clock_github_disagrees_with_is_named_at_start(
    gh: FakeGitHub, keys: tuple[str, str], skew: float, said: str | None
) -> None:
    gh.clock_skew = skew
    checked = settings(gh, keys[0])
    clients = Clients(checked)
    try:
        problem = check_github(clients, checked)
    finally:
        clients.close()
    if said is None:
        assert problem is None
    else:
        assert problem is not None and problem.startswith("GITHUB_APP_ID: ")
        assert said in problem and "NTP" in problem, problem


def test_a_wrong_key_is_not_taken_for_a_clock(gh: FakeGitHub) -> None:
    checked = settings(gh, keypair()[0])
    clients = Clients(checked)
    try:
        problem = check_github(clients, checked)
    finally:
        clients.close()
    assert problem is not None and "does not accept it" in problem and "clock" not in problem
