"""Wiring for a running bot: queue, tasks, worker and web app, built from the settings."""

from __future__ import annotations

import gc
import logging
import signal
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from app.flows.context import Clock, today_in
from app.lookup.port import Lookup
from app.service.jobs import Worker, register
from app.service.queue import JobQueue, PaperbotHuey, make_huey
from app.service.settings import Settings
from app.service.web import create_app

log = logging.getLogger("paperbot")


@dataclass
class Runtime:
    settings: Settings
    huey: PaperbotHuey
    worker: Worker
    tasks: dict[str, Any]
    queue: JobQueue

    def app(self) -> ASGIApp:
        return create_app(settings=self.settings, queue=self.queue)


def build(settings: Settings, *, clock: Clock = today_in, lookup: Lookup | None = None) -> Runtime:
    huey = make_huey(settings)
    # The one process that serves an embedded queue owns it: at start, no lease is alive.
    worker = Worker(settings, huey, clock=clock, owner=not settings.queue, lookup=lookup)
    tasks = register(huey, worker, reconcile_minutes=settings.reconcile_minutes)
    return Runtime(settings, huey, worker, tasks, JobQueue(huey, tasks))


def serve(runtime: Runtime, *, host: str, port: int, workers: int | None = None) -> None:
    """The endpoint and (unless ``workers`` is 0) the job workers, until SIGINT/SIGTERM."""
    count = runtime.settings.workers if workers is None else workers
    log.info("paperbot serve", extra={**runtime.settings.summary(), "workers": count})
    consumer = runtime.huey.create_consumer(workers=count or 1, worker_type="thread")
    if count:
        _start_without_signal_handlers(consumer)
    gc.collect()
    gc.freeze()  # what start-up built is never garbage: full collections skip it (p99)
    try:
        uvicorn.run(runtime.app(), host=host, port=port, log_config=None, access_log=False)
    finally:
        if count:
            consumer.stop(graceful=True)
        runtime.worker.clients.close()


def _start_without_signal_handlers(consumer: Any) -> None:
    """Start Huey's threads (each worker start recovers the store: jobs.register's hook).

    Huey's ``start`` takes SIGINT/SIGTERM, which nothing would act on here: a stop signal
    before uvicorn's own handlers would be swallowed and the process never exit.
    """
    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    handlers = {sig: signal.getsignal(sig) for sig in stops}
    consumer.start()
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def work(runtime: Runtime) -> None:
    """Job workers alone (scale-out with a shared Redis queue)."""
    log.info(
        "paperbot worker", extra={**runtime.settings.summary(), "workers": runtime.settings.workers}
    )
    runtime.huey.create_consumer(workers=runtime.settings.workers, worker_type="thread").run()
