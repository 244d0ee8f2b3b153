"""Huey's tasks for a worker: one per flow, the periodic reconcile and the weekly tick.

Rules:
- A periodic task runs once per deployment (``PaperbotHuey.read_periodic``): add one with
  ``huey.periodic_task(crontab(...), name=...)`` in ``register``.
- Every worker start recovers what the store holds and queues a reconcile of every known
  repository (a delivery came from it, and no reconcile found it gone since); so does the
  periodic reconcile, and the weekly tick queues a weekly job for each.
- Huey has already taken a job off the queue when it runs it, and its retry needs the storage
  too: a job that meets a storage that refuses (Redis down, restarting or full) is held in
  its thread and run again every ``HOLD_EVERY`` seconds for up to ``HOLD_FOR``, with a
  warning now and then, instead of being lost until the delivery log's due time (10-20
  minutes). Jobs are idempotent, so a run cut short and run again changes nothing twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from huey import crontab, signals

from app.flows import FLOWS
from app.service import metrics
from app.service.jobs import Worker
from app.service.queue import PaperbotHuey

log = logging.getLogger("paperbot.jobs")
HOLD_EVERY = 5.0  # seconds between runs of a job held while the storage refuses
HOLD_FOR = 600.0  # then it is left to the delivery log's recovery


def register(huey: PaperbotHuey, worker: Worker, *, reconcile_minutes: int = 60) -> dict[str, Any]:
    """Create the Huey tasks for ``worker``; returns them by name, for the queue."""
    tasks: dict[str, Any] = {}
    for name in FLOWS:
        task = huey.task(retries=4, retry_delay=5, name=name, context=True)
        tasks[name] = task(_bound(worker, name))

    def on_error(signal: str, task: Any, exc: Exception | None = None) -> None:
        if exc is not None:
            worker.failed(task, exc)

    def reconcile_each(repos: dict[str, int | None]) -> None:
        for repo, installation in repos.items():
            tasks["reconcile"](repo=repo, installation=installation)

    def reconcile_all() -> None:
        huey.store.recover(time.time())
        reconcile_each(huey.store.repos())

    def weekly_all() -> None:
        for repo, installation in huey.store.repos().items():
            tasks["weekly"](repo=repo, installation=installation)

    huey.signal(signals.SIGNAL_ERROR)(on_error)
    huey.on_startup("paperbot")(lambda: worker.start(reconcile_each))
    huey.on_shutdown("paperbot")(worker.heartbeat.stop)
    every = crontab(minute=f"*/{reconcile_minutes}" if reconcile_minutes < 60 else "0")
    tasks["reconcile_all"] = huey.periodic_task(every, name="reconcile_all")(reconcile_all)
    tasks["weekly_all"] = huey.periodic_task(crontab(minute="*/10"), name="weekly_all")(weekly_all)
    return tasks


def _bound(worker: Worker, name: str) -> Callable[..., str]:
    def call(**kwargs: Any) -> str:
        with metrics.RUNNING.track_inprogress():
            return held(worker, name, kwargs=kwargs)

    call.__name__ = name
    return call


def held(worker: Worker, name: str, *, kwargs: dict[str, Any], every: float = HOLD_EVERY) -> str:
    """``worker.run``, run again while the queue's storage refuses (see the rules)."""
    began, attempt = time.monotonic(), 0
    while True:
        try:
            return worker.run(name, **kwargs)
        except worker.store.unavailable as exc:
            attempt += 1
            if time.monotonic() - began > HOLD_FOR:
                raise
            if attempt % 12 == 1:  # the first time, then about once a minute
                log.warning(
                    "queue storage refused; holding the job and trying again",
                    extra={
                        "job": name,
                        "repository": kwargs.get("repo"),
                        "delivery": kwargs.get("delivery", ""),
                        "error": f"{type(exc).__name__}: {exc}"[:200],
                        "attempt": attempt,
                    },
                )
            time.sleep(every)
