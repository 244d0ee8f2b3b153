"""The safety net: re-check a repository's submissions, so a lost webhook loses nothing.

Rules:
- Covered: every open issue, every open bot PR (also when its issue is closed, merged or
  deleted), and bot PRs closed in the last ``RECENT`` days whose issue lacks the label
  (and so the note) that closing should have left.
- Every list is read to its end; one bad item (gone) never stops the batch.
"""

from __future__ import annotations

import datetime as dt

from app.core import messages
from app.flows import batch
from app.flows.context import Context, repo_config
from app.flows.lifecycle import issue_closed, ours, pull_closed, refresh_pull
from app.flows.submission import process_issue
from app.github.port import Gone, Issue, Pull

RECENT = dt.timedelta(days=7)


def reconcile(job: Context) -> str:
    """Process open issues and open bot PRs, then record bot PRs closed without a trace
    (in weekly mode: regenerate the rolling PR and rewrite every status comment)."""
    config = repo_config(job.port, job.base)
    if config.pull_requests == "weekly":
        got = batch.sync(job, config)
        batch.announce(job, config, got, only=None)
        recorded = _closed(job, {i.number: i for i in job.port.open_issues()})
        return f"rolling pull: {len(got.items)} pending, {recorded} closed PR(s) recorded"
    pulls = {messages.issue_of(p.head): p for p in ours(job.port, job.port.open_pulls())}
    issues = {i.number: i for i in job.port.open_issues()}
    outcomes = [_issue(job, n) for n in sorted(issues.keys() - pulls.keys())]
    outcomes += [_pull(job, p, issues) for _, p in sorted(pulls.items(), key=lambda x: x[0] or 0)]
    recorded = _closed(job, issues)
    done = sum(o == "submitted" for o in outcomes)
    return f"checked {len(outcomes)} issue(s), {done} submitted" + (
        f", {recorded} closed PR(s) recorded" if recorded else ""
    )


def _issue(job: Context, number: int) -> str:
    try:
        return process_issue(job, number)
    except Gone:
        return "gone"


def _pull(job: Context, pull: Pull, issues: dict[int, Issue]) -> str:
    """An open bot PR: refreshed; closed with its issue, unless that issue was merged and
    edited since (a new PR replacing the entry)."""
    outcome = refresh_pull(job, pull)
    number = messages.issue_of(pull.head)
    if outcome.startswith("ignored") and number is not None and number not in issues:
        return issue_closed(job, number)
    return outcome


def _closed(job: Context, issues: dict[int, Issue]) -> int:
    """Bot PRs closed recently whose issue lacks the merged / not-merged label."""
    since = (dt.datetime.now(dt.UTC) - RECENT).strftime("%Y-%m-%dT%H:%M:%SZ")
    pulls = ours(job.port, job.port.closed_pulls(since))
    closed = [p for p in pulls if not messages.pr_state(p.body).get("closed")]
    if not closed:
        return 0
    labels = {i.number: i.labels for i in [*job.port.closed_issues(since), *issues.values()]}
    config = repo_config(job.port, job.base).labels
    count = 0
    for pull in closed:
        want = config.merged if pull.merged else config.not_merged
        if want and want not in labels.get(messages.issue_of(pull.head) or 0, (want,)):
            count += _record(job, pull)
    return count


def _record(job: Context, pull: Pull) -> int:
    try:
        pull_closed(job, branch=pull.head, merged=pull.merged)
    except Gone:
        return 0
    return 1
