"""An issue → its entry on a ``paperbot/issue-N`` branch and one PR; idempotent by design.

Rules:
- Desired state is computed from the issue as it is now, the README on the default branch
  and the config; only differences are written. Running this twice changes nothing.
- The PR body's hidden state records what the branch was built from (the issue body's
  fingerprint, the base commit, the README blob, the head commit) and the status comment's
  id: a job whose inputs match it neither writes nor reads the branch.
- A PR closed unmerged by someone else is a rejection: comments, pushes and reconcile never
  reopen or regenerate it. Only an edit of the issue body after the close, or
  ``/paperbot retry`` from a collaborator with triage or higher, submits again (a new PR).
- The human-edit guard always runs (``branch.claim``: the head is the commit the bot last
  wrote there, or adds nothing to the default branch). The branch is looked up with its PRs,
  or, for an issue the bot has never answered, by creating it: a 422 means it exists, and
  then its PRs are looked up and guarded.
- Creates are safe against a create that succeeded but answered an error: a 422 "already
  exists" on the branch or the PR means it is there, and it is looked up.
"""

from __future__ import annotations

import re
from functools import partial

from app.core import messages
from app.core.config import Config
from app.core.entry import EntryKey
from app.core.errors import AttemptedEntry, BotError, DuplicateEntry, InvalidSubmission
from app.core.i18n import Lang
from app.core.submission import Result, apply
from app.flows import batch, papers
from app.flows.base_branch import base_sha as base_head
from app.flows.branch import BranchExists, HumanTouched, Plan, write_branch
from app.flows.commands import still_asked
from app.flows.context import (
    Context,
    NotAllowed,
    Status,
    authorise,
    base_readme,
    is_submission,
    may_retry,
    repo_config,
    set_label,
)
from app.flows.routing import Payload, Router, Skip, Task, base_args
from app.github.port import FileText, Gone, Issue, Pull, RepoPort, Unprocessable

_RETRY = re.compile(r"\A\s*/paperbot\s+retry\s*(?:\n|\Z)", re.IGNORECASE)
router = Router()


@router.register("issues", "opened", "edited", "reopened", "labeled")
def issue_changed(payload: Payload) -> Task:
    """Any change that may make an issue a (different) submission."""
    return Task("process_issue", {**base_args(payload), "number": payload["issue"]["number"]})


@router.register("issue_comment", "created")
def issue_commented(payload: Payload) -> Task | Skip:
    """A comment on a submission re-checks it (e.g. after a maintainer fixed the config);
    ``/paperbot retry`` also asks again for a rejected one (from triage or higher)."""
    if payload["issue"].get("pull_request"):
        return Skip("a comment on a pull request, not on an issue")
    args = {**base_args(payload), "number": payload["issue"]["number"]}
    comment = payload.get("comment") or {}
    if is_retry(comment.get("body") or ""):
        args["retry_by"] = (comment.get("user") or {}).get("login")
        args["retry_comment"] = comment.get("id")
    return Task("process_issue", args)


def _retry_asked(port: RepoPort, by: str, *, comment: int | None) -> bool:
    return still_asked(port, comment, by=by, asks=is_retry) and may_retry(port, by)


def is_retry(text: str) -> bool:
    """True when a comment's first line is the command ``/paperbot retry``."""
    return bool(_RETRY.match(text.replace("\r\n", "\n")))


class IssueGone(Gone):
    """The issue itself answered 404/410: deleted (or never there)."""


