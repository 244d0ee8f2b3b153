"""What follows a submission: issue closed or deleted, PR closed or merged, default branch moved.

Rules:
- Only the bot's own PRs are touched: head ``paperbot/issue-N`` and opened by the bot's login.
- When paperbot closes a PR itself (issue closed or deleted) it says so in the PR's hidden
  state, so that the close is never mistaken for a maintainer's rejection.
- In a batch, an item that is gone (404/410) is skipped and the batch goes on; an open bot PR
  whose issue was deleted is closed with a note.
- A push to the default branch that changes what can ready a repository for its setup PR (a
  Markdown file, the config, a workflow) also asks for that setup (app/flows/onboarding.py).
"""

from __future__ import annotations

from functools import partial

from app.core import batch as texts
from app.core import messages
from app.core.config import CONFIG_PATH
from app.flows import batch, batch_closed
from app.flows.context import Context, Status, repo_config, set_label
from app.flows.routing import Payload, Router, Skip, Task, base_args
from app.flows.submission import IssueGone, process_issue
from app.flows.sweep import item
from app.flows.weekly import refresh
from app.github.port import Gone, Issue, Pull, RepoPort

router = Router()


@router.register("issues", "closed", "deleted")
def issue_closed_route(payload: Payload) -> Task:
    return Task("issue_closed", {**base_args(payload), "number": payload["issue"]["number"]})


@router.register("issues", "transferred")
def issue_transferred_route(payload: Payload) -> Task | Skip:
    changes = payload.get("changes") or {}
    repo = (changes.get("new_repository") or {}).get("full_name")
    number = (changes.get("new_issue") or {}).get("number")
    if not isinstance(repo, str) or not isinstance(number, int):
        return Skip("a transfer that does not say where the issue went")
    args = {"number": payload["issue"]["number"], "moved_to": f"{repo}#{number}"}
    return Task("issue_closed", {**base_args(payload), **args})


def ours(port: RepoPort, pulls: list[Pull]) -> list[Pull]:
    """The PRs among ``pulls`` that paperbot opened for an issue."""
    me = port.bot_login()
    return [p for p in pulls if p.author == me and messages.issue_of(p.head) is not None]


def close_pull(port: RepoPort, pull: Pull, *, why: str) -> None:
    """Close ``pull``, recording in its hidden state that paperbot closed it (``why``)."""
    port.edit_pull(pull.number, state="closed", body=messages.restate(pull.body, closed=why))


def issue_closed(job: Context, number: int, *, moved_to: str | None = None) -> str:
    """Closing a submission closes its open PR (reopening it opens a new one), deleting it
    or transferring it to another repository (``moved_to``) closes the PR with a note; in
    weekly mode it leaves the rolling PR. Only while the issue is closed (a replayed
    delivery of an issue reopened since does nothing)."""
    # GitHub answers a transferred issue's old address with a redirect to the new one, which
    # would read as open here: a transfer is known from its delivery alone.
    issue = None if moved_to else _issue_or_none(job.port, number)
    if issue is not None and issue.state == "open":
        return "ignored: reopened since"
    for pull in ours(job.port, job.port.pulls_for(messages.branch(number))):
        if pull.state == "open":
            if issue is None:
                return close_orphan(job, pull, moved_to=moved_to)
            close_pull(job.port, pull, why="issue")
            return "closed pull"
    config = repo_config(job.port, job.base)
    if config.pull_requests == "weekly" and batch.open_pull(job.port) is not None:
        batch.sync(job, config)
        return "rolling pull regenerated"
    return "nothing open"


def _issue_or_none(port: RepoPort, number: int) -> Issue | None:
    """Issue ``number``, or None when it was deleted."""
    try:
        return port.get_issue(number)
    except Gone:
        return None


def close_orphan(job: Context, pull: Pull, *, moved_to: str | None = None) -> str:
    """An open bot PR whose issue was deleted, or transferred to ``moved_to``
    (``owner/name#N``): a note on the PR, then closed."""
    number = str(messages.issue_of(pull.head))
    lang = repo_config(job.port, job.base).language
    try:
        if moved_to:
            note = messages.status("issue_moved", lang, number=number, to=moved_to)
        else:
            note = messages.status("issue_gone", lang, number=number)
        job.port.add_comment(pull.number, note)
        close_pull(job.port, pull, why="transferred" if moved_to else "deleted")
    except Gone:
        return "gone"
    return f"closed: issue transferred to {moved_to}" if moved_to else "closed: issue deleted"


def refresh_pull(job: Context, pull: Pull, *, listed: Issue | None = None) -> str:
    """One open bot PR brought in line with its issue (``listed``, when a listing just read
    it); one bad item never stops a batch (``sweep.item``)."""
    number = messages.issue_of(pull.head)
    assert number is not None

    def run() -> str:
        try:
            return process_issue(job, number, listed=listed)
        except IssueGone:
            return close_orphan(job, pull)

    return item(job.port.full_name, f"pull #{pull.number}", run=run)


