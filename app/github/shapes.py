"""GitHub's JSON as paperbot's port types, rate-limit and ``Link`` headers, a conditional-GET
cache and the bot's identity.

Pure helpers for the PyGithub adapter, kept apart so that the adapter stays the one file that
imports ``github``.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from app.github.port import Comment, Issue, Pull

_RATE_WORDS = ("rate limit", "abuse", "secondary")
_SECONDS = re.compile(r"[0-9]{1,12}")
MAX_WAIT = 3600.0  # GitHub's primary limit resets within the hour; no honest wait is longer
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


def next_link(link: str) -> str | None:
    """The next page's URL in a ``Link`` header, or None on the last page."""
    m = _NEXT.search(link)
    return m[1] if m else None


def wait_from(headers: dict[str, str]) -> float | None:
    """Seconds to wait: Retry-After, else until x-ratelimit-reset; None when not told. At most
    ``MAX_WAIT``: one answer never pauses an installation for longer; a value that is no
    plain number of seconds (``-5``, ``²``, a date) is not told."""
    after = headers.get("retry-after", "")
    if _SECONDS.fullmatch(after):
        return min(float(after), MAX_WAIT)
    reset = headers.get("x-ratelimit-reset", "")
    if headers.get("x-ratelimit-remaining") == "0" and _SECONDS.fullmatch(reset):
        return min(max(0.0, float(reset) - time.time()) + 1, MAX_WAIT)
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
        author=(p.get("user") or {}).get("login", ""),
        updated_at=p.get("updated_at") or "",
    )


def comment_from(c: dict[str, Any]) -> Comment:
    return Comment(c["id"], c.get("body") or "", (c.get("user") or {}).get("login", ""))


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
        url=d.get("html_url") or "",
    )


class EtagCache:
    """Small GET answers by URL with their ETag, for conditional requests (a 304 is free);
    at most ``entries`` of them, the least recently used dropped first."""

    MAX_BYTES = 64 * 1024

    def __init__(self, entries: int = 512) -> None:
        self.entries = entries
        self._data: OrderedDict[str, tuple[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: str) -> tuple[str, Any] | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: str, etag: str | None, *, data: Any, size: int) -> None:
        if etag and size <= self.MAX_BYTES:
            with self._lock:
                self._data[key] = (etag, data)
                self._data.move_to_end(key)
                while len(self._data) > self.entries:
                    self._data.popitem(last=False)


class ShaCache:
    """Files as they are at a commit: immutable, so kept without asking again; at most
    ``max_bytes`` of text, the least recently used dropped first."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._data: OrderedDict[tuple[str, str, str], tuple[Any, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: tuple[str, str, str], load: Callable[[], Any]) -> Any:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
                return hit[0]
        value = load()
        weight = len(getattr(value, "text", "")) + 64
        with self._lock:
            if key not in self._data and weight <= self.max_bytes:
                self._data[key] = (value, weight)
                self._size += weight
            while self._size > self.max_bytes:
                self._size -= self._data.popitem(last=False)[1][1]
        return value


class Identity:
    """The login paperbot writes as: fixed by the settings, learned from what it wrote, or
    asked of GitHub once (``ask``) when first needed."""

    def __init__(self, ask: Callable[[], str] | None = None, *, fixed: str = "") -> None:
        self._ask, self._fixed = ask, bool(fixed)
        self._login: str | None = fixed or None
        self._lock = threading.Lock()

    def known(self) -> str | None:
        return self._login

    def learn(self, login: str | None) -> None:
        """Our own comment's or PR's author is us."""
        if login and self._login is None:
            self._login = login

    def get(self) -> str:
        if self._login is None:
            with self._lock:  # one question per process, however many threads need it
                if self._login is None:
                    if self._ask is None:
                        raise LookupError("no way to learn the bot's login")
                    self._login = self._ask()
        return self._login