def process_issue(
    job: Context,
    number: int,
    *,
    retry_by: str | None = None,
    retry_comment: int | None = None,
    listed: Issue | None = None,
) -> str:
    """Bring GitHub in line with issue ``number``; returns the outcome for the log.
    ``retry_by`` asked ``/paperbot retry`` in comment ``retry_comment`` (read back first);
    ``listed``: the issue as a listing just read it (not read again)."""
    issue = listed if listed is not None else _read(job.port, number)
    if issue.is_pull:
        return f"ignored: #{number} is a pull request"
    if not is_submission(issue):
        return "ignored: not a submission: no form headings and no entry line"
    status = Status(job.port, issue)
    try:
        base_sha = base_head(job)  # read at a commit: config, README cached
        config = repo_config(job.port, base_sha or job.base)
        if issue.state != "open" and config.labels.merged not in issue.labels:
            return "ignored: closed before its entry was merged"  # a merged one may be edited
        status.lang = config.language
        authorise(job.port, issue, config=config)
        retry = bool(retry_by) and _retry_asked(job.port, str(retry_by), comment=retry_comment)
        if config.pull_requests == "weekly" and issue.state == "open":
            return batch.process(job, issue, config=config, retry=retry)
        return _submit(job, issue, config=config, status=status, base_sha=base_sha, retry=retry)
    except (InvalidSubmission, DuplicateEntry) as exc:
        status.say(_refusal(exc, port=job.port, issue=issue, lang=status.lang))
        set_label(job.port, issue, label=config.labels.needs_fix, on=True)
        return f"duplicate: line {exc.line}" if isinstance(exc, DuplicateEntry) else "invalid"
    except (NotAllowed, HumanTouched) as exc:
        status.say(exc.message)
        return f"not allowed: {exc.why}" if isinstance(exc, NotAllowed) else "human-touched"
    except BotError as exc:
        status.say(messages.status("problem", exc.lang or status.lang, message=exc.message))
        return "problem"


def _read(port: RepoPort, number: int) -> Issue:
    try:
        return port.get_issue(number)
    except Gone as exc:
        raise IssueGone(str(exc)) from exc


def _refusal(
    exc: InvalidSubmission | DuplicateEntry, *, port: RepoPort, issue: Issue, lang: Lang
) -> str:
    """The status comment refusing a submission: the problems, or the line already there;
    an attempted entry also gets links to the two forms."""
    if isinstance(exc, DuplicateEntry):
        return messages.status("duplicate", lang, message=exc.message)
    if not isinstance(exc, AttemptedEntry):
        return messages.status("invalid", lang, problems=exc.problems)
    page = issue.url.rsplit("/issues/", 1)[0] if "/issues/" in issue.url else ""
    repo = page or f"https://github.com/{port.full_name}"
    report, skip = messages.form_url(repo, "report"), messages.form_url(repo, "skip")
    return messages.status("attempt", lang, problems=exc.problems, report=report, skip=skip)


def _submit(
    job: Context,
    issue: Issue,
    *,
    config: Config,
    status: Status,
    base_sha: str | None,
    retry: bool,
) -> str:
    readme, base_sha = base_readme(job.port, config, base=job.base, sha=base_sha)
    records = {config.labels.merged, config.labels.not_merged} & set(issue.labels)
    answered = bool(issue.comments or retry or records)
    name = messages.branch(issue.number)
    apply = partial(
        _apply, job, issue, config=config, status=status, readme=readme, base_sha=base_sha
    )
    try:
        return apply(pulls=job.port.pulls_for(name) if answered else None, retry=retry)
    except BranchExists:  # never answered, yet its branch exists: look it up and guard it
        return apply(pulls=job.port.pulls_for(name), retry=retry)


def _apply(
    job: Context,
    issue: Issue,
    *,
    config: Config,
    status: Status,
    readme: FileText,
    base_sha: str,
    pulls: list[Pull] | None,
    retry: bool,
) -> str:
    """Write the difference, knowing the branch's PRs (``pulls``) or that there are none
    worth looking up (None: the branch is created, and BranchExists when it is there)."""
    result = _result(job, issue, config=config, readme=readme, pulls=pulls or [])
    if result.readme == readme.text:
        status.say(messages.status("present", config.language))
        set_label(job.port, issue, label=config.labels.needs_fix, on=False)
        return "present"
    current = _open_pull(job.port, pulls or [], config=config, name=messages.branch(issue.number))
    latest = pulls[0] if pulls else None
    status.hint = messages.pr_state((current or latest).body).get("status") if latest else None
    if current is None and latest is not None and _rejected(latest, issue) and not retry:
        return "rejected"
    plan = Plan(issue, result, readme, base_sha, config)
    mine = latest if latest is not None and latest.author == job.port.bot_login() else None
    head = write_branch(job, plan, current=current, latest=mine, fresh=pulls is None)
    pull = _ensure_pull(job.port, plan, base=job.base, current=current, head=head, status=status)
    papers.remember(job, issue, result=result)
    kind = "noted" if result.notes else "valid"
    status.say(messages.status(kind, config.language, url=pull.url, problems=result.notes))
    set_label(job.port, issue, label=config.labels.needs_fix, on=False)
    return "submitted"


