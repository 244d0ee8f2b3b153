"""GitHub's JSON as paperbot's port types, rate-limit headers, and a conditional-GET cache.

Pure helpers for the PyGithub adapter, kept apart so that the adapter stays the one file that
imports ``github``.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from app.github.port import Issue, Pull

_RATE_WORDS = ("rate limit", "abuse", "secondary")


def wait_from(headers: dict[str, str]) -> float | None:
    """Seconds to wait: Retry-After, else until x-ratelimit-reset; None when not told."""
    if headers.get("retry-after", "").isdigit():
        return float(headers["retry-after"])
    reset = headers.get("x-ratelimit-reset", "")
    if headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
        return max(0.0, float(reset) - time.time()) + 1
    return None


def rate_limited(text: str, headers: dict[str, str]) -> bool:
    words = any(w in text.lower() for w in _RATE_WORDS)
    return words or "retry-after" in headers or headers.get("x-ratelimit-remaining") == "0"


def pull_from(p: dict[str, Any]) -> Pull:
    return Pull(
        number=p["number"],
        state=p["state"],
        merged=bool(p.get("merged_at")),
        title=p["title"],
        body=p.get("body") or "",
        head=p["head"]["ref"],
        head_sha=p["head"]["sha"],
        url=p["html_url"],
    )


def issue_from(d: dict[str, Any]) -> Issue:
    return Issue(
        number=d["number"],
        title=d["title"],
        body=d.get("body"),
        author=d["user"]["login"],
        author_id=d["user"].get("id", 0),
        author_association=d.get("author_association", "NONE"),
        state=d["state"],
        labels=tuple(label["name"] for label in d.get("labels", [])),
        comments=d.get("comments", 0),
        is_pull=bool(d.get("pull_request")),
    )


class EtagCache:
    """Small GET answers by URL with their ETag, for conditional requests (a 304 is free)."""

    MAX_BYTES = 64 * 1024

    def __init__(self) -> None:
        self._data: dict[str, tuple[str, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[str, Any] | None:
        with self._lock:
            return self._data.get(key)

    def put(self, key: str, etag: str | None, data: Any, size: int) -> None:
        if etag and size <= self.MAX_BYTES:
            with self._lock:
                self._data[key] = (etag, data)
