"""Each repository's own default branch: as a delivery names it, else as GitHub answers.

Rules:
- Nothing assumes ``main``: every job runs on its repository's default branch.
- A delivery names it (``repository.default_branch``): that job uses it.
- A delivery's branch can be gone by the time its job runs (renamed while it was queued): a
  flow reads the base's head through ``base_sha``, which raises ``StaleBase`` for a branch
  only a delivery named, before anything is written; the worker then asks GitHub and runs
  the job again on its answer.
- A job without one (the periodic reconcile and weekly tick, the reconcile of a worker's
  start, an Actions run whose event names no repository) asks GitHub (one GET, a 304 while
  unchanged), never a record of ours: GitHub sends no routed delivery for a rename, and a
  stale branch would tell every open submission its README is gone.
"""

from __future__ import annotations

from app.flows.context import Context
from app.github.port import RepoPort


class StaleBase(Exception):
    """The default branch a delivery named no longer exists (renamed since)."""


def base_sha(job: Context) -> str | None:
    """The head of the job's base branch; StaleBase when only a delivery named it and it is
    gone, None when GitHub's own default branch is missing."""
    sha = job.port.branch_sha(job.base)
    if sha is None and job.named:
        raise StaleBase(job.base)
    return sha


def default_branch(port: RepoPort, *, given: str | None) -> str:
    """The repository's default branch: ``given`` by the delivery, else GitHub's answer."""
    return given or port.repository().default_branch
