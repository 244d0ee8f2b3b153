"""Each repository's own default branch: named by deliveries, recorded, refreshed from GitHub.

Rules:
- Nothing assumes ``main``: every job runs on its repository's default branch.
- A delivery names it (``repository.default_branch``): that job uses it, and it is recorded
  in the ledger per repository, with the time it was learned.
- A job without one (the periodic reconcile and weekly tick, the reconcile of a worker's
  start, an Actions run whose event names no repository) asks GitHub (one GET, a 304 while
  unchanged) and records the answer: a record can be stale (GitHub sends no routed delivery
  for a rename), and a stale branch would tell every open submission its README is gone.
"""

from __future__ import annotations

import datetime as dt
import json

from app.flows.context import Ledger
from app.github.port import RepoPort

FRESH = dt.timedelta(hours=1)


def default_branch(port: RepoPort, ledger: Ledger, *, given: str | None, now: dt.datetime) -> str:
    """The repository's default branch: ``given`` by the delivery, else GitHub's answer."""
    key = f"default-branch:{port.full_name}"
    branch, learned = _recorded(ledger.read(key))
    if given:
        if given != branch or learned is None or now - learned >= FRESH / 2:
            _record(ledger, key, given, now)
        return given
    branch = port.repository().default_branch
    _record(ledger, key, branch, now)
    return branch


def _recorded(raw: bytes | None) -> tuple[str | None, dt.datetime | None]:
    try:
        got = json.loads(raw) if raw else {}
        return str(got["branch"]), dt.datetime.fromisoformat(got["at"])
    except (ValueError, KeyError, TypeError):
        return None, None


def _record(ledger: Ledger, key: str, branch: str, now: dt.datetime) -> None:
    ledger.write(key, json.dumps({"branch": branch, "at": now.isoformat()}).encode())
