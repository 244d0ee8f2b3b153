"""The fake metadata services, and a lookup pointed at them with no pacing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import pytest

from app.lookup.fake.server import FakeMetadata
from app.lookup.http import Pacing
from app.lookup.resolve import HttpLookup, pacings
from tests.lookup.stand_ins import figures_for


@pytest.fixture
def make_lookup(services: FakeMetadata) -> Iterator[Callable[..., HttpLookup]]:
    """``make_lookup(budget=…, pacing=…, **settings)``: a lookup closed after the test."""
    made: list[HttpLookup] = []

    def make(
        budget: float = 2.0, pacing: Mapping[str, Pacing] | None = None, **changes: str
    ) -> HttpLookup:
        port = HttpLookup(
            services.settings(**changes),
            budget=budget,
            pacing=pacing or pacings({}),
            figures=figures_for(services.base_url, budget=budget),
        )
        made.append(port)
        return port

    yield make
    for port in made:
        port.close()


@pytest.fixture
def lookup(make_lookup: Callable[..., HttpLookup]) -> HttpLookup:
    return make_lookup()