@router.register("pull_request", "closed")
def pull_closed_route(payload: Payload) -> Task | Skip:
    """Only the bot's own PRs matter: head ``paperbot/issue-N``, or the rolling PR's branch."""
    pull = payload["pull_request"]
    head = pull["head"]["ref"]
    if messages.issue_of(head) is None and head != texts.BRANCH:
        return Skip(f"pull request from {head}, not a paperbot/issue-N or paperbot/batch branch")
    args = {
        "number": pull["number"],
        "merged": bool(pull.get("merged")),
        "branch": pull["head"]["ref"],
    }
    return Task("pull_closed", {**base_args(payload), **args})


def pull_closed(job: Context, *, branch: str, merged: bool, pull: int | None = None) -> str:
    """Tell the issue: merged, or closed unmerged (a rejection, unless paperbot closed it);
    the note first, then the label, so a label means the note was written. The rolling PR
    (``pull``) tells each of its issues. Only while GitHub agrees: the branch's newest PR is
    ``pull``, closed, ``merged`` or not (a replayed delivery is no proof)."""
    if branch == texts.BRANCH and pull is not None:
        return batch_closed.closed(job, repo_config(job.port, job.base), number=pull, merged=merged)
    number = messages.issue_of(branch)
    if number is None:
        return f"ignored: {branch} is not a paperbot/issue-N branch"
    pulls = job.port.pulls_for(branch)
    latest = pulls[0] if pulls else None
    if latest is not None and not batch_closed.still_closed(latest, number=pull, merged=merged):
        return "ignored: reopened, merged or followed by another PR since"
    state = messages.pr_state(latest.body) if latest else {}
    if not merged and state.get("closed"):
        return "closed by paperbot"
    issue = job.port.get_issue(number)
    config = repo_config(job.port, job.base)
    status = Status(job.port, issue, config.language, hint=state.get("status"))
    if merged or issue.state == "open":
        status.say(messages.status("merged" if merged else "not_merged", config.language))
    set_label(
        job.port, issue, label=config.labels.merged if merged else config.labels.not_merged, on=True
    )
    if merged:  # a resubmission after a rejection: the issue is no longer 'not merged'
        set_label(job.port, issue, label=config.labels.not_merged, on=False)
    return "merged" if merged else "not merged"


@router.register("push")
def pushed_route(payload: Payload) -> Task | Skip:
    """A push to the default branch may make every open bot PR conflict: regenerate them."""
    default = payload["repository"].get("default_branch")
    if payload["ref"] != f"refs/heads/{default}":
        return Skip(f"push to {payload['ref']}, not to the default branch {default}")
    if payload.get("deleted"):
        return Skip("the push deleted the default branch")
    changed = {p for c in payload.get("commits") or [] for p in _paths(c)}
    return Task("regenerate", {**base_args(payload), "setup": any(map(_readies, changed))})


def _paths(commit: Payload) -> list[str]:
    return [*(commit.get("added") or []), *(commit.get("modified") or [])]


def _readies(path: str) -> bool:
    """A file whose change may make a repository ready for its setup PR."""
    return path.lower().endswith(".md") or path.startswith((CONFIG_PATH, ".github/workflows/"))


@router.register("installation_repositories", "removed")
@router.register("installation", "deleted", "suspend", "unsuspend", "new_permissions_accepted")
def installation_changed(payload: Payload) -> Skip:
    """Nothing to do: tokens are minted per job, and jobs for a removed install end cleanly
    (an installation's new repositories are onboarding's: app/flows/onboarding.py)."""
    return Skip("installation changes need no work: tokens are minted per job")


def regenerate(job: Context) -> str:
    """Re-render every open paperbot PR on the new default branch head, from its issue
    (in weekly mode the rolling PR); then bring the dashboard up to date with the README."""
    config = repo_config(job.port, job.base)
    if config.pull_requests == "weekly":
        got = batch.sync(job, config)
        batch.announce(job, config, got=got, only=None if got.created else set())
        return "; ".join([got.summary(), refresh(job)])
    done = [
        f"#{messages.issue_of(p.head)}: {refresh_pull(job, p)}"
        for p in ours(job.port, job.port.open_pulls())
    ]
    return "; ".join([*(done or ["no open paperbot PRs"]), *unbatch(job), refresh(job)])


def unbatch(job: Context) -> list[str]:
    """Back in per-submission mode: the rolling PR's issues get their own PRs, and the
    rolling PR is closed with a note."""
    pull = batch.open_pull(job.port)
    if pull is None or pull.author != job.port.bot_login():
        return []
    repo = job.port.full_name
    done = [
        f"#{n}: {item(repo, f'issue #{n}', run=partial(process_issue, job, n))}"
        for n in sorted(texts.fingerprints(pull.body))
    ]
    note = texts.note("unbatched", repo_config(job.port, job.base).language)
    batch.close(job.port, pull, note=note, why="per-submission")
    return done
