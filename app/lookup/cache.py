"""Lookups remembered for 30 days in the queue's storage (SQLite or Redis), shared by workers.

Rules:
- A paper's metadata is remembered once found; a failed paper lookup is asked again next
  time, since services come back and papers get indexed.
- A figure's verdict is remembered whatever it is (image, not an image, unreachable), so
  editing an issue again and again never makes the bot request a member's URL again.
- A record older than ``DAYS`` is asked again and overwritten; records are JSON with the
  time they were written.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from typing import Protocol

from pydantic import ValidationError

from app.core.links import recognise
from app.core.paper import FigureCheck, Found, PaperMeta
from app.lookup.port import Lookup

DAYS = 30
_CHECKED = {"image", "not_image", "unreachable"}  # the verdicts of a request made (or refused)


class KeyValue(Protocol):
    """Small records by key: the queue's storage in the service, a dict elsewhere."""

    def read(self, key: str) -> bytes | None: ...

    def write(self, key: str, value: bytes) -> None: ...


class MemoryKeyValue:
    """A KeyValue for one process."""

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def read(self, key: str) -> bytes | None:
        with self._lock:
            return self._data.get(key)

    def write(self, key: str, value: bytes) -> None:
        with self._lock:
            self._data[key] = value


class Cached:
    """``inner``, remembering what it found for ``DAYS`` days in ``store``."""

    def __init__(
        self, inner: Lookup, store: KeyValue, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.inner, self.store, self.clock = inner, store, clock

    def lookup(self, link: str) -> Found:
        ref = recognise(link)
        if ref is None:
            return self.inner.lookup(link)
        key = f"paper:{ref.kind}:{ref.id}{ref.version}"
        hit = self._read(key)
        if hit is not None:
            try:
                return PaperMeta.model_validate(hit)
            except ValidationError:
                pass  # written by another version: ask again
        found = self.inner.lookup(link)
        if isinstance(found, PaperMeta):
            self._write(key, found.model_dump(mode="json"))
        return found

    def figure(self, url: str) -> FigureCheck:
        key = "figure:" + hashlib.sha256(url.encode()).hexdigest()[:40]
        hit = self._read(key)
        if isinstance(hit, dict):
            try:
                return FigureCheck.model_validate({**hit, "url": url})
            except ValidationError:
                pass  # written by another version: ask again
        got = self.inner.figure(url)
        if got.verdict in _CHECKED:
            self._write(key, got.model_dump(mode="json", exclude={"url"}))
        return got

    def _read(self, key: str) -> object | None:
        raw = self.store.read(key)
        try:
            record = json.loads(raw) if raw else None
        except ValueError:
            return None
        if not isinstance(record, dict) or not isinstance(record.get("at"), int | float):
            return None
        return record.get("value") if self.clock() - record["at"] < DAYS * 86400 else None

    def _write(self, key: str, value: object) -> None:
        record = {"at": self.clock(), "value": value}
        self.store.write(key, json.dumps(record, ensure_ascii=False).encode())

    def close(self) -> None:
        self.inner.close()
