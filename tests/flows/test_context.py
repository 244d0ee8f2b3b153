"""What flows share: the process caches are bounded, least recently used dropped first."""

from __future__ import annotations

from app.flows.context import STATUS_IDS, TtlCache


def test_the_ttl_cache_is_bounded() -> None:
    cache: TtlCache[str, int] = TtlCache(600, entries=100)
    loads = []
    for n in range(10_000):
        cache.get(f"member{n}", lambda n=n: loads.append(n) or n)  # type: ignore[misc]
        cache.get("maintainer", lambda: 1)
    assert len(cache) == 100 and len(loads) == 10_000
    assert cache.peek("maintainer") == 1 and cache.peek("member0") is None


def test_an_expired_entry_is_loaded_again() -> None:
    cache: TtlCache[str, str] = TtlCache(0.0)
    cache.put("role", "triage")
    assert cache.peek("role") is None and cache.get("role", lambda: "admin") == "admin"


def test_remembered_status_comments_are_bounded() -> None:
    for n in range(STATUS_IDS.entries + 500):
        STATUS_IDS.put(("group/log", n), n)
    assert len(STATUS_IDS) == STATUS_IDS.entries
    STATUS_IDS.clear()