def _result(
    job: Context, issue: Issue, *, config: Config, readme: FileText, pulls: list[Pull]
) -> Result:
    """The issue's entry applied to ``readme``, its paper looked up and its figure checked."""
    result = apply(
        readme.text,
        issue.body,
        config=config,
        today=job.clock(config.timezone),
        defaults=_defaults(issue, config),
        previous=_previous(pulls),
        paper=papers.paper(job, issue, config=config),
        others=papers.open_readings(job, issue),
    )
    return papers.with_figure_checked(job, result, config=config)


def _defaults(issue: Issue, config: Config) -> dict[str, str]:
    name = config.member_name(issue.author)
    return {"name": name} if name else {}


def _previous(pulls: list[Pull]) -> EntryKey | None:
    merged = next((p for p in pulls if p.merged), None)
    return messages.previous_key(merged.body) if merged else None


def _open_pull(port: RepoPort, pulls: list[Pull], *, config: Config, name: str) -> Pull | None:
    """The open PR of the branch; one the bot did not open is a person's, never touched."""
    current = next((p for p in pulls if p.state == "open"), None)
    if current is not None and current.author != port.bot_login():
        raise HumanTouched(messages.status("human", config.language, branch=name))
    return current


def _rejected(latest: Pull, issue: Issue) -> bool:
    """Closed unmerged by someone, with the issue body unchanged since the PR was built."""
    if latest.merged:
        return False
    state = messages.pr_state(latest.body)
    if state.get("closed"):  # closed by paperbot itself (issue closed or deleted)
        return False
    return state.get("body") in (None, messages.fingerprint(issue.body))


def _ensure_pull(
    port: RepoPort, plan: Plan, *, base: str, current: Pull | None, head: str, status: Status
) -> Pull:
    entry, number = plan.result.entry, plan.issue.number
    title, lang = messages.pr_title(entry, plan.config.language), plan.config.language
    state: dict[str, str | int] = {**plan.state(), "head": head}

    def body(status_id: object) -> str:
        extra = {"status": status_id} if isinstance(status_id, int) else {}
        block, author = plan.result.block, plan.issue.author
        return messages.pr_body(
            entry,
            block,
            issue=number,
            author=author,
            lang=lang,
            state=state | extra,
            notes=plan.result.notes,
        )

    if current is not None:
        kept = messages.pr_state(current.body).get("status")
        if (current.title, current.body.strip()) != (title, body(kept).strip()):
            found = status.find()
            port.edit_pull(current.number, title=title, body=body(found.id if found else kept))
        return current
    found = status.find()
    pull = _create_pull(
        port, number, title=title, body=body(found.id if found else None), base=base
    )
    if plan.config.labels.pull_request:
        port.add_labels(pull.number, [plan.config.labels.pull_request])
    if plan.config.reviewers:
        port.request_reviewers(pull.number, plan.config.reviewers)
    return pull


def _create_pull(port: RepoPort, number: int, *, title: str, body: str, base: str) -> Pull:
    name = messages.branch(number)
    try:
        return port.open_pull(branch=name, base=base, title=title, body=body)
    except Unprocessable:
        found = next((p for p in port.pulls_for(name) if p.state == "open"), None)
        if found is None:
            raise
        return found
