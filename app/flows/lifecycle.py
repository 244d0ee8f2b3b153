"""What follows a submission: issue closed, PR closed or merged, default branch moved."""

from __future__ import annotations

from app.core import messages
from app.flows.context import Status, repo_config, set_label
from app.flows.submission import Job, process_issue


def issue_closed(job: Job, number: int) -> str:
    """Closing a submission closes its open PR (reopening it reopens the PR)."""
    for pull in job.port.pulls_for(messages.branch(number)):
        if pull.state == "open":
            job.port.edit_pull(pull.number, state="closed")
            return "closed pull"
    return "nothing open"


def pull_closed(job: Job, *, branch: str, merged: bool) -> str:
    """Label the issue ``merged``, or ``not-merged`` and tell its author."""
    number = messages.issue_of(branch)
    if number is None:
        return "ignored"
    issue = job.port.get_issue(number)
    config = repo_config(job.port, job.base)
    set_label(job.port, issue, config.labels.merged if merged else config.labels.not_merged, True)
    if merged:
        Status(job.port, issue, config.language).say(messages.status("merged", config.language))
    elif issue.state == "open":
        Status(job.port, issue, config.language).say(messages.status("not_merged", config.language))
    return "merged" if merged else "not merged"


def regenerate(job: Job) -> str:
    """Re-render every open paperbot PR on the new default branch head, from its issue."""
    done = []
    for pull in job.port.open_pulls():
        number = messages.issue_of(pull.head)
        if number is not None:
            done.append(f"#{number}: {process_issue(job, number)}")
    return "; ".join(done) or "no open pulls"
