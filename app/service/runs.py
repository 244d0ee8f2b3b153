"""A run of a job: what it is for, which attempt, and its one log line.

Rules:
- One log line per run of a job, a warning when it failed or will retry; its duration in
  ``paperbot_job_seconds`` by bounded outcome (batch jobs: done, or why they retry).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from huey.exceptions import RetryTask

from app.service import metrics
from app.service.retries import Attempt

log = logging.getLogger("paperbot.jobs")


@dataclass(frozen=True)
class Run:
    """One run of a job: what it is for, and which attempt."""

    name: str
    repo: str
    installation: int | None
    base: str | None  # the delivery's default branch; None: the recorded one (base_branch.py)
    delivery: str
    task: Any
    attempt: Attempt
    chain: str = ""  # a scheduled retry's token (chains.py)


def record(
    run: Run,
    args: dict[str, Any],
    *,
    outcome: str,
    retry: RetryTask | None,
    began: tuple[float, int],
) -> None:
    """A run's one log line, and its duration in the metrics."""
    seconds = time.monotonic() - began[0]
    batch = ("regenerate", "reconcile", "weekly")
    bounded = outcome.partition(":")[0] if run.name not in batch or retry else "done"
    metrics.JOBS.labels(run.name, bounded).observe(seconds)
    fields = {
        "job": run.name,
        "repository": run.repo,
        "delivery": run.delivery,
        "issue": args.get("number"),
        "outcome": outcome,
        "seconds": round(seconds, 3),
        "github_requests": metrics.requests_in_this_thread() - began[1],
    }
    if retry is not None:
        fields["retry_in"] = round(retry.delay or 0, 1)
    failing = retry is not None or outcome.startswith("failed")
    log.log(logging.WARNING if failing else logging.INFO, "job", extra=fields)
