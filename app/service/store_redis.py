"""The store in Redis, beside Huey's keys: every change that must be atomic is one Lua script.

Rules:
- Keys are ``<queue name>:d:<delivery>`` (a hash with a 7-day EXPIRE), ``:due`` (a sorted set
  of unfinished deliveries by due time), ``:repos`` (a hash), ``:lease:<name>`` (a string
  with PEXPIRE: Redis itself clears a stale lease), ``:wait:<name>``, ``:waiting`` and
  ``:epoch`` (the generation mark, no expiry: its loss means Redis lost everything).
- A script writes nothing before the step that can fail (the job's LPUSH onto its lane,
  ``lanes_redis.PUSH``), so a failed enqueue leaves no claim behind.
- A job queued again goes back to its lane: the delivery hash keeps it (``lane``), and a
  parked job is stored as ``L``, its lane, a newline, the job (one parked before lanes: in
  ``NO_LANE``).
- Its ``maxmemory-policy`` must be ``noeviction`` (a warning at start says so otherwise).
- Not for Redis Cluster: scripts build key names (Huey does not support Cluster either).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis

from app.service import store
from app.service.lanes_redis import PUSH
from app.service.store import CLAIM_SECONDS, NO_LANE, QUEUED_GRACE, SWEEP_LIMIT, Accepted, lane_of


class EnqueueFailed(Exception):
    """Redis refused to queue a job (its claim was not written)."""


WAKE = (
    PUSH
    + """
local function wake(prefix, queue, waiting, name)
  local job = redis.call('LPOP', prefix .. 'wait:' .. name)
  if job and string.sub(job, 1, 1) == 'L' then
    local cut = string.find(job, '\\n', 1, true)
    push(queue, string.sub(job, 2, cut - 1), string.sub(job, cut + 1))
  elseif job then
    push(queue, no_lane, job)
  end
  if redis.call('LLEN', prefix .. 'wait:' .. name) == 0 then redis.call('SREM', waiting, name) end
end
"""
)
ACCEPT = (
    PUSH
    + """
