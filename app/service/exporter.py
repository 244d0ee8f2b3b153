"""/metrics of a process that serves no web app (``paperbot worker``): its own registry.

Rules:
- Every process serves its own metrics and Prometheus scrapes each one (a target per
  process; counters are summed across targets in queries): ``paperbot serve`` at /metrics on
  its port, ``paperbot worker`` on ``PAPERBOT_METRICS_PORT``. No multiprocess mode: workers
  may run on other hosts, and a shared directory of files outlives the processes it counts.
- A worker serves nothing unless given a port; it binds 127.0.0.1 unless
  ``PAPERBOT_METRICS_HOST`` says otherwise (in a container: 0.0.0.0, unpublished).
- A scrape reads what lives in the queue's storage when it is asked, through ``refresh``,
  here and at the web app's /metrics alike: add what the queue can tell there. A queue that
  does not answer (in time) is ``paperbot_queue_up 0``, never a depth of 0.
- No label names a repository: the web's /metrics shares the webhook's public port, and a
  private repository's name is not for whoever asks. A repository's lane (a token's) is
  labelled ``r`` and a digest of its name (``lane_label``).
- A worker's metrics server holds at most ``MAX_CONNECTIONS`` connections, each at most
  ``CONNECTION_SECONDS`` (one request; ``serve`` has ``http_server``'s bounds): one past the
  limit is closed unanswered, one over time is cut, so connections that say nothing (or
  trickle) cannot pile up threads in a process running jobs.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import socket
import threading
import time
from collections.abc import Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from app.service import metrics
from app.service.queue import JobQueue
from app.service.settings import SettingsError

log = logging.getLogger("paperbot")
MAX_CONNECTIONS = 16
CONNECTION_SECONDS = 10.0


def refresh(queue: JobQueue) -> bool:
    """The queue's depth, in all and per lane (a lane emptied since is dropped); False (and
    ``paperbot_queue_up`` 0, the depths as last read) when the queue does not answer."""
    try:
        depth, lanes = queue.depth(), queue.lane_depths()
    except Exception:
        metrics.QUEUE_UP.set(0)
        return False
    metrics.QUEUE_UP.set(1)
    metrics.QUEUE_DEPTH.set(depth)
    metrics.LANE_DEPTH.clear()
    for lane, n in lanes.items():
        metrics.LANE_DEPTH.labels(lane_label(lane)).set(n)
    return True


def lane_label(lane: str) -> str:
    """A lane as /metrics shows it: ``i<installation>`` and ``-`` as they are, a repository's
    lane (``r<owner/name>``) as ``r`` and the first 12 hex digits of its name's SHA-256."""
    if not lane.startswith("r"):
        return lane
    return "r" + hashlib.sha256(lane[1:].encode()).hexdigest()[:12]


class Scraped(Collector):
    """This process's registry, with what the queue holds read at each scrape."""

    def __init__(self, queue: JobQueue) -> None:
        self.queue = queue

    def collect(self) -> Iterable[Metric]:
        refresh(self.queue)
        return metrics.REGISTRY.collect()

    def restricted_registry(self, names: Iterable[str]) -> Collector:
        """The named series only (a scrape's ``name[]``), the queue read as for every scrape."""
        refresh(self.queue)
        restricted: Collector = metrics.REGISTRY.restricted_registry(names)
        return restricted


def serve_metrics(queue: JobQueue, *, host: str, port: int) -> WSGIServer | None:
    """Serve this process's /metrics on ``host:port`` from a daemon thread (none for port 0);
    the server, to be shut down by its owner, or None."""
    if not port:
        return None
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        bounded: type[Bounded] = type("Bounded", (Bounded,), {"address_family": family[0][0]})
        app = make_wsgi_app(Scraped(queue))
        server: WSGIServer = make_server(host, port, app, bounded, handler_class=Quiet)
    except OSError as exc:
        why = f"cannot serve {host}:{port} ({exc.strerror})"
        raise SettingsError(f"PAPERBOT_METRICS_PORT: {why}") from None
    threading.Thread(target=server.serve_forever, name="paperbot-metrics", daemon=True).start()
    log.info("metrics", extra={"metrics_url": f"http://{host}:{port}/metrics"})
    return server


class Quiet(WSGIRequestHandler):
    """No line on stderr per scrape."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Bounded(ThreadingMixIn, WSGIServer):
    """A thread per connection, for at most ``MAX_CONNECTIONS`` connections at once, each cut
    ``CONNECTION_SECONDS`` after it came (by ``serve_forever``'s loop, twice a second)."""

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.due: dict[socket.socket, float] = {}
        self.lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.lock:
            full = len(self.due) >= MAX_CONNECTIONS
            if not full:
                self.due[request] = time.monotonic() + CONNECTION_SECONDS
        if full:
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.lock:
                self.due.pop(request, None)

    def service_actions(self) -> None:
        now = time.monotonic()
        with self.lock:
            late = [request for request, due in self.due.items() if due < now]
        for request in late:  # wakes its thread: its read or write fails, and it ends
            with contextlib.suppress(OSError):
                request.shutdown(socket.SHUT_RDWR)
