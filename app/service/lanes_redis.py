"""Huey's Redis queue as one lane per installation, taken in rotation (fair queueing).

Rules:
- A lane is a list ``<queue key>.lane.<lane>``; the ring ``<queue key>.ring`` lists each lane
  with work exactly once. Every push and every pop is one Lua script (``PUSH`` is shared
  with the store's scripts), so a lane is in the ring exactly when its list is not empty.
- A pop takes the oldest job of the ring's first lane and puts that lane back at the end
  of the ring while it has more: with N lanes busy, a lane waits at most N - 1 pops.
- A push's first write is the job's LPUSH (``pcall``): when Redis refuses it, the push
  writes nothing and says so, so a caller's script can write nothing either.
- Every push also LPUSHes a token onto ``<queue key>.wake`` (kept short): an idle worker
  BRPOPs it for ``read_timeout``, so new work starts at once without polling.
- Jobs left in Huey's own list (queued before lanes) are taken when every lane is empty.
"""

from __future__ import annotations

from typing import Any

import redis
from huey.storage import RedisStorage

from app.service.store import NO_LANE

PUSH = (
    f"local no_lane = '{NO_LANE}'"
    + """
local function push(q, lane, job)
  local n = redis.pcall('LPUSH', q .. '.lane.' .. lane, job)
  if type(n) == 'table' and n.err then return false end
  if n == 1 then redis.call('LPUSH', q .. '.ring', lane) end
  redis.call('LPUSH', q .. '.wake', 1)
  redis.call('LTRIM', q .. '.wake', 0, 63)
  return true
end
"""
)
ENQUEUE = (
    PUSH
    + """
if not push(KEYS[1], ARGV[1], ARGV[2]) then return redis.error_reply('enqueue refused') end
return 1
"""
)
POP = """
local lane = redis.call('RPOP', KEYS[1] .. '.ring')
if not lane then return redis.call('RPOP', KEYS[1]) end
local key = KEYS[1] .. '.lane.' .. lane
local job = redis.call('RPOP', key)
if redis.call('LLEN', key) > 0 then redis.call('LPUSH', KEYS[1] .. '.ring', lane) end
return job
"""
DEPTHS = """
local out = {}
for _, lane in ipairs(redis.call('LRANGE', KEYS[1] .. '.ring', 0, -1)) do
  out[#out + 1] = lane
  out[#out + 1] = redis.call('LLEN', KEYS[1] .. '.lane.' .. lane)
end
out[#out + 1] = ''
out[#out + 1] = redis.call('LLEN', KEYS[1])
return out
"""
FLUSH = """
for _, lane in ipairs(redis.call('LRANGE', KEYS[1] .. '.ring', 0, -1)) do
  redis.call('DEL', KEYS[1] .. '.lane.' .. lane)
end
redis.call('DEL', KEYS[1] .. '.ring', KEYS[1] .. '.wake', KEYS[1])
"""


class LanedRedisStorage(RedisStorage):  # type: ignore[misc]  # huey has no type hints
    """RedisStorage whose queue is one lane per installation, taken round-robin."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wake_key = self.queue_key + ".wake"
        self._scripts = {
            name: self.conn.register_script(src)
            for name, src in (("enqueue", ENQUEUE), ("pop", POP), ("depths", DEPTHS))
        }
        self._flush = self.conn.register_script(FLUSH)

    def enqueue(self, data: bytes, priority: Any = None, *, lane: str = NO_LANE) -> None:
        self._scripts["enqueue"](keys=[self.queue_key], args=[lane, data])

    def dequeue(self) -> bytes | None:
        job: bytes | None = self._scripts["pop"](keys=[self.queue_key])
        if job is None and self.blocking:
            try:
                self.conn.brpop(self.wake_key, timeout=self.read_timeout)
            except (redis.TimeoutError, TypeError, IndexError):
                return None  # as Huey's BRPOP: a ConnectionError propagates for its backoff
            job = self._scripts["pop"](keys=[self.queue_key])
        return job

    def lane_depths(self) -> dict[str, int]:
        """Jobs queued per lane (lanes with none are left out)."""
        flat = self._scripts["depths"](keys=[self.queue_key])
        depths: dict[str, int] = {}
        for key, n in zip(flat[::2], flat[1::2], strict=True):
            if n:
                lane = key.decode() or NO_LANE  # Huey's own list: jobs from before lanes
                depths[lane] = depths.get(lane, 0) + int(n)
        return depths

    def queue_size(self) -> int:
        return sum(self.lane_depths().values())

    def enqueued_items(self, limit: int | None = None) -> list[bytes]:
        """Every queued job, lane by lane in the ring's order (oldest first in each)."""
        lanes = [x.decode() for x in self.conn.lrange(self.queue_key + ".ring", 0, -1)][::-1]
        keys = [f"{self.queue_key}.lane.{lane}" for lane in lanes] + [self.queue_key]
        items = [job for key in keys for job in self.conn.lrange(key, 0, -1)[::-1]]
        return items[:limit] if limit else items

    def flush_queue(self) -> None:
        self._flush(keys=[self.queue_key])
