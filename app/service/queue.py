"""The durable job queue (Huey: SQLite by default, Redis to scale out) and its front door.

Rules:
- A delivery is accepted through ``Store.accept``: claim, job and repository in one atomic
  step, so a failed enqueue leaves no claim and the redelivery is accepted.
- Deliveries that arrive together are accepted in one batch (one transaction or script).
  Redis is never called on the event loop: its batches run on a thread of their own, and
  a request waits at most two ``ACCEPT_TIMEOUT`` before answering 503. The embedded SQLite
  file is local: its batch (every delivery of one turn of the loop, ~20 µs each, no fsync)
  runs on the loop, which costs less than handing it to a thread.
- Redis calls time out (``socket_timeout``), so a partitioned Redis fails fast.
- Jobs wait in one lane per installation (per repository with a token) and are taken
  round-robin across lanes (``lanes_redis``, ``lanes_sqlite``): every enqueue, Huey's
  retries and due scheduled tasks included, goes to the lane of its task's arguments.
- The embedded queue's files are the bot's user's alone: the data dir is made 0700, and
  ``queue.db`` is 0600 before SQLite opens it (its ``-wal`` and ``-shm`` take its mode), as
  are those an older version left readable (they hold private repositories' submissions).
- Huey keeps no results (no job returns anything anyone reads), and a periodic task is
  enqueued once per deployment per slot, however many workers run its scheduler.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import redis
from huey import Huey, signals
from huey.api import Task as HueyTask
from huey.storage import RedisStorage, SqliteStorage

from app.flows.routing import Task
from app.service.inbox import Inbox, backlog
from app.service.lanes_redis import LanedRedisStorage
from app.service.lanes_sqlite import LanedSqliteStorage
from app.service.pacing import make_pacer
from app.service.settings import Settings
from app.service.store import Accepted, Store, lane_of
from app.service.store_redis import RedisStore
from app.service.store_sqlite import SqliteStore

ACCEPT_TIMEOUT = 2.5  # per batch; a delivery may wait for the batch before its own: ≤ 5 s,
# well inside GitHub's 10 s, so GitHub records a failure it can redeliver
REDIS_TIMEOUTS = {"socket_timeout": 5.0, "socket_connect_timeout": 2.0}  # > Huey's 1 s BRPOP
SLOT_SECONDS = 24 * 3600.0  # how long a periodic slot's claim is kept
Waiting = list[tuple[str, Task, "asyncio.Future[bool]"]]  # deliveries waiting for their batch


class PaperbotHuey(Huey):  # type: ignore[misc]  # huey has no type hints
    """Huey with the service's store and pacer beside its queue, and periodic tasks once per
    slot."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        storage = kwargs.pop("storage_class", SqliteStorage)
        laned = LanedRedisStorage if issubclass(storage, RedisStorage) else LanedSqliteStorage
        super().__init__(name, results=False, storage_class=laned, **kwargs)
        redis_backed = isinstance(self.storage, RedisStorage)
        self.store: Store = RedisStore(self.storage) if redis_backed else SqliteStore(self.storage)
        self.pacer = make_pacer(self.storage, redis_backed=redis_backed)  # shared by processes

    def enqueue(self, task: Any) -> None:
        """Huey's enqueue of one task (a call, a retry, a due scheduled task), into its lane."""
        if not isinstance(task, HueyTask) or self._immediate:
            super().enqueue(task)
            return
        if task.expires:
            task.resolve_expires(self.utc)
        self._emit(signals.SIGNAL_ENQUEUED, task)
        lane = lane_of(task.kwargs.get("installation"), task.kwargs.get("repo"))
        self.storage.enqueue(self.serialize_task(task), lane=lane)

    def lane_depths(self) -> dict[str, int]:
        """Jobs queued per lane (``i<installation>``, ``r<repository>``, ``-``)."""
        depths: dict[str, int] = self.storage.lane_depths()
        return depths

    def read_periodic(self, timestamp: dt.datetime | None) -> list[Any]:
        """The periodic tasks due now that no other scheduler has claimed for this minute."""
        timestamp = timestamp or self._get_timestamp()
        slot = timestamp.strftime("%Y-%m-%dT%H:%M")
        return [
            task
            for task in super().read_periodic(timestamp)
            if self.store.take(
                f"slot:{task.name}:{slot}", "scheduled", seconds=SLOT_SECONDS, park=None
            )
        ]


def make_huey(settings: Settings) -> PaperbotHuey:
    """SQLite in the data dir, or Redis (with timeouts) when PAPERBOT_QUEUE is a redis:// URL."""
    if settings.queue.startswith(("redis://", "rediss://", "unix://")):
        pool = redis.ConnectionPool.from_url(settings.queue, **REDIS_TIMEOUTS)
        return PaperbotHuey("paperbot", storage_class=RedisStorage, connection_pool=pool)
    db = private_db(settings.data_dir)
    return PaperbotHuey("paperbot", storage_class=SqliteStorage, filename=db, fsync=False)


