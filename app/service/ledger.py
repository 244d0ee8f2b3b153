"""The flows' Ledger and the lookups' cache over the queue's storage (SQLite or Redis).

Rules:
- A claim is atomic (Redis ``SET NX``, one SQLite upsert that applies only over an expired
  row), so of any number of workers and replicas exactly one wins, and the record outlives
  restarts (it lives where the queue lives).
- Every claim and record expires: ``keep(key)`` after it was last written (``KEEP``, or a
  longer time for the prefixes of ``KEEP_LONGER``), on the ledger's clock. Redis drops a
  key itself (one key each, ``PXAT``); SQLite prunes expired rows on every write. Nothing
  grows with time: what a tick or a lookup writes is gone once it is not needed.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from huey import Huey
from huey.storage import RedisStorage

DAY = 86400.0
KEEP = 35 * DAY  # a week's claims and reminders, a day's refresh, the 30-day lookup cache
KEEP_LONGER = {  # records that must outlive a long-open pull request or a late replay
    "branch-heads:": 400 * DAY,
    "command:": 400 * DAY,
}
Clock = Callable[[], float]
SCHEMA = (
    "create table if not exists paperbot_ledger (key text primary key, value blob not null,"
    " expires real not null)",
    "create index if not exists paperbot_ledger_expires on paperbot_ledger (expires)",
)
CLAIM = (
    "insert into paperbot_ledger (key, value, expires) values (?, ?, ?) on conflict (key)"
    " do update set value = excluded.value, expires = excluded.expires"
    " where paperbot_ledger.expires < ?"
)
WRITE = (
    "insert into paperbot_ledger (key, value, expires) values (?, ?, ?) on conflict (key)"
    " do update set value = excluded.value, expires = excluded.expires"
)


def keep(key: str) -> float:
    """Seconds ``key`` is kept after it was last written."""
    return next((s for prefix, s in KEEP_LONGER.items() if key.startswith(prefix)), KEEP)


class QueueLedger:
    """Claims and records (the lookups' cache too: ``app.lookup.cache.KeyValue``) by key,
    each with its own expiry, beside the queue."""

    def __init__(self, huey: Huey, *, clock: Clock = time.time) -> None:
        storage = huey.storage
        redis_backed = isinstance(storage, RedisStorage)
        self.keys = RedisKeys(storage, clock) if redis_backed else SqliteKeys(storage, clock)

    def claim(self, key: str) -> bool:
        return self.keys.claim(key)

    def take(self, key: str) -> bool:
        return self.keys.take(key)

    def read(self, key: str) -> bytes | None:
        return self.keys.read(key)

    def write(self, key: str, value: bytes) -> None:
        self.keys.write(key, value)


class RedisKeys:
    """One Redis key per claim or record, ``<queue name>:ledger:<key>``, with ``PXAT``."""

    def __init__(self, storage: Any, clock: Clock) -> None:
        self.conn, self.prefix, self.clock = storage.conn, f"{storage.name}:ledger:", clock

    def _until(self, key: str) -> int:
        return int((self.clock() + keep(key)) * 1000)

    def claim(self, key: str) -> bool:
        return bool(self.conn.set(self.prefix + key, b"1", nx=True, pxat=self._until(key)))

    def take(self, key: str) -> bool:
        return bool(self.conn.delete(self.prefix + key))

    def read(self, key: str) -> bytes | None:
        got = self.conn.get(self.prefix + key)
        return None if got is None else bytes(got)

    def write(self, key: str, value: bytes) -> None:
        self.conn.set(self.prefix + key, value, pxat=self._until(key))


class SqliteKeys:
    """Rows of ``paperbot_ledger`` in the queue's file, through Huey's connection and lock."""

    def __init__(self, storage: Any, clock: Clock) -> None:
        self.storage, self.clock = storage, clock
        with self._tx() as cur:
            for statement in SCHEMA:
                cur.execute(statement)

    def _tx(self) -> AbstractContextManager[sqlite3.Cursor]:
        tx: AbstractContextManager[sqlite3.Cursor] = self.storage.db(commit=True)
        return tx

    def claim(self, key: str) -> bool:
        now = self.clock()
        with self._tx() as cur:
            cur.execute(CLAIM, (key, b"1", now + keep(key), now))
            claimed = cur.rowcount == 1
            cur.execute("delete from paperbot_ledger where expires < ?", (now,))
        return claimed

    def take(self, key: str) -> bool:
        with self._tx() as cur:
            cur.execute(
                "delete from paperbot_ledger where key = ? and expires >= ?", (key, self.clock())
            )
            return cur.rowcount == 1

    def read(self, key: str) -> bytes | None:
        with self.storage.db() as cur:
            cur.execute(
                "select value from paperbot_ledger where key = ? and expires >= ?",
                (key, self.clock()),
            )
            row = cur.fetchone()
        return None if row is None else bytes(row[0])

    def write(self, key: str, value: bytes) -> None:
        now = self.clock()
        with self._tx() as cur:
            cur.execute(WRITE, (key, value, now + keep(key)))
            cur.execute("delete from paperbot_ledger where expires < ?", (now,))
