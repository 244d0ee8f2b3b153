"""The durable job queue (Huey: SQLite by default, Redis to scale out) and the delivery log.

Rules:
- A delivery is accepted at most once: its id is claimed with ``put_if_empty``, an atomic
  insert in the queue's own storage (SQLite or Redis), never check-then-insert.
- The claim and the job are written before the webhook answers 202. SQLite runs in WAL mode
  without fsync: a committed delivery survives the process being killed (the OS holds it);
  only a power cut can drop the last moments, which the reconcile at start re-checks.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from huey.exceptions import TaskLockedException

from app.flows.routing import Task
from app.service.settings import Settings

REPOS_KEY = "paperbot:repos"


def make_huey(settings: Settings) -> Huey:
    """SqliteHuey in the data dir, or RedisHuey when PAPERBOT_QUEUE is a redis:// URL."""
    if settings.queue.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("paperbot", url=settings.queue)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("paperbot", filename=str(settings.data_dir / "queue.db"), fsync=False)


class JobQueue:
    """Accepts deliveries into Huey: claim the delivery id, then enqueue its job."""

    def __init__(self, huey: Huey, tasks: dict[str, Callable[..., Any]]) -> None:
        self.huey = huey
        self.tasks = tasks
        self._remembered: set[str] = set()

    def accept(self, delivery: str, task: Task) -> bool:
        """Enqueue ``task`` unless ``delivery`` was accepted before; True when it is new."""
        record = json.dumps({"job": task.name, "args": task.args, "at": time.time()})
        if not self.huey.storage.put_if_empty(f"delivery:{delivery}", record.encode()):
            return False
        self.tasks[task.name](delivery=delivery, **task.args)
        repo = str(task.args.get("repo"))
        if repo not in self._remembered:
            installation = task.args.get("installation")
            try:
                remember_repo(
                    self.huey, repo, installation if isinstance(installation, int) else None
                )
            except TaskLockedException:
                return True  # another request is remembering repos; the next delivery retries
            self._remembered.add(repo)
        return True

    def depth(self) -> int:
        """Jobs waiting, now or for a retry (0 when the storage does not answer)."""
        try:
            return int(self.huey.pending_count()) + int(self.huey.scheduled_count())
        except Exception:
            return 0

    def ready(self) -> bool:
        """True when the queue's storage answers."""
        try:
            self.huey.storage.queue_size()
        except Exception:
            return False
        return True


def remember_repo(huey: Huey, repo: str, installation: int | None) -> None:
    """Add ``repo`` to the set the reconcile visits (read-modify-write under a lock)."""
    with Lease(huey, "paperbot:repos", seconds=30):
        known = known_repos(huey)
        if repo not in known or known[repo] != installation:
            known[repo] = installation
            huey.storage.put_data(REPOS_KEY, json.dumps(known).encode())


def known_repos(huey: Huey) -> dict[str, int | None]:
    """Every repository a delivery came from, with its installation id."""
    raw = huey.storage.peek_data(REPOS_KEY)
    return json.loads(raw) if isinstance(raw, bytes) and raw else {}


class Lease:
    """A lock on ``name`` in the queue's storage that a killed process cannot hold forever.

    Taken with an atomic ``put_if_empty``; a holder that dies leaves a value whose expiry
    passes after ``seconds``, and the next taker clears it. A taker waits up to ``wait``
    seconds for a held lease (jobs on one repository are short), then raises
    ``TaskLockedException`` so the job is retried later instead of holding a worker.
    """

    def __init__(self, huey: Huey, name: str, seconds: float = 600, wait: float = 0) -> None:
        self.storage = huey.storage
        self.key = f"lease:{name}"
        self.seconds = seconds
        self.wait = wait
        self.value = b""

    def __enter__(self) -> Lease:
        self.value = json.dumps(
            {"until": time.time() + self.seconds, "id": uuid.uuid4().hex}
        ).encode()
        deadline = time.monotonic() + self.wait
        while not self._take():
            if time.monotonic() >= deadline:
                raise TaskLockedException(f"{self.key} is held")
            time.sleep(0.02)
        return self

    def _take(self) -> bool:
        if self.storage.put_if_empty(self.key, self.value):
            return True
        held = self.storage.peek_data(self.key)
        if isinstance(held, bytes) and json.loads(held)["until"] < time.time():
            self.storage.delete_data(self.key)
            return bool(self.storage.put_if_empty(self.key, self.value))
        return False

    def __exit__(self, *exc: object) -> None:
        if self.storage.peek_data(self.key) == self.value:
            self.storage.delete_data(self.key)


def clear_leases(huey: Huey) -> None:
    """Drop every repository lease: for the one process that owns an embedded queue, at start."""
    for repo in known_repos(huey):
        huey.storage.delete_data(f"lease:repo:{repo}")
