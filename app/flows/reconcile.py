"""The safety net: re-check a repository's open submissions, so a lost job loses nothing."""

from __future__ import annotations

from app.core import messages
from app.flows.context import Context
from app.flows.submission import process_issue


def reconcile(job: Context) -> str:
    """Process every open issue without an open bot PR, then refresh every open bot PR."""
    with_pull = {n for p in job.port.open_pulls() if (n := messages.issue_of(p.head)) is not None}
    outcomes = [
        process_issue(job, issue.number)
        for issue in job.port.open_issues()
        if issue.number not in with_pull
    ]
    outcomes += [process_issue(job, n) for n in sorted(with_pull)]
    done = sum(o == "submitted" for o in outcomes)
    return f"checked {len(outcomes)} issue(s), {done} submitted"
