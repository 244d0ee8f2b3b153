"""An issue → its entry on a ``paperbot/issue-N`` branch and one PR; idempotent by design.

Rules:
- Desired state is computed from the issue as it is now, the README on the default branch
  and the config; only differences are written. Running this twice changes nothing.
- The branch always holds one bot commit on the current default branch head; it is not
  touched once its head commit lacks the bot's trailer (someone else pushed).
- Creates are safe against a create that succeeded but answered an error: a 422 "already
  exists" on the branch or the PR means it is there, and it is looked up.
"""

from __future__ import annotations

from app.core import messages
from app.core.config import Config
from app.core.entry import EntryKey
from app.core.errors import BotError, InvalidSubmission, NotASubmission
from app.core.fields import FORMS
from app.core.issue_form import read_issue
from app.core.submission import Result, apply
from app.flows.context import Context, NotAllowed, Status, authorise, repo_config, set_label
from app.flows.routing import Payload, Router, Skip, Task, base_args
from app.github.port import FileText, Issue, Pull, RepoPort, Unprocessable

_FORM_LABELS = {form.label for form in FORMS.values()}
router = Router()


@router.register("issues", "opened", "edited", "reopened", "labeled")
def issue_changed(payload: Payload) -> Task:
    """Any change that may make an issue a (different) submission."""
    return Task("process_issue", {**base_args(payload), "number": payload["issue"]["number"]})


@router.register("issue_comment", "created")
def issue_commented(payload: Payload) -> Task | Skip:
    """A comment on a submission re-checks it (e.g. after a maintainer fixed the config)."""
    if payload["issue"].get("pull_request"):
        return Skip("a comment on a pull request, not on an issue")
    return Task("process_issue", {**base_args(payload), "number": payload["issue"]["number"]})


class HumanTouched(BotError):
    """Someone other than the bot pushed to the submission's branch."""


def process_issue(job: Context, number: int) -> str:
    """Bring GitHub in line with issue ``number``; returns the outcome for the log."""
    issue = job.port.get_issue(number)
    if issue.is_pull:
        return f"ignored: #{number} is a pull request"
    if not _is_submission(issue):
        return "ignored: not a submission: no form headings and no entry line"
    status = Status(job.port, issue)
    try:
        config = repo_config(job.port, job.base)
        if issue.state != "open" and config.labels.merged not in issue.labels:
            return "ignored: closed before its entry was merged"  # a merged one may be edited
        status.lang = config.language
        authorise(job.port, issue, config)
        return _submit(job, issue, config, status)
    except InvalidSubmission as exc:
        status.say(messages.status("invalid", status.lang, problems=exc.problems))
        set_label(job.port, issue, config.labels.needs_fix, True)
        return "invalid"
    except (NotAllowed, HumanTouched) as exc:
        status.say(exc.message)
        return f"not allowed: {exc.why}" if isinstance(exc, NotAllowed) else "human-touched"
    except BotError as exc:
        status.say(messages.status("problem", status.lang, message=exc.message))
        return "problem"


def _is_submission(issue: Issue) -> bool:
    if _FORM_LABELS & set(issue.labels):
        return True
    try:
        read_issue(issue.body)
    except NotASubmission:
        return False
    except BotError:
        return True
    return True


def _submit(job: Context, issue: Issue, config: Config, status: Status) -> str:
    port, name = job.port, messages.branch(issue.number)
    base_sha = port.branch_sha(job.base)
    readme = port.read_file(config.path, base_sha) if base_sha else None
    if base_sha is None or readme is None:
        raise BotError(f"{config.path} not found on {job.base}")
    pulls = port.pulls_for(name) if issue.comments else []
    result = apply(
        readme.text,
        issue.body,
        config=config,
        today=job.clock(config.timezone),
        defaults=_defaults(issue, config),
        previous=_previous(pulls),
    )
    if result.readme == readme.text:
        status.say(messages.status("present", config.language))
        set_label(port, issue, config.labels.needs_fix, False)
        return "present"
    current = next((p for p in pulls if p.state == "open"), None)
    _write_branch(
        port,
        name,
        issue=issue,
        result=result,
        readme=readme,
        base_sha=base_sha,
        current=current,
        config=config,
    )
    pull = _ensure_pull(port, issue, result, config, job.base, pulls)
    status.say(messages.status("valid", config.language, url=pull.url))
    set_label(port, issue, config.labels.needs_fix, False)
    return "submitted"


def _defaults(issue: Issue, config: Config) -> dict[str, str]:
    name = config.member_name(issue.author)
    return {"name": name} if name else {}


def _previous(pulls: list[Pull]) -> EntryKey | None:
    merged = next((p for p in pulls if p.merged), None)
    return messages.previous_key(merged.body) if merged else None


def _write_branch(
    port: RepoPort,
    name: str,
    *,
    issue: Issue,
    result: Result,
    readme: FileText,
    base_sha: str,
    current: Pull | None,
    config: Config,
) -> None:
    if current is not None:
        if messages.TRAILER not in port.commit_message(current.head_sha):
            raise HumanTouched(messages.status("human", config.language, branch=name))
        on_branch = port.read_file(config.path, name)
        if on_branch is not None and on_branch.text == result.readme:
            return
        port.reset_branch(name, base_sha)
    else:
        try:
            port.create_branch(name, base_sha)
        except Unprocessable:
            port.reset_branch(name, base_sha)
    message = messages.commit_message(
        result.entry,
        issue=issue.number,
        author=issue.author,
        author_id=issue.author_id,
        lang=config.language,
    )
    assert result.readme is not None
    port.commit_file(
        branch=name, path=config.path, text=result.readme, sha=readme.sha, message=message
    )


def _ensure_pull(
    port: RepoPort, issue: Issue, result: Result, config: Config, base: str, pulls: list[Pull]
) -> Pull:
    title, lang = messages.pr_title(result.entry, config.language), config.language
    body = messages.pr_body(
        result.entry, result.block, issue=issue.number, author=issue.author, lang=lang
    )
    current = next((p for p in pulls if p.state == "open"), None)
    latest = pulls[0] if pulls else None
    if current is None and latest is not None and not latest.merged:
        port.edit_pull(latest.number, title=title, body=body, state="open")  # issue reopened
        return latest
    if current is None:
        current = _create_pull(port, issue.number, title=title, body=body, base=base)
        if config.labels.pull_request:
            port.add_labels(current.number, [config.labels.pull_request])
        if config.reviewers:
            port.request_reviewers(current.number, config.reviewers)
    elif (current.title, current.body.strip()) != (title, body.strip()):
        port.edit_pull(current.number, title=title, body=body)
    return current


def _create_pull(port: RepoPort, number: int, *, title: str, body: str, base: str) -> Pull:
    name = messages.branch(number)
    try:
        return port.open_pull(branch=name, base=base, title=title, body=body)
    except Unprocessable:
        found = next((p for p in port.pulls_for(name) if p.state == "open"), None)
        if found is None:
            raise
        return found
