"""The durable job queue (Huey: SQLite by default, Redis to scale out) and its front door.

Rules:
- A delivery is accepted through ``Store.accept``: claim, job and repository in one atomic
  step, so a failed enqueue leaves no claim and the redelivery is accepted.
- The web process never calls the storage on its event loop: deliveries that arrive
  together are accepted in one batch (one transaction or script) on a thread of its own,
  and a request waits at most ``ACCEPT_TIMEOUT`` before answering 503.
- Redis calls time out (``socket_timeout``), so a partitioned Redis fails fast.
- Huey keeps no results (no job returns anything anyone reads), and a periodic task is
  enqueued once per deployment per slot, however many workers run its scheduler.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import redis
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

from app.flows.routing import Task
from app.service.settings import Settings
from app.service.store import Accepted, Store
from app.service.store_redis import RedisStore
from app.service.store_sqlite import SqliteStore

ACCEPT_TIMEOUT = 3.0  # GitHub waits 10 s; answer 503 well before, so it records a failure
REDIS_TIMEOUTS = {"socket_timeout": 5.0, "socket_connect_timeout": 2.0}  # > Huey's 1 s BRPOP
SLOT_SECONDS = 24 * 3600.0  # how long a periodic slot's claim is kept


class PaperbotHuey(Huey):  # type: ignore[misc]  # huey has no type hints
    """Huey with the service's store beside its queue, and periodic tasks once per slot."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(name, results=False, **kwargs)
        redis_backed = isinstance(self.storage, RedisStorage)
        self.store: Store = RedisStore(self.storage) if redis_backed else SqliteStore(self.storage)

    def read_periodic(self, timestamp: dt.datetime | None) -> list[Any]:
        """The periodic tasks due now that no other scheduler has claimed for this minute."""
        timestamp = timestamp or self._get_timestamp()
        slot = timestamp.strftime("%Y-%m-%dT%H:%M")
        return [
            task
            for task in super().read_periodic(timestamp)
            if self.store.take(f"slot:{task.name}:{slot}", "scheduled", SLOT_SECONDS, None)
        ]


def make_huey(settings: Settings) -> PaperbotHuey:
    """SQLite in the data dir, or Redis (with timeouts) when PAPERBOT_QUEUE is a redis:// URL."""
    if settings.queue.startswith(("redis://", "rediss://", "unix://")):
        pool = redis.ConnectionPool.from_url(settings.queue, **REDIS_TIMEOUTS)
        return PaperbotHuey("paperbot", storage_class=RedisStorage, connection_pool=pool)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = str(settings.data_dir / "queue.db")
    return PaperbotHuey("paperbot", storage_class=SqliteStorage, filename=db, fsync=False)


class JobQueue:
    """Accepts deliveries into Huey: claims the delivery id and enqueues its job, atomically."""

    def __init__(self, huey: PaperbotHuey, tasks: dict[str, Any]) -> None:
        self.huey = huey
        self.store = huey.store
        self.tasks = tasks
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="paperbot-accept")
        self._waiting: list[tuple[str, Task, asyncio.Future[bool]]] = []
        self._draining = False
        self._drainer: asyncio.Task[None] | None = None

    def _accepted(self, delivery: str, task: Task) -> Accepted:
        job = self.tasks[task.name].s(delivery=delivery, **task.args)
        installation = task.args.get("installation")
        return Accepted(
            delivery,
            self.huey.serialize_task(job),
            str(task.args.get("repo")),
            installation if isinstance(installation, int) else None,
        )

    def accept_many(self, items: list[tuple[str, Task]]) -> list[bool]:
        """Accept each (delivery, task) unless claimed before; True for each new one."""
        return self.store.accept([self._accepted(d, t) for d, t in items], time.time())

    def accept(self, delivery: str, task: Task) -> bool:
        return self.accept_many([(delivery, task)])[0]

    async def accept_soon(self, delivery: str, task: Task) -> bool:
        """``accept`` batched with the deliveries arriving meanwhile, off the event loop."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self._waiting.append((delivery, task, future))
        if not self._draining:
            self._draining = True
            self._drainer = loop.create_task(self._drain(loop))
        return await asyncio.wait_for(future, ACCEPT_TIMEOUT)  # a timeout cancels it

    async def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                items = [(d, t) for d, t, _ in batch]
                try:
                    taken = await loop.run_in_executor(self._executor, self.accept_many, items)
                except Exception as exc:
                    for *_, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                else:
                    for (*_, future), new in zip(batch, taken, strict=True):
                        if not future.done():
                            future.set_result(new)
        finally:
            self._draining = False

    def depth(self) -> int:
        """Jobs waiting: queued, scheduled for a retry, or parked (0 when nobody answers)."""
        try:
            queued = int(self.huey.pending_count()) + int(self.huey.scheduled_count())
            return queued + self.store.parked()
        except Exception:
            return 0

    def ready(self) -> bool:
        """True when the queue's storage answers."""
        try:
            self.store.ping()
        except Exception:
            return False
        return True
