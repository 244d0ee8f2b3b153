"""Prometheus metrics (served at /metrics) and a per-thread count of GitHub requests for logs."""

from __future__ import annotations

import re
import threading
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()
DELIVERIES = Counter(
    "paperbot_deliveries",
    "Webhook deliveries by event and outcome",
    ["event", "outcome"],
    registry=REGISTRY,
)
JOBS = Histogram(
    "paperbot_job_seconds",
    "Job duration by job and outcome",
    ["job", "outcome"],
    registry=REGISTRY,
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
RETRIES = Counter(
    "paperbot_job_retries",
    "Jobs put back for later, by job and reason",
    ["job", "reason"],
    registry=REGISTRY,
)
FAILED = Counter(
    "paperbot_jobs_failed",
    "Jobs that gave up, by job and reason",
    ["job", "reason"],
    registry=REGISTRY,
)
GITHUB = Counter(
    "paperbot_github_requests",
    "GitHub API requests by method, endpoint, status",
    ["method", "endpoint", "status"],
    registry=REGISTRY,
)
RATE_REMAINING = Gauge(
    "paperbot_github_rate_limit_remaining",
    "x-ratelimit-remaining of the last GitHub answer",
    registry=REGISTRY,
)
MOVED = Counter(
    "paperbot_inbox_moved",
    "Deliveries moved from the embedded queue's inbox into the queue, by outcome",
    ["outcome"],
    registry=REGISTRY,
)
QUEUE_DEPTH = Gauge("paperbot_queue_depth", "Jobs waiting in the queue", registry=REGISTRY)
QUEUE_UP = Gauge(
    "paperbot_queue_up",
    "1 when the queue answered this scrape; 0 when not (the depths are then as last read)",
    registry=REGISTRY,
)
RUNNING = Gauge("paperbot_jobs_running", "Jobs this process is running now", registry=REGISTRY)
LANE_DEPTH = Gauge(
    "paperbot_queue_lane_depth",
    "Jobs queued per lane: i<installation>, r<digest of a repository> (token), - (none)",
    ["lane"],
    registry=REGISTRY,
)
PACING_WAIT = Histogram(
    "paperbot_pacing_wait_seconds",
    "Waits for a shared pacing slot, by kind (github, lookup)",
    ["kind"],
    registry=REGISTRY,
    buckets=(0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60),
)
SECONDARY_PAUSES = Counter(
    "paperbot_secondary_limit_pauses",
    "Rate-limit answers that paused an installation (github) or a service (lookup), by kind",
    ["kind"],
    registry=REGISTRY,
)

_ID = re.compile(r"/repos/[^/]+/[^/]+")
_NUM = re.compile(r"/(\d+|[0-9a-f]{40})(?=/|$)")
_NAMED = (
    (re.compile(r"/(contents|git/ref|git/refs)/.+$"), r"/\1/{path}"),
    (re.compile(r"/compare/.+$"), "/compare/{basehead}"),
    (re.compile(r"/collaborators/[^/]+/"), "/collaborators/{username}/"),
    (re.compile(r"/labels/[^/]+$"), "/labels/{name}"),
)
_local = threading.local()
_deliveries: dict[tuple[str, str], Any] = {}  # bounded: routed events x outcomes


def endpoint(path: str) -> str:
    """A bounded label for a REST path: repository, names, numbers and SHAs replaced (a
    member's login or a commit never becomes a label value)."""
    path = _ID.sub("/repos/{repo}", path.split("?", 1)[0])
    for part, template in _NAMED:
        path = part.sub(template, path)
    return _NUM.sub("/{id}", path)


def delivery(event: str, outcome: str) -> None:
    """Count one delivery (``event`` already bounded to routed names and ``other``)."""
    child = _deliveries.get((event, outcome))
    if child is None:
        child = _deliveries[(event, outcome)] = DELIVERIES.labels(event, outcome)
    child.inc()


def github_request(method: str, path: str, *, status: int, remaining: str | None) -> None:
    """Count one GitHub request (for /metrics and for this thread's job log line)."""
    GITHUB.labels(method, endpoint(path), str(status)).inc()
    if remaining is not None and remaining.isdigit():
        RATE_REMAINING.set(int(remaining))
    _local.count = requests_in_this_thread() + 1


def requests_in_this_thread() -> int:
    return int(getattr(_local, "count", 0))
