"""The flows' Ledger over the queue's own storage (SQLite or Redis): shared and durable.

Rule: a claim is Huey's atomic ``put_if_empty``, so of any number of workers and replicas
exactly one wins, and the record outlives restarts (it lives where the queue lives).
"""

from __future__ import annotations

from huey import Huey
from huey.constants import EmptyData


class QueueLedger:
    """Claims recorded in the queue's storage under ``ledger:<key>``."""

    def __init__(self, huey: Huey) -> None:
        self.storage = huey.storage

    def claim(self, key: str) -> bool:
        return bool(self.storage.put_if_empty(f"ledger:{key}", b"1"))

    def take(self, key: str) -> bool:
        return self.storage.pop_data(f"ledger:{key}") is not EmptyData
