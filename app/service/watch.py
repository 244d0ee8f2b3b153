"""Noticing a queue storage that lost everything (a Redis restarted without persistence).

Rules:
- The storage holds one generation mark, set by the first process that finds none
  (``Store.epoch``). A worker checks it at start and on every heartbeat; a mark other than
  the one it saw before means the storage was emptied since: every accepted delivery, queued
  job, retry and remembered repository is gone.
- Each worker keeps in memory the repositories the storage remembered at its last check and
  those it ran a job for since.
  On a lost storage it says so in one warning, writes them back (``Store.restore``) and
  queues a reconcile of each: the safety net re-reads every open issue, so an accepted
  submission whose job was lost still gets its PR. Every worker that sees the change does
  this; a reconcile is idempotent, so a second one changes nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from app.service.store import Store

log = logging.getLogger("paperbot.queue")
Repos = dict[str, int | None]


class Watch:
    """One per worker process: the storage's generation as last seen, and what it knew."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen: str | None = None
        self.known: Repos = {}

    def saw(self, repo: str, installation: int | None) -> None:
        """A job ran for ``repo``: remembered even if the storage is emptied before the next
        check."""
        self.known[repo] = installation

    def check(self, reconcile: Callable[[Repos], None]) -> bool:
        """Compare the storage's mark with the last one seen; True when it was emptied since
        (its repositories then restored and reconciled)."""
        mark = self.store.epoch(uuid.uuid4().hex)  # a new mark each time: ours is no proof
        lost = self.seen is not None and mark != self.seen
        if lost:
            log.warning(
                "queue storage lost its data (restarted without persistence, flushed or failed"
                " over): queued jobs and retries are gone; reconciling the known repositories",
                extra={"repositories": len(self.known)},
            )
            self.store.restore(self.known)
            reconcile(self.known)
        self.seen = mark
        self.known = self.store.repos()  # a repository forgotten since stays forgotten
        return lost
