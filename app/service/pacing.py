"""The pacer shared by every process of a deployment, kept in the queue's own storage.

Rules:
- One entry per key (``github:<installation>``, ``github:token``, ``lookup:<service>``):
  the next free slot and the end of a pause, both epoch seconds of the storage's clock:
  Redis's own (``TIME`` inside the script), so hosts whose clocks disagree by seconds are
  still paced together; a caller passes a pause as seconds from its own now. SQLite is one
  host's file, on that host's clock.
- Reserving is one atomic step: in Redis one Lua script on the hash
  ``<queue name>:pace:<key>``; in SQLite one ``BEGIN EXCLUSIVE`` transaction on the table
  ``paperbot_pace`` of the queue's file, so processes sharing the file are paced together
  (a request that takes no slot, a read, only looks for a pause: no write lock).
- Entries expire: a Redis hash ``PEXPIRE``s a minute after its last slot or pause ends; a
  SQLite row is deleted by the next write after that minute.
- Every slot's wait is observed in ``paperbot_pacing_wait_seconds`` (kind ``github`` or
  ``lookup``); every pause counts in ``paperbot_secondary_limit_pauses_total``.
"""

from __future__ import annotations

import time
from typing import Any

from app.service import metrics

KEEP = 60.0  # seconds an entry outlives its last slot or pause
CLOCK = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
"""
RESERVE = (
    CLOCK
    + """
local interval = tonumber(ARGV[1])
local nxt = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
local untl = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
local start = math.max(now, untl)
if interval > 0 then start = math.max(start, nxt) end
if start - now > tonumber(ARGV[2]) or untl - now > tonumber(ARGV[3]) then
  return {0, tostring(start - now)}
end
if interval > 0 then
  redis.call('HSET', KEYS[1], 'next', tostring(start + interval))
  local last = math.max(start + interval, untl)
  redis.call('PEXPIRE', KEYS[1], math.ceil((last - now + ARGV[4]) * 1000))
end
return {1, tostring(start - now)}
"""
)
PAUSE = (
    CLOCK
    + """
local untl = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
local want = now + tonumber(ARGV[1])
if want > untl then
  redis.call('HSET', KEYS[1], 'until', tostring(want))
  local nxt = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
  local last = math.max(want, nxt)
  redis.call('PEXPIRE', KEYS[1], math.ceil((last - now + ARGV[2]) * 1000))
end
"""
)
SCHEMA = (
    "create table if not exists paperbot_pace (key text primary key,"
    " next real not null default 0, until real not null default 0)"
)


def _observe(key: str, wait: float) -> None:
    metrics.PACING_WAIT.labels(key.partition(":")[0]).observe(wait)


class RedisPacer:
    """Slots and pauses in Redis, beside Huey's keys."""

    def __init__(self, storage: Any) -> None:
        self.conn = storage.conn
        self.prefix = f"{storage.name}:pace:"
        self._reserve = self.conn.register_script(RESERVE)
        self._pause = self.conn.register_script(PAUSE)

    def reserve(
        self, key: str, *, interval: float, patience: float, hold: float
    ) -> tuple[bool, float]:
        args = [repr(interval), repr(patience), repr(hold), repr(KEEP)]
        granted, wait = self._reserve(keys=[self.prefix + key], args=args)
        if granted and interval > 0:
            _observe(key, float(wait))
        return bool(granted), float(wait)

    def pause(self, key: str, until: float) -> None:
        metrics.SECONDARY_PAUSES.labels(key.partition(":")[0]).inc()
        seconds = until - time.time()  # this host's clock only: Redis adds its own now
        self._pause(keys=[self.prefix + key], args=[repr(seconds), repr(KEEP)])


class SqlitePacer:
    """Slots and pauses in a table of the queue's SQLite file."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage
        with storage.db(commit=True) as cur:
            cur.execute(SCHEMA)

    def reserve(
        self, key: str, *, interval: float, patience: float, hold: float
    ) -> tuple[bool, float]:
        with self.storage.db(commit=interval > 0) as cur:  # a read only looks for a pause
            now = time.time()
            row = cur.execute("select next, until from paperbot_pace where key = ?", (key,))
            nxt, until = row.fetchone() or (0.0, 0.0)
            start = max(now, until, nxt if interval > 0 else 0.0)
            if start - now > patience or until - now > hold:
                return False, start - now
            if interval > 0:
                cur.execute(
                    "insert into paperbot_pace (key, next) values (?, ?) on conflict (key)"
                    " do update set next = excluded.next",
                    (key, start + interval),
                )
                _prune(cur, now)
                _observe(key, start - now)
        return True, start - now

    def pause(self, key: str, until: float) -> None:
        metrics.SECONDARY_PAUSES.labels(key.partition(":")[0]).inc()
        with self.storage.db(commit=True) as cur:
            cur.execute(
                "insert into paperbot_pace (key, until) values (?, ?) on conflict (key)"
                " do update set until = max(until, excluded.until)",
                (key, until),
            )
            _prune(cur, time.time())


def _prune(cur: Any, now: float) -> None:
    cur.execute("delete from paperbot_pace where next < ? and until < ?", (now - KEEP, now - KEEP))


def make_pacer(storage: Any, *, redis_backed: bool) -> RedisPacer | SqlitePacer:
    return RedisPacer(storage) if redis_backed else SqlitePacer(storage)
