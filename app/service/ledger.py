"""The flows' Ledger and the lookups' cache over the queue's storage (SQLite or Redis).

Rule: a claim is Huey's atomic ``put_if_empty``, so of any number of workers and replicas
exactly one wins, and the record outlives restarts (it lives where the queue lives).
"""

from __future__ import annotations

from huey import Huey
from huey.constants import EmptyData


class QueueLedger:
    """Claims recorded in the queue's storage under ``ledger:<key>``; records (the lookups'
    cache, ``app.lookup.cache.KeyValue``) under ``kv:<key>``."""

    def __init__(self, huey: Huey) -> None:
        self.storage = huey.storage

    def claim(self, key: str) -> bool:
        return bool(self.storage.put_if_empty(f"ledger:{key}", b"1"))

    def take(self, key: str) -> bool:
        return self.storage.pop_data(f"ledger:{key}") is not EmptyData

    def read(self, key: str) -> bytes | None:
        """A record kept under ``key`` (the lookups' 30-day cache), or None."""
        got = self.storage.peek_data(f"kv:{key}")
        return None if got is EmptyData else bytes(got)

    def write(self, key: str, value: bytes) -> None:
        self.storage.put_data(f"kv:{key}", value)
