"""The durable job queue (Huey: SQLite by default, Redis to scale out) and the delivery log.

Rules:
- A delivery is accepted at most once: its id is claimed with ``put_if_empty``, an atomic
  insert in the queue's own storage (SQLite or Redis), never check-then-insert.
- The claim and the job are written before the webhook answers 202.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey

from app.routes import Job
from app.settings import Settings


def make_huey(settings: Settings) -> Huey:
    """SqliteHuey in the data dir, or RedisHuey when PAPERBOT_QUEUE is a redis:// URL."""
    if settings.queue.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("paperbot", url=settings.queue)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("paperbot", filename=str(settings.data_dir / "queue.db"))


class JobQueue:
    """Accepts deliveries into Huey: claim the delivery id, then enqueue its job."""

    def __init__(self, huey: Huey, tasks: dict[str, Callable[..., Any]]) -> None:
        self.huey = huey
        self.tasks = tasks

    def accept(self, delivery: str, job: Job) -> bool:
        """Enqueue ``job`` unless ``delivery`` was accepted before; True when it is new."""
        record = json.dumps({"job": job.name, "args": job.args, "at": time.time()})
        if not self.huey.storage.put_if_empty(f"delivery:{delivery}", record.encode()):
            return False
        self.tasks[job.name](delivery=delivery, **job.args)
        return True

    def ready(self) -> bool:
        """True when the queue's storage answers."""
        try:
            self.huey.storage.queue_size()
        except Exception:
            return False
        return True
