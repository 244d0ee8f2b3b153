"""Leases on a name in the queue's storage, and the heartbeat that keeps running work alive.

Rules:
- A lease lasts ``LEASE_SECONDS`` (≤ 60 s); the heartbeat renews what running jobs hold every
  third of that, so a killed holder blocks its repository for at most one lease.
- A lease is taken, renewed and released by compare-and-set on a random token, one atomic
  step each (``Store``); no taker ever deletes a lease it does not hold.
- Nothing here sleeps on a worker thread: a busy lease parks the job (``Store.take``), and
  only the heartbeat's own thread waits.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from app.service.store import LEASE_SECONDS, NO_LANE, Store
from app.service.threads import Background

log = logging.getLogger("paperbot.lease")


class Lease:
    """A lease on ``name``, held by this object's token."""

    def __init__(self, store: Store, name: str, *, seconds: float = LEASE_SECONDS) -> None:
        self.store, self.name, self.seconds = store, name, seconds
        self.token = uuid.uuid4().hex

    def take(self, *, park: bytes | None = None, lane: str = NO_LANE) -> bool:
        """True when taken; else ``park`` (a serialised job) waits for the release, to be
        queued again in ``lane``."""
        return self.store.take(self.name, self.token, seconds=self.seconds, park=park, lane=lane)

    def renew(self) -> bool:
        renewed = self.store.renew(self.name, self.token, seconds=self.seconds)
        if not renewed:
            log.warning("lease lost", extra={"lease": self.name})
        return renewed

    def release(self) -> None:
        self.store.release(self.name, self.token)


class Heartbeat(Background):
    """One thread per process: renews what running jobs hold, and sweeps the store.

    The sweep (``Store.recover``) queues again jobs whose worker died and wakes jobs parked
    behind an expired lease, so recovery takes one lease plus one beat, not a restart.
    """

    name = "paperbot-heartbeat"
    join_seconds = 5.0

    def __init__(self, store: Store, *, every: float = LEASE_SECONDS / 3) -> None:
        super().__init__()
        self.store, self.every = store, every
        self._held: dict[object, Callable[[], object]] = {}
        self._checks: list[Callable[[], object]] = []
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, renew: Callable[[], object]) -> Iterator[None]:
        """Call ``renew`` every beat while the block runs."""
        key = object()
        with self._lock:
            self._held[key] = renew
        try:
            yield
        finally:
            with self._lock:
                del self._held[key]

    def also(self, check: Callable[[], object]) -> None:
        """Call ``check`` on every beat too, after the sweep."""
        with self._lock:
            self._checks.append(check)

    def run(self) -> None:
        while not self.stopping.wait(self.every):
            self.beat()

    def beat(self) -> None:
        """Renew everything held, then sweep; a storage error is logged and retried next beat."""
        with self._lock:
            renewals, checks = list(self._held.values()), list(self._checks)
        for step in [*renewals, lambda: self.store.recover(time.time()), *checks]:
            self._logged(step)

    def _logged(self, step: Callable[[], object]) -> None:
        """A storage that refuses (down, full) is one line without a traceback; a bug has it."""
        try:
            step()
        except self.store.unavailable as exc:
            error = f"{type(exc).__name__}: {exc}"[:200]
            log.warning("heartbeat step failed: queue storage refused", extra={"error": error})
        except Exception:
            log.exception("heartbeat step failed")
