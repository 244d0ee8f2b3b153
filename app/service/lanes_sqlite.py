"""Huey's SQLite queue with one lane per installation, taken in rotation (fair queueing).

Rules:
- Huey's ``task`` table has a ``lane`` column (added to a file from before lanes: its jobs
  are in the lane ``NO_LANE``); ``paperbot_lane`` says when each lane was last served.
- A dequeue is one exclusive transaction: the lane with work served least recently (never
  served first, then the oldest job's), its oldest job deleted, the lane marked served.
  With N lanes busy, a lane waits at most N - 1 dequeues.
- An idle dequeue waits up to ``read_timeout`` for work (woken at once by an enqueue in this
  process, polling every ``POLL`` for other processes), so Huey's worker never backs off.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from huey.storage import SqliteStorage

from app.service.store import NO_LANE

POLL = 0.1  # seconds between looks at the file while idle (other processes' enqueues)
LANE_DDL = (
    "create table if not exists paperbot_lane (lane text primary key, served integer not null)",
    "create index if not exists task_queue_lane_id on task (queue, lane, id)",
)
NEXT_LANE = (
    "select t.lane from task t left join paperbot_lane l on l.lane = t.lane"
    " where t.queue = ? group by t.lane order by coalesce(max(l.served), 0), min(t.id) limit 1"
)
SERVED = (
    "insert into paperbot_lane (lane, served) values"
    " (?, (select coalesce(max(served), 0) + 1 from paperbot_lane))"
    " on conflict (lane) do update set served = excluded.served"
)


class LanedSqliteStorage(SqliteStorage):  # type: ignore[misc]  # huey has no type hints
    """SqliteStorage whose queue is one lane per installation, taken round-robin."""

    def __init__(self, *args: Any, read_timeout: float = 1.0, **kwargs: Any) -> None:
        self.blocking, self.read_timeout = True, read_timeout
        self._work = threading.Condition()
        super().__init__(*args, **kwargs)

    def initialize_schema(self) -> None:
        super().initialize_schema()
        with self.db(commit=True) as cur:
            columns = [row[1] for row in cur.execute("pragma table_info(task)")]
            if "lane" not in columns:
                cur.execute(f"alter table task add column lane text not null default '{NO_LANE}'")
            for statement in LANE_DDL:
                cur.execute(statement)

    def push(self, cur: sqlite3.Cursor, data: bytes, *, lane: str) -> None:
        """Insert a job into ``lane`` inside the caller's transaction."""
        cur.execute(
            "insert into task (queue, data, priority, lane) values (?, ?, 0, ?)",
            (self.name, data, lane),
        )

    def notify(self) -> None:
        """Wake this process's idle workers (call after the transaction that queued work)."""
        with self._work:
            self._work.notify_all()

    def enqueue(self, data: bytes, priority: Any = None, *, lane: str = NO_LANE) -> None:
        with self.db(commit=True) as cur:
            self.push(cur, data, lane=lane)
        self.notify()

    def dequeue(self) -> bytes | None:
        waited = 0.0
        while True:
            job = self._take()
            if job is not None or waited >= self.read_timeout:
                return job
            with self._work:
                self._work.wait(POLL)
            waited += POLL

    def _take(self) -> bytes | None:
        if not self.sql("select 1 from task where queue = ? limit 1", (self.name,), results=True):
            return None
        with self.db(commit=True) as cur:
            row = cur.execute(NEXT_LANE, (self.name,)).fetchone()
            if row is None:
                return None
            cur.execute(
                "delete from task where id = (select id from task where queue = ? and lane = ?"
                " order by id limit 1) returning data",
                (self.name, row[0]),
            )
            job: bytes = cur.fetchone()[0]
            cur.execute(SERVED, (row[0],))
            return job

    def lane_depths(self) -> dict[str, int]:
        """Jobs queued per lane (lanes with none are left out)."""
        rows = self.sql(
            "select lane, count(*) from task where queue = ? group by lane",
            (self.name,),
            results=True,
        )
        return {str(lane): int(n) for lane, n in rows}