local out = {}
for b = 5, #ARGV, 5 do
  local key = ARGV[1] .. 'd:' .. ARGV[b]
  local state = redis.call('HGET', key, 'state')
  local job = redis.call('HGET', key, 'job')
  if (state == 'failed' or state == 'waiting') and job then
    push(KEYS[1], redis.call('HGET', key, 'lane') or ARGV[b + 4], job)
    redis.call('HSET', key, 'state', 'accepted')
    redis.call('ZADD', KEYS[2], ARGV[2] + ARGV[4], ARGV[b])
    out[#out + 1] = 1
  elseif redis.call('EXISTS', key) == 1 then
    out[#out + 1] = 0
  else
    if not push(KEYS[1], ARGV[b + 4], ARGV[b + 1]) then
      out[#out + 1] = -1
    else
      redis.call('HSET', key, 'job', ARGV[b + 1], 'state', 'accepted', 'accepted', ARGV[2],
        'lane', ARGV[b + 4])
      redis.call('EXPIRE', key, ARGV[3])
      redis.call('ZADD', KEYS[2], ARGV[2] + ARGV[4], ARGV[b])
      redis.call('HSET', KEYS[3], ARGV[b + 2], ARGV[b + 3])
      out[#out + 1] = 1
    end
  end
end
return out
"""
)
BEGIN = """
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'done' or state == 'failed' then return 0 end
if state then
  redis.call('HSET', KEYS[1], 'state', 'running')
  redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
end
return 1
"""
WAIT = """
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'accepted' or state == 'running' or state == 'waiting' then
  redis.call('HSET', KEYS[1], 'state', 'waiting', 'why', ARGV[3])
  redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
end
"""
FINISH = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'state', ARGV[1], 'done', ARGV[2], 'why', ARGV[4])
  if ARGV[1] == 'done' then redis.call('HDEL', KEYS[1], 'job') end
end
redis.call('ZREM', KEYS[2], ARGV[3])
"""
RECOVER = (
    WAKE
    + """
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[2], 'LIMIT', 0, ARGV[4])
local n = 0
for _, id in ipairs(ids) do
  local key = ARGV[1] .. 'd:' .. id
  local job = redis.call('HGET', key, 'job')
  if job then
    push(KEYS[1], redis.call('HGET', key, 'lane') or no_lane, job)
    redis.call('HSET', key, 'state', 'accepted')
    redis.call('ZADD', KEYS[2], ARGV[2] + ARGV[3], id)
    n = n + 1
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
for _, name in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if redis.call('EXISTS', ARGV[1] .. 'lease:' .. name) == 0 then
    wake(ARGV[1], KEYS[1], KEYS[3], name)
  end
end
return n
"""
)
TAKE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if ARGV[3] ~= '' then
  redis.call('RPUSH', KEYS[2], ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[4])
end
return 0
"""
RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
RELEASE = (
    WAKE
    + """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  wake(ARGV[2], KEYS[2], KEYS[3], ARGV[3])
end
"""
)


EPOCH = """
local mark = redis.call('GET', KEYS[1])
if mark then return mark end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
"""


class RedisStore:
    """The store in the Redis that holds Huey's queue (``storage`` is Huey's RedisStorage)."""

    local = False
    unavailable: tuple[type[Exception], ...] = (
        redis.ConnectionError,
        redis.TimeoutError,
        redis.OutOfMemoryError,
    )

    def __init__(self, storage: Any) -> None:
        self.conn = storage.conn
        self.queue = storage.queue_key
        self.prefix = f"{storage.name}:"
        self.due, self.waiting = self.prefix + "due", self.prefix + "waiting"
        self.scripts = {
            name: self.conn.register_script(src)
            for name, src in (
                ("accept", ACCEPT),
                ("begin", BEGIN),
                ("wait", WAIT),
                ("finish", FINISH),
                ("recover", RECOVER),
                ("take", TAKE),
                ("renew", RENEW),
                ("release", RELEASE),
                ("epoch", EPOCH),
            )
        }

    def _run(self, name: str, keys: list[str], *, args: list[Any]) -> Any:
        return self.scripts[name](keys=keys, args=args)

    def accept(self, items: Sequence[Accepted], now: float) -> list[bool]:
        args: list[Any] = [self.prefix, now, int(CLAIM_SECONDS), QUEUED_GRACE]
        for it in items:
            installation = "" if it.installation is None else it.installation
            args += [it.delivery, it.job, it.repo, installation, lane_of(it.installation, it.repo)]
        out = self._run("accept", [self.queue, self.due, self.prefix + "repos"], args=args)
        if -1 in out:
            raise EnqueueFailed("Redis refused to queue the job")
        return [bool(x) for x in out]

    def _record(self, delivery: str) -> str:
        return f"{self.prefix}d:{delivery}"

    def begin(self, delivery: str, until: float) -> bool:
        return bool(self._run("begin", [self._record(delivery), self.due], args=[until, delivery]))

    def postpone(self, delivery: str, until: float) -> None:
        self.conn.zadd(self.due, {delivery: until}, xx=True)

    def wait(self, delivery: str, until: float, *, why: str = "") -> None:
        self._run("wait", [self._record(delivery), self.due], args=[until, delivery, why])

    def finish(self, delivery: str, state: str, *, now: float, why: str = "") -> None:
        self._run("finish", [self._record(delivery), self.due], args=[state, now, delivery, why])

    def recover(self, now: float, *, owner: bool = False) -> int:
        keys = [self.queue, self.due, self.waiting]
        return int(self._run("recover", keys, args=[self.prefix, now, QUEUED_GRACE, SWEEP_LIMIT]))

    def _lease(self, name: str) -> list[str]:
        return [f"{self.prefix}lease:{name}", f"{self.prefix}wait:{name}", self.waiting]

    def take(
        self, name: str, token: str, *, seconds: float, park: bytes | None, lane: str = NO_LANE
    ) -> bool:
        parked = b"L" + lane.encode() + b"\n" + park if park else b""
        args = [token, max(1, int(seconds * 1000)), parked, name]
        return bool(self._run("take", self._lease(name), args=args))

    def renew(self, name: str, token: str, *, seconds: float) -> bool:
        return bool(self._run("renew", self._lease(name)[:1], args=[token, int(seconds * 1000)]))

    def release(self, name: str, token: str) -> None:
        keys = [f"{self.prefix}lease:{name}", self.queue, self.waiting]
        self._run("release", keys, args=[token, self.prefix, name])

    def parked(self) -> int:
        names = [n.decode() for n in self.conn.smembers(self.waiting)]
        return sum(self.conn.llen(f"{self.prefix}wait:{n}") for n in names)

    def repos(self) -> dict[str, int | None]:
        raw = self.conn.hgetall(self.prefix + "repos")
        return {k.decode(): int(v) if v else None for k, v in raw.items()}

    def forget(self, repo: str) -> None:
        self.conn.hdel(self.prefix + "repos", repo)

    def state(self, delivery: str) -> str | None:
        raw = self.conn.hget(self._record(delivery), "state")
        return raw.decode() if raw else None

    def deliveries(self) -> list[store.Delivery]:
        cut = len(self.prefix) + 2  # "<prefix>d:"
        keys = list(self.conn.scan_iter(match=f"{self.prefix}d:*", count=1000))
        pipe = self.conn.pipeline(transaction=False)
        for key in keys:
            pipe.hmget(key, "state", "accepted", "done", "job", "why")
            pipe.zscore(self.due, key[cut:])
        got = pipe.execute()
        found = [  # a state of None: expired between the scan and the read
            store.Delivery(
                k[cut:].decode(),
                s.decode(),
                float(a),
                due,
                d and float(d),
                job,
                (w or b"").decode(),
            )
            for k, (s, a, d, job, w), due in zip(keys, got[::2], got[1::2], strict=True)
            if s is not None
        ]
        return sorted(found, key=lambda x: x.accepted)

    def epoch(self, mine: str) -> str:
        return bytes(self._run("epoch", [self.prefix + "epoch"], args=[mine])).decode()

    def restore(self, repos: dict[str, int | None]) -> None:
        if repos:
            mapping = {k: "" if v is None else v for k, v in repos.items()}
            self.conn.hset(self.prefix + "repos", mapping=mapping)

    def ping(self) -> None:
        self.conn.ping()

    def probe(self) -> None:
        # A Redis at maxmemory (noeviction) still answers PING and reads; it refuses any
        # command that may add memory, however small, as it does the accept script.
        self.conn.set(self.prefix + "probe", b"", px=60_000)

    def risks(self) -> list[str]:
        """An eviction policy other than ``noeviction`` may drop queued jobs, claims and leases."""
        policy = str(self.conn.info("memory").get("maxmemory_policy", "noeviction"))
        if policy == "noeviction":
            return []
        return [
            f"Redis maxmemory-policy is {policy}: when Redis is full it may evict queued jobs, "
            "delivery claims and leases; set maxmemory-policy noeviction"
        ]
