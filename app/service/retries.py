"""When a failed job runs again, and when it has failed for good.

Rules:
- GitHub being down (``Transient``: a 5xx, a timeout, no connection) is waited out: the
  job runs again after a delay that doubles from ``FIRST_DELAY`` up to ``MAX_DELAY``, each
  drawn between half and all of it (jitter: jobs that failed together do not come back
  together), for as long as its first failure is less than ``WINDOW`` ago.
- Any other GitHub error (409, 422, a 403 that is not a rate limit) runs again at most
  ``ATTEMPTS`` times in all, a few seconds apart.
- A job that gives up is counted in ``paperbot_jobs_failed`` and logged in one line; the
  text of a port error is safe to show (no secret), anything else shows its type only.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from app.github.port import GitHubError, Transient

WINDOW = 30 * 60.0  # seconds of GitHub outage a job waits out
FIRST_DELAY = 10.0
MAX_DELAY = 300.0
ATTEMPTS = 4  # runs of a job that meets a GitHub error other than an outage


@dataclass(frozen=True)
class Attempt:
    """Which run of a job this is: ``number`` earlier failures, the first at ``since``."""

    number: int = 0
    since: float = 0.0

    def after(self, now: float) -> Attempt:
        return Attempt(self.number + 1, self.since or now)


def next_delay(
    exc: Exception, attempt: Attempt, *, now: float, rand: Callable[[], float] = random.random
) -> float | None:
    """Seconds until the next run after ``exc``, or None when the job has failed for good."""
    if isinstance(exc, Transient):
        left = (attempt.since or now) + WINDOW - now
        if left < 1:
            return None
        ceiling = min(FIRST_DELAY * 2.0 ** min(attempt.number, 16), MAX_DELAY)
        return min(ceiling * (0.5 + rand() / 2), left)
    if isinstance(exc, GitHubError) and attempt.number + 1 < ATTEMPTS:
        return FIRST_DELAY * (0.5 + rand() / 2)
    return None


def reason(exc: Exception) -> str:
    """A bounded label for ``paperbot_jobs_failed``."""
    if isinstance(exc, Transient):
        return "github unavailable"
    return "github error" if isinstance(exc, GitHubError) else "unexpected"


def safe_text(exc: Exception) -> str:
    """What may be shown of ``exc`` on an issue or in a log line."""
    return str(exc) if isinstance(exc, GitHubError) else type(exc).__name__
