"""The lookups' 30-day cache in the queue's storage: shared by workers, kept across restarts
(SQLite always; Redis with PAPERBOT_TEST_REDIS_URL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.paper import FigureCheck, Found, PaperMeta
from app.lookup.cache import Cached
from app.service.ledger import QueueLedger
from app.service.lookups import cached_lookup
from app.service.queue import PaperbotHuey
from app.service.settings import SettingsError
from tests.service.test_store import BACKENDS, drop_redis, open_huey

META = PaperMeta(title="T", link="https://arxiv.org/abs/2108.08504", source="arxiv")


class Once:
    """A lookup that may be asked once."""

    asked = 0

    def lookup(self, link: str) -> Found:
        self.asked += 1
        assert self.asked == 1, "asked twice"
        return META

    def figure(self, url: str) -> FigureCheck:
        return FigureCheck(url=url, verdict="unchecked")

    def close(self) -> None:
        pass


@pytest.fixture(params=BACKENDS)
def opened(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[PaperbotHuey]]:
    """Open the same queue storage as often as a test likes (a worker each, or a restart)."""
    name, hueys = f"paperbot-test-{uuid.uuid4().hex}", []

    def again() -> PaperbotHuey:
        hueys.append(open_huey(request.param, tmp_path, name))
        return hueys[-1]

    yield [again(), again()]
    if request.param == "redis":
        drop_redis(hueys[0])


def test_one_worker_looks_up_and_the_next_remembers(opened: list[PaperbotHuey]) -> None:
    inner = Once()
    first, second = (Cached(inner, QueueLedger(h)) for h in opened)
    assert first.lookup("https://arxiv.org/abs/2108.08504") == META
    assert second.lookup("https://arxiv.org/pdf/2108.08504") == META
    assert QueueLedger(opened[1]).read("paper:arxiv:2108.08504") is not None


def test_a_bad_endpoint_is_a_settings_error(
    opened: list[PaperbotHuey], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERBOT_METADATA", "on")
    monkeypatch.setenv("PAPERBOT_OPENREVIEW_API", "api2.openreview.net")
    with pytest.raises(SettingsError, match="PAPERBOT_OPENREVIEW_API"):
        cached_lookup(QueueLedger(opened[0]))