def private_db(folder: Path) -> str:
    """``folder``'s ``queue.db``, made (or made again) readable by this user alone."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    db = folder / "queue.db"
    os.close(os.open(db, os.O_RDWR | os.O_CREAT, 0o600))
    for path in (db, folder / "queue.db-wal", folder / "queue.db-shm"):
        with contextlib.suppress(FileNotFoundError, PermissionError):  # not ours: as it is
            path.chmod(0o600)
    return str(db)


class JobQueue:
    """Accepts deliveries into Huey: claims the delivery id and enqueues its job, atomically."""

    def __init__(
        self, huey: PaperbotHuey, tasks: dict[str, Any], *, inbox: Inbox | None = None
    ) -> None:
        self.huey = huey
        self.store = huey.store
        self.tasks = tasks
        self.inbox = inbox  # the embedded queue's: deliveries wait there for the mover
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="paperbot-accept")
        self._waiting: Waiting = []
        self._draining = False
        self._drainer: asyncio.Task[None] | None = None

    def _accepted(self, delivery: str, task: Task, *, received: float | None) -> Accepted:
        # The delivery id (unique: it is claimed) is the job's id: no uuid4 per delivery.
        job = self.tasks[task.name].task_class(
            kwargs={"delivery": delivery, **task.args}, id=delivery
        )
        installation = task.args.get("installation")
        return Accepted(
            delivery,
            self.huey.serialize_task(job),
            str(task.args.get("repo")),
            installation if isinstance(installation, int) else None,
            received,
        )

    def accept_many(
        self, items: list[tuple[str, Task]], received: list[float] | None = None
    ) -> list[bool]:
        """Accept each (delivery, task) unless claimed before; True for each new one.
        ``received``: when each reached us (the inbox's records), else now."""
        when: list[float | None] = list(received) if received else [None] * len(items)
        accepted = [self._accepted(d, t, received=r) for (d, t), r in zip(items, when, strict=True)]
        return self.store.accept(accepted, time.time())

    def accept(self, delivery: str, task: Task) -> bool:
        return self.accept_many([(delivery, task)])[0]

    async def accept_soon(self, delivery: str, task: Task) -> bool:
        """``accept`` in one batch with the deliveries arriving meanwhile; raises when the
        storage fails, or (over the network) takes longer than ``ACCEPT_TIMEOUT``."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self._waiting.append((delivery, task, future))
        if not self._draining:
            self._draining = True
            if self.store.local:
                loop.call_soon(self._drain_here)
            else:
                self._drainer = loop.create_task(self._drain(loop))
        return await future

    def _drain_here(self) -> None:
        """Every delivery that arrived in this turn of the loop, in one local transaction."""
        batch, self._waiting, self._draining = self._waiting, [], False
        try:
            taken = self.accept_many([(d, t) for d, t, _ in batch])
        except Exception as exc:
            _settle(batch, exc)
        else:
            _settle(batch, taken)

    async def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        """Batches for a networked store, on a thread, each bounded by ACCEPT_TIMEOUT."""
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                items = [(d, t) for d, t, _ in batch]
                call = loop.run_in_executor(self._executor, self.accept_many, items)
                try:
                    taken = await asyncio.wait_for(call, ACCEPT_TIMEOUT)
                except Exception as exc:  # one timer per batch, not one per delivery
                    _settle(batch, exc)
                else:
                    _settle(batch, taken)
        finally:
            self._draining = False

    def depth(self) -> int:
        """Jobs waiting: in the inbox, queued, scheduled for a retry, or parked (raises when
        the storage does not answer)."""
        queued = int(self.huey.pending_count()) + int(self.huey.scheduled_count())
        unmoved = backlog(self.inbox.folder) if self.inbox else 0
        return queued + self.store.parked() + unmoved

    def lane_depths(self) -> dict[str, int]:
        """Jobs queued per lane, for /metrics (raises when the storage does not answer)."""
        return self.huey.lane_depths()

    def readiness(self) -> dict[str, str]:
        """Whether a delivery would be kept now: ``{"queue": "ok"}``, ``"unreachable"``, or
        ``"refusing writes"`` with the storage's (or the disk's) ``error``."""
        try:
            self.store.ping()
        except Exception:
            return {"queue": "unreachable"}
        try:
            self.store.probe()
            if self.inbox is not None:
                self.inbox.probe()
        except Exception as exc:
            return {"queue": "refusing writes", "error": f"{type(exc).__name__}: {exc}"[:200]}
        return {"queue": "ok"}


def _settle(
    batch: list[tuple[str, Task, asyncio.Future[bool]]], out: list[bool] | Exception
) -> None:
    for i, (*_, future) in enumerate(batch):
        if future.done():  # its request was cancelled (the client went away)
            continue
        if isinstance(out, Exception):
            future.set_exception(out)
        else:
            future.set_result(out[i])
