"""Pure adapter helpers: the bounded ETag cache, ``Link`` paging and the bot's identity."""

from __future__ import annotations

import threading

import pytest

from app.github.shapes import EtagCache, Identity, next_link


def test_the_etag_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache = EtagCache(entries=3)
    for n in range(3):
        cache.put(f"/contents/{n}", f'"e{n}"', data={"n": n}, size=10)
    assert cache.get("/contents/0") == ('"e0"', {"n": 0})  # used: now the most recent
    for n in range(3, 1000):
        cache.put(f"/contents/{n}", f'"e{n}"', data={"n": n}, size=10)
        cache.get("/contents/0")
    assert len(cache) == 3 and cache.get("/contents/0") is not None
    assert cache.get("/contents/1") is None and cache.get("/contents/999") is not None


def test_the_etag_cache_keeps_no_large_answer() -> None:
    cache = EtagCache()
    cache.put("/contents/README.md", '"e"', data={"content": "x"}, size=EtagCache.MAX_BYTES + 1)
    assert cache.get("/contents/README.md") is None


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (
            '<https://api.github.com/x?page=2>; rel="next", <https://a/x?page=9>; rel="last"',
            "https://api.github.com/x?page=2",
        ),
        ('<https://a/x?page=1>; rel="prev", <https://a/x?page=1>; rel="first"', None),
        ("", None),
    ],
)
def test_next_link_follows_only_rel_next(link: str, expected: str | None) -> None:
    assert next_link(link) == expected


def test_the_identity_is_asked_once_however_many_threads_need_it() -> None:
    asked: list[int] = []
    identity = Identity(lambda: asked.append(1) or "group-bot")
    threads = [threading.Thread(target=identity.get) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert identity.get() == "group-bot" and asked == [1]


def test_what_was_written_teaches_the_identity_but_never_overrides_it() -> None:
    learned = Identity(lambda: "asked")
    learned.learn("paperbot[bot]")
    assert learned.get() == "paperbot[bot]"
    fixed = Identity(fixed="github-actions[bot]")
    fixed.learn("someone")
    assert fixed.known() == "github-actions[bot]"
