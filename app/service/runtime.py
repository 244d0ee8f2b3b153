"""Wiring for a running bot: queue, tasks, worker and web app, built from the settings.

Rules:
- An idle worker waits for work inside the queue's dequeue (``lanes_*.py``: at most a
  second, woken by new work), so it never backs off; after an error Huey's backoff is
  capped at ``POLLING["max_delay"]`` seconds (Huey's default, 10 s, is what the first
  delivery after a quiet spell used to wait for).
- The start line about GitHub (``preflight.py``) comes once the queue answers: its request
  is paced through the queue's storage, and a queue not up yet is not GitHub's fault.
- With the embedded queue, a data dir nothing can be written in stops ``serve`` and
  ``worker`` at start (``writable``): one line naming PAPERBOT_DATA_DIR, exit 2.
- ``paperbot worker`` serves its own /metrics when given a port (``exporter.py``), from
  before it waits for the queue until it stops.
"""

from __future__ import annotations

import gc
import logging
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from app.flows.context import Clock, today_in
from app.lookup.port import Lookup
from app.service import exporter, preflight
from app.service.http_server import BoundedHttpTools
from app.service.inbox import Inbox
from app.service.jobs import Worker
from app.service.mover import Mover
from app.service.presence import Presence
from app.service.queue import JobQueue, PaperbotHuey, make_huey
from app.service.settings import Settings, SettingsError
from app.service.tasks import register
from app.service.web import create_app

log = logging.getLogger("paperbot")
QUEUE_WAIT_MAX = 30.0  # seconds between attempts to reach a queue that does not answer
POLLING = {"initial_delay": 0.1, "backoff": 1.15, "max_delay": 1.0}  # an idle SQLite worker
GC_YOUNG = 20_000  # allocations between young collections (Python's default: 700)


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
    if not settings.queue:
        writable(settings.data_dir)
    huey = make_huey(settings)
    worker = Worker(settings, huey, clock=clock, lookup=lookup)
    if huey.store.local:  # a process alone on an embedded queue owns it: no lease is alive
        presence = Presence(settings.data_dir / "workers.lock")
        huey.on_startup("paperbot-owner")(lambda: setattr(worker, "owner", presence.alone()))
    tasks = register(huey, worker, reconcile_minutes=settings.reconcile_minutes)
    if not huey.store.local:
        return Runtime(settings, huey, worker, tasks, JobQueue(huey, tasks))
    inbox = Inbox(settings.data_dir / "inbox", huey.store)
    queue = JobQueue(huey, tasks, inbox=inbox)
    mover = Mover(inbox.folder, queue, wake=inbox.wake)  # runs wherever the workers run
    huey.on_startup("paperbot-inbox")(mover.start)
    huey.on_shutdown("paperbot-inbox")(mover.stop)
    return Runtime(settings, huey, worker, tasks, queue)


def writable(folder: Path) -> None:
    """The embedded queue's data dir, made if missing; a ``SettingsError`` naming
    PAPERBOT_DATA_DIR when nothing can be written there (a read-only mount, no permission)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # private: as ``private_db``
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        why = f"cannot write in {folder} ({exc.strerror})"
        raise SettingsError(
            f"PAPERBOT_DATA_DIR: {why}; the embedded queue keeps its jobs there"
        ) from None


def serve(runtime: Runtime, *, host: str, port: int, workers: int | None = None) -> None:
    """The endpoint and (unless ``workers`` is 0) the job workers, until SIGINT/SIGTERM.

    The endpoint answers at once (``/readyz`` is 503 until the queue does); the workers
    start once the queue answers, and their start recovers what the store holds.
    """
    count = runtime.settings.workers if workers is None else workers
    log.info("paperbot serve", extra={**runtime.settings.summary(), "workers": count})
    consumer = make_consumer(runtime, count or 1)
    stopping, started = threading.Event(), threading.Event()

    def start_when_ready() -> None:
        if not wait_for_queue(runtime, stopping):
            return
        preflight.say(runtime.worker.clients, runtime.settings)  # its pacing is the queue's
        if count:
            _start_without_signal_handlers(consumer)
            started.set()

    threading.Thread(target=start_when_ready, name="paperbot-start", daemon=True).start()
    gc.collect()
    gc.freeze()  # what start-up built is never garbage: full collections skip it (p99)
    # A delivery allocates a parsed payload that reference counting frees: collecting the
    # young generation every 700 allocations (every ~30 deliveries) cost 2-3 µs of the
    # receiver's ~73 µs of CPU (bench/receiver.py); every 20,000 keeps cycles' garbage small.
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    try:
        uvicorn.run(
            runtime.app(),
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            http=BoundedHttpTools,  # heads bounded in size and time (http_server.py)
        )
    finally:
        stopping.set()
        if started.is_set():
            consumer.stop(graceful=True)
        runtime.worker.clients.close()


def wait_for_queue(runtime: Runtime, stopping: threading.Event | None = None) -> bool:
    """Until the queue's storage answers: one log line per attempt, waits doubling from 1 s
    to ``QUEUE_WAIT_MAX``; then what about it may lose work is said once. False when
    ``stopping`` was set first."""
    stopping = stopping or threading.Event()
    delay, attempt = 1.0, 1
    while not stopping.is_set():
        try:
            runtime.huey.store.ping()
        except Exception as exc:
            queue = runtime.settings.queue_name()
            fields = {"queue": queue, "attempt": attempt, "retry_in": delay, "error": repr(exc)}
            log.warning("queue not answering; waiting for it", extra=fields)
            stopping.wait(delay)
            delay, attempt = min(delay * 2, QUEUE_WAIT_MAX), attempt + 1
            continue
        for risk in runtime.huey.store.risks():
            log.warning(risk, extra={"queue": runtime.settings.queue_name()})
        return True
    return False


def _start_without_signal_handlers(consumer: Any) -> None:
    """Start Huey's threads (each worker start recovers the store: tasks.register's hook).

    Huey's ``start`` takes SIGINT/SIGTERM, which nothing would act on here (uvicorn owns
    them), and may not from a thread other than the main one.
    """
    consumer._set_signal_handlers = lambda: None
    consumer.start()


def work(runtime: Runtime) -> None:
    """Job workers alone (scale-out with a shared Redis queue), once the queue answers."""
    log.info(
        "paperbot worker", extra={**runtime.settings.summary(), "workers": runtime.settings.workers}
    )
    settings = runtime.settings
    server = exporter.serve_metrics(
        runtime.queue, host=settings.metrics_host, port=settings.metrics_port
    )
    try:
        wait_for_queue(runtime)
        preflight.say(runtime.worker.clients, runtime.settings)  # its pacing is the queue's
        make_consumer(runtime, runtime.settings.workers).run()
    except KeyboardInterrupt:
        return
    finally:
        if server is not None:
            server.shutdown()


def make_consumer(runtime: Runtime, workers: int) -> Any:
    """Huey's consumer: ``workers`` threads, polling an idle queue as ``POLLING`` says."""
    return runtime.huey.create_consumer(workers=workers, worker_type="thread", **POLLING)
