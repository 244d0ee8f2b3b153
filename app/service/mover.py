"""The inbox's mover: takes closed segments into the queue, one log line per delivery.

Rules:
- One thread per process that runs job workers on the embedded queue, started and stopped
  with them. It takes a segment only under its lock, accepts its deliveries in batches of
  ``BATCH`` (claim, job and repository in one transaction each: ``JobQueue.accept_many``),
  and deletes the segment after its last batch. A crash in between moves it again, which
  queues nothing twice: the claims dedupe it, and a job that failed meanwhile stays failed
  (its record was received before its claim: no redelivery).
- Deliveries are parsed and routed here, so each one's log line (and its count in
  ``paperbot_inbox_moved``) says what it became: accepted, duplicate, or ignored and why.
- It looks every ``POLL_SECONDS``, and at once when this process's inbox closes a segment.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from pydantic_core import from_json

from app.flows.routing import Skip, Task
from app.service import logs, metrics
from app.service.inbox import Record, records, segments
from app.service.queue import JobQueue
from app.service.routes import router as routes
from app.service.threads import Background

log = logging.getLogger("paperbot.inbox")
BATCH = 200
POLL_SECONDS = 0.1
STALE_SECONDS = 60.0  # a ``.new`` segment this old was never opened: its writer died
NOT_JSON = Skip("the body is not a JSON object")


class Mover(Background):
    """Moves the segments in ``folder`` into ``queue``, on a thread of its own."""

    name = "paperbot-inbox"

    def __init__(self, folder: Path, queue: JobQueue, *, wake: threading.Event) -> None:
        super().__init__()
        self.folder, self.queue, self.wake = folder, queue, wake

    def interrupt(self) -> None:
        self.wake.set()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                moved = self.move()
            except Exception as exc:  # the queue busy or gone: the segments wait on disk
                log.warning("inbox not moved; trying again", extra={"error": repr(exc)})
                moved = 0
                self.stopping.wait(1.0)
            if not moved:
                self.wake.wait(POLL_SECONDS)
                self.wake.clear()

    def move(self) -> int:
        """Move every segment this process can take now; how many deliveries it read."""
        _drop_stale(self.folder)
        return sum(self._segment(path) for path in segments(self.folder))

    def _segment(self, path: Path) -> int:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return 0
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # its writer, or another mover, has it
                return 0
            if not path.exists():  # closed as .ready meanwhile: taken under that name
                return 0
            with os.fdopen(fd, "rb", closefd=False) as file:
                batch, torn = records(file.read())
            if torn:
                log.warning(
                    "a delivery cut short at the end of a segment (never answered 202)",
                    extra={"segment": path.name, "bytes": torn},
                )
            for start in range(0, len(batch), BATCH):
                self._accept(batch[start : start + BATCH])
            path.unlink()
            return len(batch)
        finally:
            os.close(fd)

    def _accept(self, batch: list[Record]) -> None:
        decided = [_decide(event, body) for _, event, _, body in batch]
        chosen = [(r, d) for r, (d, _) in zip(batch, decided, strict=True) if isinstance(d, Task)]
        items = [(r[0], d) for r, d in chosen]
        times = [r[2] for r, _ in chosen]
        taken = iter(self.queue.accept_many(items, times) if items else [])
        now = time.time()
        for (delivery, event, received, _), (task, payload) in zip(batch, decided, strict=True):
            if isinstance(task, Task):
                outcome, why = ("accepted" if next(taken) else "duplicate"), None
            else:
                outcome, why = "ignored", task.why
            metrics.MOVED.labels(outcome).inc()
            fields = _fields(delivery, event, payload=payload, outcome=outcome, why=why)
            logs.info(log, "delivery", fields={**fields, "waited_s": round(now - received, 3)})


def _decide(event: str, body: bytes) -> tuple[Task | Skip, dict[str, Any]]:
    try:
        payload = from_json(body, cache_strings="keys")
    except ValueError:
        return NOT_JSON, {}
    if not isinstance(payload, dict):
        return NOT_JSON, {}
    try:
        return routes.decide(event, payload), payload
    except Exception as exc:  # a bug; the segment must not wait behind it forever
        log.exception("routing failed", extra={"event": event})
        return Skip(f"routing failed ({type(exc).__name__}): redeliver it once fixed"), payload


def _fields(
    delivery: str, event: str, *, payload: dict[str, Any], outcome: str, why: str | None
) -> dict[str, Any]:
    issue = payload.get("issue") or payload.get("pull_request")
    repository = payload.get("repository")
    return {
        "delivery": delivery,
        "event": event,
        "action": payload.get("action"),
        "repository": repository.get("full_name") if isinstance(repository, dict) else None,
        "issue": issue.get("number") if isinstance(issue, dict) else None,
        "outcome": outcome,
        "why": why,
    }


def _drop_stale(folder: Path) -> None:
    """Delete ``.new`` segments a writer never opened (it died between create and lock)."""
    old = time.time() - STALE_SECONDS
    for path in folder.glob("*.new"):
        try:
            if path.stat().st_mtime < old:
                path.unlink()
        except FileNotFoundError:
            continue
