"""Huey tasks: thin wrappers that serialise work per repository and call the flows.

Rules:
- A task takes only primitives; it re-reads everything from GitHub through the port.
- Work on one repository runs under its lease (``lease.py``). A task that finds the lease
  held is parked behind it and queued again at the release; after ``MAX_PARKS`` parkings it
  is put off by ``FAR_LATER`` instead. It is never dropped and never waits on a thread.
- A job with a delivery id keeps the delivery log current: running (renewed by the
  heartbeat) → done or failed; a delivery already done is not run again.
- ``Gone`` ends a task quietly; ``RateLimited`` retries after the wait GitHub asked for;
  other GitHub errors run again as ``retries.py`` says (an outage is waited out for 30
  minutes), with no traceback; anything else (a bug) uses the task's retries. A job that
  gives up is recorded ``failed`` and told on the issue; a delivery that failed or waits
  for its retry runs at once when GitHub redelivers it (``Store.accept``), and the retry
  it replaces then ends at once (``chains.py``): one chain of retries per delivery.
- One log line per run of a job (``runs.py``).
- Every worker start recovers what the store holds (jobs of dead workers, parked jobs of
  expired leases) and queues a reconcile of every known repository (``tasks.py``); a
  reconcile that finds its repository gone from GitHub drops it from the known ones. Its
  heartbeat then watches for a storage that lost everything (``watch.py``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from huey.exceptions import RetryTask

from app.core import messages
from app.core.errors import BotError
from app.flows import FLOWS
from app.flows.base_branch import StaleBase, default_branch
from app.flows.context import Clock, Context, Now, Status, repo_config, today_in, utc_now
from app.github.port import GitHubError, Gone, RateLimited, RepoPort
from app.github.pygithub import Clients
from app.lookup.port import Lookup
from app.service import chains, metrics
from app.service.lease import Heartbeat, Lease
from app.service.ledger import QueueLedger
from app.service.lookups import cached_lookup
from app.service.queue import PaperbotHuey
from app.service.retries import Attempt, next_delay, reason, safe_text
from app.service.runs import Run, record
from app.service.settings import Settings
from app.service.store import LEASE_SECONDS, QUEUED_GRACE, lane_of
from app.service.watch import Repos, Watch

log = logging.getLogger("paperbot.jobs")
MAX_PARKS = 8  # parkings behind a busy repository before the job is put off
FAR_LATER = 600.0  # seconds: where a job that kept finding its repository busy goes


class Worker:
    """Runs flows for tasks; one per process, holding the GitHub clients and the heartbeat."""

    def __init__(
        self,
        settings: Settings,
        huey: PaperbotHuey,
        *,
        clock: Clock = today_in,
        clients: Clients | None = None,
        now: Now = utc_now,
        owner: bool = False,
        lookup: Lookup | None = None,
        ledger: QueueLedger | None = None,
    ) -> None:
        self.huey, self.store, self.clock, self.owner = huey, huey.store, clock, owner
        self.now = now
        self.ledger = ledger or QueueLedger(huey)
        self.lookup = lookup or cached_lookup(self.ledger, pacer=huey.pacer)
        self.clients = clients or Clients(
            settings, on_request=metrics.github_request, pacer=huey.pacer
        )
        self.heartbeat = Heartbeat(self.store)
        self.watch = Watch(self.store)
        self._limited: dict[str, int] = {}
        self._started = threading.Lock()
        self.started = False

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
        base: str | None = None,
        delivery: str = "",
        task: Any = None,
        parked: int = 0,
        attempt: int = 0,
        since: float = 0.0,
        chain: str = "",
        **args: Any,
    ) -> str:
        """Run flow ``name`` for ``repo`` under the repository lease; one log line."""
        started, calls = time.monotonic(), metrics.requests_in_this_thread()
        self.watch.saw(repo, installation)
        lease = Lease(self.store, f"repo:{repo}")
        lane = lane_of(installation, repo)
        if not self._take(lease, name, delivery=delivery, task=task, parked=parked, lane=lane):
            return "parked"
        run = Run(name, repo, installation, base, delivery, task, Attempt(attempt, since), chain)
        try:
            with self.heartbeat.hold(lambda: self._renew(lease, delivery)):
                outcome, retry = self._guarded(run, args)
        finally:
            lease.release()
        record(run, args, outcome=outcome, retry=retry, began=(started, calls))
        if retry is not None:
            raise retry
        return outcome

    def _take(
        self, lease: Lease, name: str, *, delivery: str, task: Any, parked: int, lane: str
    ) -> bool:
        """Take the lease; else park the task behind it (or, after MAX_PARKS, put it off)."""
        park = None
        if task is not None and parked < MAX_PARKS:
            task.kwargs["parked"] = parked + 1  # counted in the parked copy only
            park = self.huey.serialize_task(task)
            task.kwargs["parked"] = parked
        if lease.take(park=park, lane=lane):
            return True
        metrics.RETRIES.labels(name, "repository busy").inc()
        wait = QUEUED_GRACE if park is not None else FAR_LATER
        self._postpone(delivery, wait)
        if park is None:
            raise RetryTask(delay=FAR_LATER)
        return False

    def _renew(self, lease: Lease, delivery: str) -> None:
        lease.renew()
        if delivery:
            self.store.postpone(delivery, time.time() + lease.seconds)

    def _postpone(self, delivery: str, seconds: float) -> None:
        if delivery:
            self.store.postpone(delivery, time.time() + seconds + QUEUED_GRACE)

    def _guarded(self, run: Run, args: dict[str, Any]) -> tuple[str, RetryTask | None]:
        """The flow, once per delivery: the outcome, and the retry to raise if it is due."""
        if run.delivery and not chains.current(self.ledger, run.delivery, chain=run.chain):
            return "superseded: it ran again since", None
        if run.delivery and not self.store.begin(run.delivery, time.time() + LEASE_SECONDS):
            return "done before", None
        try:
            outcome = self._flow(run, args)
        except RateLimited as exc:
            metrics.RETRIES.labels(run.name, "rate limited").inc()
            wait = self._backoff(run.repo, exc)
            return "rate limited", self._later(run, wait, why=safe_text(exc), counted=False)
        except GitHubError as exc:
            delay = next_delay(exc, run.attempt, now=self.now().timestamp())
            if delay is None:
                return self._give_up(run, args, exc=exc), None
            metrics.RETRIES.labels(run.name, reason(exc)).inc()
            return f"retrying: {exc}", self._later(run, delay, why=safe_text(exc))
        self._limited.pop(run.repo, None)
        if run.delivery:
            self.store.finish(run.delivery, "done", now=time.time())
        return outcome, None

    def _flow(self, run: Run, args: dict[str, Any]) -> str:
        port = self.clients.repo(run.repo, run.installation)
        try:
            base = default_branch(port, given=run.base)
            try:
                return FLOWS[run.name](self._context(run, port, base=base), **args)
            except StaleBase:  # renamed while the job waited: GitHub's branch, once
                base = default_branch(port, given=None)
                return FLOWS[run.name](self._context(run, port, base=base, named=False), **args)
        except Gone:
            if run.name == "reconcile":
                self._forget_if_gone(port, run.repo)
            return "gone"

    def _forget_if_gone(self, port: RepoPort, repo: str) -> None:
        """The repository itself gone (deleted, its installation removed): no periodic job
        is queued for it any more (until a delivery from it brings it back)."""
        try:
            port.repository()
        except Gone:
            self.store.forget(repo)
        except GitHubError:
            pass  # there, or GitHub says nothing clear: kept

    def _context(self, run: Run, port: RepoPort, *, base: str, named: bool = True) -> Context:
        return Context(
            port=port,
            base=base,
            clock=self.clock,
            now=self.now,
            ledger=self.ledger,
            lookup=self.lookup,
            others=lambda name: self.clients.repo(name, run.installation),
            named=named and bool(run.base),
        )

    def _later(self, run: Run, delay: float, *, why: str, counted: bool = True) -> RetryTask:
        """Run again in ``delay`` seconds; a redelivery meanwhile runs it at once."""
        if run.task is not None and counted:
            attempt = run.attempt.after(self.now().timestamp())
            run.task.kwargs.update(attempt=attempt.number, since=attempt.since)
        if run.delivery:
            chains.schedule(self.ledger, run.task, delivery=run.delivery)
            self.store.wait(run.delivery, time.time() + delay + QUEUED_GRACE, why=why)
        return RetryTask(delay=delay)

    def _give_up(self, run: Run, args: dict[str, Any], *, exc: Exception) -> str:
        """The job has failed for good: recorded, counted, and told on the issue."""
        if run.delivery:
            self.store.finish(run.delivery, "failed", now=time.time(), why=safe_text(exc))
        metrics.FAILED.labels(run.name, reason(exc)).inc()
        if run.name == "process_issue" and "number" in args:
            self._tell(run, int(args["number"]), safe=safe_text(exc))
        return f"failed: {safe_text(exc)}"

    def _tell(self, run: Run, number: int, *, safe: str) -> None:
        try:
            port = self.clients.repo(run.repo, run.installation)
            issue = port.get_issue(number)
            base = default_branch(port, given=run.base)
            lang = repo_config(port, base).language
            Status(port, issue, lang).say(messages.status("failed", lang, message=safe))
        except (GitHubError, BotError) as exc:
            log.warning(
                "could not report failure", extra={"repository": run.repo, "error": str(exc)}
            )

    def failed(self, task: Any, exc: Exception) -> None:
        """An unexpected error (a bug): Huey retries it; after the last, the job has failed."""
        kwargs = task.kwargs or {}
        delivery = str(kwargs.get("delivery") or "")
        if task.retries:
            delay = float(getattr(task, "retry_delay", 0) or 0)
            if delivery:
                chains.schedule(self.ledger, task, delivery=delivery)
                self.store.wait(delivery, time.time() + delay + QUEUED_GRACE, why=safe_text(exc))
            return
        repo, base = str(kwargs.get("repo")), kwargs.get("base") or None
        run = Run(task.name, repo, kwargs.get("installation"), base, delivery, task, Attempt())
        outcome = self._give_up(run, kwargs, exc=exc)
        log.warning("job", extra={"job": task.name, "repository": run.repo, "outcome": outcome})

    def start(self, reconcile: Callable[[Repos], None]) -> None:
        """Once per process: start the heartbeat, recover the store, reconcile every repo;
        from then on every beat also watches for a storage that lost its data."""
        with self._started:  # a failed recovery (the queue went away) is tried by the next
            if self.started:
                return
            recovered = self.store.recover(time.time(), owner=self.owner)
            self.watch.check(reconcile)
            self.started = True
        logging.getLogger("paperbot.worker").info("started", extra={"recovered": recovered})
        self.heartbeat.also(lambda: self.watch.check(reconcile))
        self.heartbeat.start()
        reconcile(self.store.repos())
