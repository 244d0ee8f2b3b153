"""The safety net: re-check a repository's submissions, so a lost webhook loses nothing.

Rules:
- Covered: every open issue, every open bot PR (also when its issue is closed, merged or
  deleted), a rolling PR left open from weekly mode, and bot PRs (per submission or rolling)
  closed in the last ``RECENT`` days whose issues lack the label (and so the note) that
  closing should have left.
- Every list is read to its end, and each open issue once: the listed issue is handed to
  the flow. One bad item (gone, or any error: ``sweep.item``) never stops the batch.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from app.core import batch as texts
from app.core import messages
from app.core.config import Config
from app.flows import batch
from app.flows.context import Context, repo_config
from app.flows.lifecycle import issue_closed, ours, pull_closed, refresh_pull, unbatch
from app.flows.submission import process_issue
from app.flows.sweep import item
from app.github.port import Issue, Pull

RECENT = dt.timedelta(days=7)


def reconcile(job: Context) -> str:
    """Process open issues and open bot PRs, then record bot PRs closed without a trace
    (in weekly mode: regenerate the rolling PR and rewrite every status comment)."""
    config = repo_config(job.port, job.base)
    issues = {i.number: i for i in job.port.open_issues()}
    if config.pull_requests == "weekly":
        got = batch.sync(job, config, issues=list(issues.values()))
        batch.announce(job, config, got=got, only=None)
        recorded = _closed(job, config, issues=issues)
        return f"{got.summary()}, {recorded} closed PR(s) recorded"
    pulls = {messages.issue_of(p.head): p for p in ours(job.port, job.port.open_pulls())}
    outcomes = [_issue(job, issues[n]) for n in sorted(issues.keys() - pulls.keys())]
    outcomes += [
        _pull(job, p, issues=issues) for _, p in sorted(pulls.items(), key=lambda x: x[0] or 0)
    ]
    outcomes += [o.partition(": ")[2] for o in unbatch(job)]
    recorded = _closed(job, config, issues=issues)
    done = sum(o == "submitted" for o in outcomes)
    return f"checked {len(outcomes)} issue(s), {done} submitted" + (
        f", {recorded} closed PR(s) recorded" if recorded else ""
    )


def _issue(job: Context, issue: Issue) -> str:
    run = partial(process_issue, job, issue.number, listed=issue)
    return item(job.port.full_name, f"issue #{issue.number}", run=run)


def _pull(job: Context, pull: Pull, *, issues: dict[int, Issue]) -> str:
    """An open bot PR: refreshed; closed with its issue, unless that issue was merged and
    edited since (a new PR replacing the entry)."""
    number = messages.issue_of(pull.head)
    outcome = refresh_pull(job, pull, listed=issues.get(number or 0))
    if outcome.startswith("ignored") and number is not None and number not in issues:
        return item(job.port.full_name, f"issue #{number}", run=partial(issue_closed, job, number))
    return outcome


def _closed(job: Context, config: Config, *, issues: dict[int, Issue]) -> int:
    """Bot PRs closed recently (per submission or rolling) whose issues lack the merged /
    not-merged label."""
    since = (dt.datetime.now(dt.UTC) - RECENT).strftime("%Y-%m-%dT%H:%M:%SZ")
    me = job.port.bot_login()
    closed = [p for p in job.port.closed_pulls(since) if p.author == me and _untold(p)]
    if not closed:
        return 0
    labels = {i.number: i.labels for i in [*job.port.closed_issues(since), *issues.values()]}
    count = 0
    for pull in closed:
        want = config.labels.merged if pull.merged else config.labels.not_merged
        numbers = texts.fingerprints(pull.body) if pull.head == texts.BRANCH else {}
        numbers = numbers or {messages.issue_of(pull.head) or 0: ""}
        if want and any(want not in labels.get(n, (want,)) for n in numbers):
            count += _record(job, pull)
    return count


def _untold(pull: Pull) -> bool:
    """A bot PR closed by someone else (paperbot's own closes need no note)."""
    if pull.head == texts.BRANCH:
        return not texts.closed_by_bot(pull.body)
    return messages.issue_of(pull.head) is not None and not messages.pr_state(pull.body).get(
        "closed"
    )


def _record(job: Context, pull: Pull) -> int:
    run = partial(pull_closed, job, branch=pull.head, merged=pull.merged, pull=pull.number)
    outcome = item(job.port.full_name, f"pull #{pull.number}", run=run)
    return 0 if outcome == "gone" or outcome.startswith("failed") else 1
