"""Each repository's own default branch: named by deliveries, recorded, refreshed from GitHub.

Rules:
- Nothing assumes ``main``: every job runs on its repository's default branch.
- A delivery names it (``repository.default_branch``): that job uses it, and it is recorded
  in the ledger per repository, with the time it was learned.
- A delivery's branch can be gone by the time its job runs (renamed while it was queued): a
  flow reads the base's head through ``base_sha``, which raises ``StaleBase`` for a branch
  only a delivery named, before anything is written; the worker then asks GitHub and runs
  the job again on its answer.
- A job without one (the periodic reconcile and weekly tick, the reconcile of a worker's
  start, an Actions run whose event names no repository) asks GitHub (one GET, a 304 while
  unchanged) and records the answer: a record can be stale (GitHub sends no routed delivery
  for a rename), and a stale branch would tell every open submission its README is gone.
"""

from __future__ import annotations

import datetime as dt
import json

from app.flows.context import Context, Ledger
from app.github.port import RepoPort

FRESH = dt.timedelta(hours=1)


class StaleBase(Exception):
    """The default branch a delivery named no longer exists (renamed since)."""


def base_sha(job: Context) -> str | None:
    """The head of the job's base branch; StaleBase when only a delivery named it and it is
    gone, None when GitHub's own default branch is missing."""
    sha = job.port.branch_sha(job.base)
    if sha is None and job.named:
        raise StaleBase(job.base)
    return sha


def default_branch(port: RepoPort, ledger: Ledger, *, given: str | None, now: dt.datetime) -> str:
    """The repository's default branch: ``given`` by the delivery, else GitHub's answer."""
    key = f"default-branch:{port.full_name}"
    branch, learned = _recorded(ledger.read(key))
    if given:
        if given != branch or learned is None or now - learned >= FRESH / 2:
            _record(ledger, key, branch=given, now=now)
        return given
    branch = port.repository().default_branch
    _record(ledger, key, branch=branch, now=now)
    return branch


def _recorded(raw: bytes | None) -> tuple[str | None, dt.datetime | None]:
    try:
        got = json.loads(raw) if raw else {}
        return str(got["branch"]), dt.datetime.fromisoformat(got["at"])
    except (ValueError, KeyError, TypeError):
        return None, None


def _record(ledger: Ledger, key: str, *, branch: str, now: dt.datetime) -> None:
    ledger.write(key, json.dumps({"branch": branch, "at": now.isoformat()}).encode())
