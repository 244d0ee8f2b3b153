"""The submission's branch: one bot commit on the default branch head, never over a person's.

Rules:
- A branch is force-updated only when its head is the bot's own commit (it carries the
  ``Paperbot-Issue`` trailer, or is the head the PR's hidden state recorded) or adds nothing
  to the default branch (a branch just created); otherwise ``HumanTouched``.
- Up to date means built from the same issue body, base commit and README: then nothing is
  written and the branch is not read.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core import messages
from app.core.config import Config
from app.core.errors import BotError
from app.core.submission import Result
from app.github.port import FileText, Issue, Pull, RepoPort, Unprocessable


class HumanTouched(BotError):
    """Someone other than the bot pushed to the submission's branch."""


class BranchExists(Exception):
    """The branch of an issue the bot never answered exists: look its PRs up first."""


@dataclass(frozen=True)
class Plan:
    """What one job writes: the issue's entry into the README read at ``base_sha``."""

    issue: Issue
    result: Result
    readme: FileText
    base_sha: str
    config: Config

    @property
    def name(self) -> str:
        return messages.branch(self.issue.number)

    def state(self) -> dict[str, str | int]:
        """What the branch is built from, for the PR's hidden state."""
        assert self.result.readme is not None
        return {
            "body": messages.fingerprint(self.issue.body),
            "base": self.base_sha,
            "blob": messages.blob_sha(self.result.readme),
        }


def write_branch(port: RepoPort, plan: Plan, *, current: Pull | None, fresh: bool) -> str:
    """Make the branch hold the plan's commit; its head sha. ``fresh``: no PR was looked
    up, so an existing branch raises BranchExists instead of being guarded here."""
    if current is not None:
        state = messages.pr_state(current.body)
        if state.get("head") == current.head_sha and plan.state().items() <= state.items():
            return current.head_sha
        _guard(port, plan, current.head_sha, recorded=state.get("head"), pr_open=True)
        port.reset_branch(plan.name, plan.base_sha)
    else:
        try:
            port.create_branch(plan.name, plan.base_sha)
        except Unprocessable:
            if fresh:
                raise BranchExists(plan.name) from None
            head = port.branch_sha(plan.name)
            if head is not None:
                _guard(port, plan, head, recorded=None, pr_open=False)
            port.reset_branch(plan.name, plan.base_sha)
    return _commit(port, plan)


def _guard(port: RepoPort, plan: Plan, head: str, *, recorded: object, pr_open: bool) -> None:
    """Raise HumanTouched unless force-updating ``head`` loses nobody's work."""
    if head in (recorded, plan.base_sha) or messages.TRAILER in port.commit_message(head):
        return
    if not pr_open and port.ahead_by(plan.base_sha, head) == 0:
        return
    raise HumanTouched(messages.status("human", plan.config.language, branch=plan.name))


def _commit(port: RepoPort, plan: Plan) -> str:
    issue, result = plan.issue, plan.result
    message = messages.commit_message(
        result.entry,
        issue=issue.number,
        author=issue.author,
        author_id=issue.author_id,
        lang=plan.config.language,
    )
    assert result.readme is not None
    return port.commit_file(
        branch=plan.name,
        path=plan.config.path,
        text=result.readme,
        sha=plan.readme.sha,
        message=message,
    )
