"""Huey tasks: thin wrappers that serialise work per repository and call the flows.

Rules:
- A task takes only primitives; it re-reads everything from GitHub through the port.
- Work on one repository is serialised by a Huey lock (shared by every process through the
  queue's storage); a task that finds the lock taken is retried shortly, not lost.
- ``Gone`` ends a task quietly; ``RateLimited`` retries after the wait GitHub asked for;
  anything else uses the task's retries, and the last failure is told on the issue.
- Every repository the bot has heard from is reconciled periodically (and at start).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from huey import Huey, crontab, signals
from huey.exceptions import RetryTask, TaskLockedException

from app.core import messages
from app.core.errors import BotError
from app.flows import FLOWS
from app.flows.context import Clock, Context, Now, Status, repo_config, today_in, utc_now
from app.github.port import GitHubError, Gone, RateLimited
from app.github.pygithub import Clients
from app.service import metrics
from app.service.ledger import QueueLedger
from app.service.queue import Lease, known_repos
from app.service.settings import Settings

log = logging.getLogger("paperbot.jobs")


class Worker:
    """Runs flows for tasks; one per process, holding the GitHub clients."""

    def __init__(
        self,
        settings: Settings,
        huey: Huey,
        *,
        clock: Clock = today_in,
        clients: Clients | None = None,
        now: Now = utc_now,
    ) -> None:
        self.huey = huey
        self.clock = clock
        self.now = now
        self.ledger = QueueLedger(huey)
        self.clients = clients or Clients(settings, on_request=metrics.github_request)
        self._limited: dict[str, int] = {}

    def _backoff(self, repo: str, exc: RateLimited) -> float:
        """GitHub's wait when it gave one; else 60 s doubling per repeat, capped at 15 min."""
        if exc.told:
            return exc.retry_after
        n = self._limited[repo] = self._limited.get(repo, 0) + 1
        return float(min(60 * 2 ** (n - 1), 900))

    def run(
        self,
        name: str,
        *,
        repo: str,
        installation: int | None,
        base: str = "main",
        delivery: str = "",
        **args: Any,
    ) -> str:
        """Run flow ``name`` for ``repo`` under the repository lock."""
        started, calls = time.monotonic(), metrics.requests_in_this_thread()
        port = self.clients.repo(repo, installation)
        job = Context(port=port, base=base, clock=self.clock, now=self.now, ledger=self.ledger)
        outcome = self._guarded(name, repo, job, args)
        seconds = time.monotonic() - started
        batch = ("regenerate", "reconcile", "weekly")
        bounded = outcome.partition(":")[0] if name not in batch else "done"
        metrics.JOBS.labels(name, bounded).observe(seconds)
        log.info(
            "job",
            extra={
                "job": name,
                "repository": repo,
                "delivery": delivery,
                "issue": args.get("number"),
                "outcome": outcome,
                "seconds": round(seconds, 3),
                "github_requests": metrics.requests_in_this_thread() - calls,
            },
        )
        return outcome

    def _guarded(self, name: str, repo: str, job: Context, args: dict[str, Any]) -> str:
        """The flow under the lease; lock contention and rate limits become later retries."""
        try:
            with Lease(self.huey, f"repo:{repo}", wait=2.0):
                outcome = FLOWS[name](job, **args)
        except TaskLockedException:
            metrics.RETRIES.labels(name, "repository busy").inc()
            raise RetryTask(delay=0.2) from None
        except Gone:
            return "gone"
        except RateLimited as exc:
            metrics.RETRIES.labels(name, "rate limited").inc()
            raise RetryTask(delay=self._backoff(repo, exc)) from exc
        self._limited.pop(repo, None)
        return outcome

    def failed(self, task: Any, exc: Exception) -> None:
        """After the last retry, say on the issue that paperbot gave up, and why."""
        kwargs = task.kwargs or {}
        if task.retries or task.name != "process_issue" or "number" not in kwargs:
            return
        safe = str(exc) if isinstance(exc, GitHubError) else type(exc).__name__
        port = self.clients.repo(kwargs["repo"], kwargs.get("installation"))
        try:
            issue = port.get_issue(kwargs["number"])
            lang = repo_config(port, kwargs.get("base", "main")).language
            Status(port, issue, lang).say(messages.status("failed", lang, message=safe))
        except (GitHubError, BotError):
            log.warning("could not report failure", extra={"repository": kwargs["repo"]})


def register(huey: Huey, worker: Worker, *, reconcile_minutes: int = 60) -> dict[str, Any]:
    """Create the Huey tasks for ``worker``; returns them by name, for the queue."""
    tasks: dict[str, Any] = {}
    for name in FLOWS:
        tasks[name] = huey.task(retries=4, retry_delay=5, name=name)(_bound(worker, name))

    def on_error(signal: str, task: Any, exc: Exception | None = None) -> None:
        if exc is not None:
            worker.failed(task, exc)

    def reconcile_all() -> None:
        for repo, installation in known_repos(huey).items():
            tasks["reconcile"](repo=repo, installation=installation)

    def weekly_all() -> None:
        for repo, installation in known_repos(huey).items():
            tasks["weekly"](repo=repo, installation=installation)

    huey.signal(signals.SIGNAL_ERROR)(on_error)
    every = crontab(minute=f"*/{reconcile_minutes}" if reconcile_minutes < 60 else "0")
    tasks["reconcile_all"] = huey.periodic_task(every, name="reconcile_all")(reconcile_all)
    tasks["weekly_all"] = huey.periodic_task(crontab(minute="*/10"), name="weekly_all")(weekly_all)
    return tasks


def _bound(worker: Worker, name: str) -> Callable[..., str]:
    def call(**kwargs: Any) -> str:
        return worker.run(name, **kwargs)

    call.__name__ = name
    return call
