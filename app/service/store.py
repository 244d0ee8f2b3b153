"""The queue's own bookkeeping, in the queue's storage: delivery log, leases, waiters, repos.

Rules:
- A delivery is claimed, its job enqueued and its repository remembered in one atomic step
  (one SQLite transaction, one Redis Lua script): a job is never queued without its claim,
  and a claim never exists without its job. Claims expire after 7 days. A delivery claimed
  before whose job failed, or waits for its retry, is queued again when GitHub redelivers
  it (a redelivery is a person asking for it to run now): one received after the claim. A
  record received before it (an inbox segment moved again after a crash) is no redelivery.
- The delivery log says, per delivery: accepted → running → done, or waiting (for a retry)
  → running …, or failed (its job kept for a redelivery), with a due
  time. A job that is not done by its due time (a killed worker, a lost retry) is queued
  again by ``recover``, which every worker start and every sweep runs; jobs are idempotent,
  and a job whose delivery is already done ends at once, so a second copy costs nothing.
- A lease is one atomic statement or script (take, renew, compare-and-delete release), lasts
  at most ``LEASE_SECONDS`` unless renewed, and an expired one is taken over atomically.
  A job that finds its lease held is parked behind it (atomically with the failed take) and
  queued again when the holder releases; ``recover`` wakes waiters of leases that expired.
- Every path that queues a job (accept, a redelivery, a wake-up, ``recover``, Huey's enqueue
  of a retry or a due scheduled task) puts it in its lane (``lane_of``): the delivery log and
  a parked job keep their lane beside the job, so a job queued again lands where it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

LEASE_SECONDS = 30.0  # the bound is 60 s; renewed every third of it
QUEUED_GRACE = 600.0  # a queued or parked job not started by then is queued again
CLAIM_SECONDS = 7 * 24 * 3600.0  # GitHub lets a delivery be redelivered for 3 days (7 on GHES)
SWEEP_LIMIT = 500  # deliveries recovered per call; the next sweep takes the rest
NO_LANE = "-"  # the lane of a job for no repository (a periodic task)


def lane_of(installation: object, repo: object) -> str:
    """A job's queue lane: its App installation's; with a token (no installation), its
    repository's, so one busy repository cannot hold up the others either."""
    if isinstance(installation, int):
        return f"i{installation}"
    return f"r{repo}" if isinstance(repo, str) and repo else NO_LANE


@dataclass(frozen=True)
class Accepted:
    """One delivery to claim: its id, its serialised job, and the repository it is for."""

    delivery: str
    job: bytes
    repo: str
    installation: int | None
    received: float | None = None  # when it reached us (an inbox record's time); None: now


@dataclass(frozen=True)
class Delivery:
    """One entry of the delivery log, as ``paperbot status`` shows it."""

    id: str
    state: str  # accepted, running, waiting, done or failed
    accepted: float
    due: float | None  # when an unfinished one is queued again if not done by then
    done: float | None
    job: bytes | None  # kept until it is done
    why: str  # why it failed or waits for a retry (a safe text, as told on the issue), or ""


class Store(Protocol):
    """What the service needs from the queue's storage beyond Huey's queue itself."""

    local: bool  # a file on this machine (no network between us and it)
    # errors meaning the storage does not answer or refuses writes (down, restarting, full)
    unavailable: tuple[type[Exception], ...]

    def accept(self, items: Sequence[Accepted], now: float) -> list[bool]:
        """Claim, enqueue and remember each item atomically; False for a claimed delivery,
        unless its job failed or waits for a retry: that job is queued again."""

    def begin(self, delivery: str, until: float) -> bool:
        """Mark ``delivery`` running until ``until``; False when it is already done."""

    def postpone(self, delivery: str, until: float) -> None:
        """Move the time by which ``delivery`` must be done (or renewed)."""

    def wait(self, delivery: str, until: float, *, why: str = "") -> None:
        """Record ``delivery`` as waiting for a retry, to be done (or renewed) by ``until``,
        and ``why`` (safe to show)."""

    def finish(self, delivery: str, state: str, *, now: float, why: str = "") -> None:
        """Record ``delivery`` as ``done`` (its job dropped) or ``failed`` at ``now``, and
        ``why`` (safe to show)."""

    def recover(self, now: float, *, owner: bool = False) -> int:
        """Queue again the jobs due before ``now``, wake waiters of free leases, drop what
        expired; ``owner`` (the one process of an embedded queue, at start) also takes every
        lease as dead. Returns how many jobs were queued again."""

    def take(
        self, name: str, token: str, *, seconds: float, park: bytes | None, lane: str = NO_LANE
    ) -> bool:
        """Take lease ``name`` (free or expired) for ``seconds``; else park ``park`` behind it,
        to be queued again in ``lane``."""

    def renew(self, name: str, token: str, *, seconds: float) -> bool:
        """Extend lease ``name`` by ``seconds`` from now while ``token`` still holds it."""

    def release(self, name: str, token: str) -> None:
        """Drop lease ``name`` if ``token`` holds it, and queue its first waiter."""

    def parked(self) -> int:
        """How many jobs wait behind a lease."""

    def repos(self) -> dict[str, int | None]:
        """Every repository a delivery came from, with its installation id."""

    def forget(self, repo: str) -> None:
        """Drop ``repo`` from ``repos`` (gone from GitHub; a later delivery brings it back)."""

    def state(self, delivery: str) -> str | None:
        """The delivery log's state of ``delivery`` (None when unknown or expired)."""

    def deliveries(self) -> list[Delivery]:
        """The whole delivery log (the last ``CLAIM_SECONDS``), oldest first."""

    def epoch(self, mine: str) -> str:
        """The storage's generation mark: ``mine`` stored and returned when it has none (a
        new or emptied storage), else the one stored (``watch.py``)."""

    def restore(self, repos: dict[str, int | None]) -> None:
        """Remember ``repos`` again (after the storage lost them)."""

    def ping(self) -> None:
        """Raise when the storage does not answer."""

    def probe(self) -> None:
        """Raise when the storage answers but refuses writes (a full Redis)."""

    def risks(self) -> list[str]:
        """What about this storage's setup may lose work (said once at start)."""
