"""Shared test fixtures: the seed README and a fixed 'today'."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.core.config import Config

if TYPE_CHECKING:
    from app.flows.context import Context
    from app.github.fake.server import FakeGitHub
    from app.lookup.fake.server import FakeMetadata

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2025, 7, 10)


@pytest.fixture(autouse=True)
def no_metadata_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test (nor a command it runs) asks the real arXiv, Crossref, OpenReview or DBLP:
    tests that look papers up point a lookup at the fake services (``services``)."""
    monkeypatch.setenv("PAPERBOT_METADATA", "off")


@pytest.fixture
def services() -> Iterator[FakeMetadata]:
    """The fake metadata services (arXiv, Crossref, OpenReview, DBLP, figure files)."""
    from app.lookup.fake.server import serve

    with serve() as fake:
        yield fake


@pytest.fixture(scope="session")
def seed() -> str:
    return (FIXTURES / "seed_README.md").read_text(encoding="utf-8")


@pytest.fixture
def config() -> Config:
    return Config()


@pytest.fixture
def gh(tmp_path: Path) -> Iterator[FakeGitHub]:
    """A fake GitHub over HTTP, holding the seed README in group/log (see tests/fakes.py)."""
    from app.flows.context import clear_caches
    from tests.fakes import fake_github

    clear_caches()
    with fake_github(tmp_path / "gh") as fake:
        yield fake


@pytest.fixture
def ctx(gh: FakeGitHub) -> Iterator[Context]:
    """A flow ctx on group/log through paperbot's real PyGithub adapter."""
    from app.github.pygithub import Clients
    from tests.fakes import context_for, settings_for

    clients = Clients(settings_for(gh))
    yield context_for(clients)
    clients.close()
