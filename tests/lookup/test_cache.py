"""Lookups remembered for 30 days: found metadata (keyed by the paper) and every figure verdict."""

from __future__ import annotations

import hashlib
import json

import pytest

from app.core.paper import FigureCheck, Found, LookupFailure, PaperMeta
from app.lookup.cache import Cached, MemoryKeyValue

META = PaperMeta(
    title="T", link="https://arxiv.org/abs/2108.08504", arxiv="2108.08504", source="arxiv"
)
DAY = 86400.0


class Counting:
    """A lookup that answers from a script and counts what it was asked."""

    def __init__(self, found: Found = META, figure: str = "image") -> None:
        self.found, self.verdict, self.asked = found, figure, 0

    def lookup(self, link: str) -> Found:
        self.asked += 1
        return self.found

    def figure(self, url: str) -> FigureCheck:
        self.asked += 1
        return FigureCheck(url=url, verdict=self.verdict)  # type: ignore[arg-type]

    def close(self) -> None:
        pass


class Clock:
    now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


def test_found_once_then_remembered_for_30_days() -> None:
    inner, clock, store = Counting(), Clock(), MemoryKeyValue()
    cached = Cached(inner, store, clock=clock)
    assert cached.lookup("https://arxiv.org/pdf/2108.08504") == META
    clock.now += 29 * DAY
    assert cached.lookup("arXiv:2108.08504") == META  # the same paper, written another way
    assert inner.asked == 1
    clock.now += 2 * DAY
    assert cached.lookup("https://arxiv.org/abs/2108.08504") == META
    assert inner.asked == 2


def test_shared_through_the_store() -> None:
    inner, store = Counting(), MemoryKeyValue()
    Cached(inner, store).lookup("https://arxiv.org/abs/2108.08504")
    Cached(Counting(LookupFailure(reason="timeout")), store).lookup(
        "https://arxiv.org/abs/2108.08504"
    )
    assert inner.asked == 1 and len(store._data) == 1


def test_failures_are_asked_again() -> None:
    inner = Counting(LookupFailure(reason="timeout", service="arXiv"))
    cached = Cached(inner, MemoryKeyValue())
    cached.lookup("https://arxiv.org/abs/2108.08504")
    cached.lookup("https://arxiv.org/abs/2108.08504")
    assert inner.asked == 2


def test_a_version_is_another_record() -> None:
    inner = Counting()
    cached = Cached(inner, MemoryKeyValue())
    cached.lookup("https://arxiv.org/abs/2108.08504v1")
    cached.lookup("https://arxiv.org/abs/2108.08504v2")
    assert inner.asked == 2


def test_unreadable_records_are_asked_again() -> None:
    inner, store = Counting(), MemoryKeyValue()
    for junk in (b"not json", b"[]", b'{"at": "x"}', b'{"at": 1e18, "value": {"title": 3}}'):
        store.write("paper:arxiv:2108.08504", junk)
        assert Cached(inner, store).lookup("https://arxiv.org/abs/2108.08504") == META
    assert inner.asked == 4


@pytest.mark.parametrize(
    ("verdict", "asked"),
    [
        ("image", 1),
        ("not_image", 1),  # negative verdicts too: editing an issue asks no URL again
        ("unreachable", 1),
        ("unchecked", 2),  # no request was made (lookups off, or every worker busy)
        ("trusted", 2),  # no request is made
    ],
)
def test_figure_verdicts_are_remembered(verdict: str, asked: int) -> None:
    inner, store = Counting(figure=verdict), MemoryKeyValue()
    first = Cached(inner, store).figure("https://example.org/a.png")
    again = Cached(inner, store).figure("https://example.org/a.png")
    assert inner.asked == asked and again == first


def test_a_figure_record_of_another_version_is_asked_again() -> None:
    inner, store, clock = Counting(figure="image"), MemoryKeyValue(), Clock()
    key = "figure:" + hashlib.sha256(b"https://example.org/a.png").hexdigest()[:40]
    store.write(key, json.dumps({"at": clock.now, "value": {"type": "image/png"}}).encode())
    assert Cached(inner, store, clock=clock).figure("https://example.org/a.png").verdict == "image"
    assert inner.asked == 1
