"""What follows a submission: issue closed, PR closed or merged, default branch moved."""

from __future__ import annotations

from app.core import messages
from app.flows.context import Context, Status, repo_config, set_label
from app.flows.routing import Payload, Router, Skip, Task, base_args
from app.flows.submission import process_issue
from app.flows.weekly import refresh

router = Router()


@router.register("issues", "closed")
def issue_closed_route(payload: Payload) -> Task:
    return Task("issue_closed", {**base_args(payload), "number": payload["issue"]["number"]})


def issue_closed(job: Context, number: int) -> str:
    """Closing a submission closes its open PR (reopening it reopens the PR)."""
    for pull in job.port.pulls_for(messages.branch(number)):
        if pull.state == "open":
            job.port.edit_pull(pull.number, state="closed")
            return "closed pull"
    return "nothing open"


@router.register("pull_request", "closed")
def pull_closed_route(payload: Payload) -> Task | Skip:
    """Only the bot's own PRs matter: their head branch is ``paperbot/issue-N``."""
    pull = payload["pull_request"]
    if messages.issue_of(pull["head"]["ref"]) is None:
        return Skip(f"pull request from {pull['head']['ref']}, not a paperbot/issue-N branch")
    args = {
        "number": pull["number"],
        "merged": bool(pull.get("merged")),
        "branch": pull["head"]["ref"],
    }
    return Task("pull_closed", {**base_args(payload), **args})


def pull_closed(job: Context, *, branch: str, merged: bool) -> str:
    """Label the issue ``merged``, or ``not-merged`` and tell its author."""
    number = messages.issue_of(branch)
    if number is None:
        return f"ignored: {branch} is not a paperbot/issue-N branch"
    issue = job.port.get_issue(number)
    config = repo_config(job.port, job.base)
    set_label(job.port, issue, config.labels.merged if merged else config.labels.not_merged, True)
    if merged:
        Status(job.port, issue, config.language).say(messages.status("merged", config.language))
    elif issue.state == "open":
        Status(job.port, issue, config.language).say(messages.status("not_merged", config.language))
    return "merged" if merged else "not merged"


@router.register("push")
def pushed_route(payload: Payload) -> Task | Skip:
    """A push to the default branch may make every open bot PR conflict: regenerate them."""
    default = payload["repository"].get("default_branch")
    if payload.get("ref") != f"refs/heads/{default}":
        return Skip(f"push to {payload.get('ref')}, not to the default branch {default}")
    if payload.get("deleted"):
        return Skip("the push deleted the default branch")
    return Task("regenerate", base_args(payload))


@router.register("installation_repositories", "added", "removed")
@router.register(
    "installation", "created", "deleted", "suspend", "unsuspend", "new_permissions_accepted"
)
def installation_changed(payload: Payload) -> Skip:
    """Nothing to do: tokens are minted per job, and jobs for a removed install end cleanly."""
    return Skip("installation changes need no work: tokens are minted per job")


def regenerate(job: Context) -> str:
    """Re-render every open paperbot PR on the new default branch head, from its issue;
    then bring the dashboard up to date with the new README."""
    done = []
    for pull in job.port.open_pulls():
        number = messages.issue_of(pull.head)
        if number is not None:
            done.append(f"#{number}: {process_issue(job, number)}")
    return "; ".join([*done, refresh(job)])
