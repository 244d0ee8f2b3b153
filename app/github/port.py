"""The narrow GitHub port: the few things paperbot asks of one repository, and its errors.

Rules:
- Only app/github/pygithub.py implements this with a real client; flows see only this.
- Every error the port raises is a ``GitHubError``: ``Gone`` (404/410: drop the job),
  ``Conflict`` (409: re-read and retry), ``Transient`` (5xx, timeouts: retry the job),
  ``RateLimited`` (wait ``retry_after`` seconds), ``Forbidden`` (401/403: tell maintainers;
  ``Unauthorized`` for 401, bad credentials).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class GitHubError(Exception):
    """A failed GitHub call; the message carries no secret."""


class Gone(GitHubError):
    """404 or 410: the issue, repository or installation is not there (any more)."""


class Conflict(GitHubError):
    """409 or a non-fast-forward: what was read is stale."""


class Unprocessable(GitHubError):
    """422: e.g. a reference or pull request that already exists."""


class Transient(GitHubError):
    """5xx, a timeout or a dropped connection: worth retrying later."""


class Forbidden(GitHubError):
    """401/403 that is not a rate limit: a missing permission."""


class Unauthorized(Forbidden):
    """401: the token or the App's key is not accepted at all."""


class RateLimited(GitHubError):
    """403/429 rate limit: wait ``retry_after`` seconds (``told``: GitHub said how long)."""

    def __init__(self, message: str, retry_after: float, *, told: bool = True) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.told = told


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str | None
    author: str
    author_id: int
    author_association: str
    state: str
    labels: tuple[str, ...]
    comments: int
    is_pull: bool
    url: str = ""  # the issue's page (html_url): links to the repository are built from it


@dataclass(frozen=True)
class FileText:
    text: str
    sha: str


@dataclass(frozen=True)
class Pull:
    number: int
    state: str
    merged: bool
    title: str
    body: str
    head: str
    head_sha: str
    url: str
    author: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Repository:
    default_branch: str
    html_url: str  # the repository's page: links to its forms are built from it


@dataclass(frozen=True)
class Comparison:
    ahead_by: int  # commits head has that base lacks
    behind_by: int  # commits base has that head lacks
    files: dict[str, str]  # path → blob sha of every file that differs


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    author: str


class RepoPort(Protocol):
    """One repository on GitHub, as paperbot uses it."""

    @property
    def full_name(self) -> str: ...

    def repository(self) -> Repository:
        """The repository itself: its default branch and its page."""
        ...

    def get_issue(self, number: int) -> Issue: ...

    def open_issues(self) -> list[Issue]:
        """Every open issue (not PRs), newest first: all pages."""
        ...

    def closed_issues(self, since: str) -> list[Issue]:
        """Every closed issue (not PRs) updated at or after ``since`` (ISO 8601): all pages."""
        ...

    def read_file(self, path: str, ref: str) -> FileText | None: ...

    def read_org_file(self, path: str) -> FileText | None:
        """A file of the owner's ``.github`` repository (config fallback)."""
        ...

    def branch_sha(self, branch: str) -> str | None: ...

    def create_branch(self, branch: str, sha: str) -> None:
        """Raises Unprocessable when the branch already exists."""
        ...

    def reset_branch(self, branch: str, sha: str) -> None:
        """Force the branch to ``sha``."""
        ...

    def commit_file(
        self, *, branch: str, path: str, text: str, sha: str, message: str, parent: str = ""
    ) -> str:
        """Commit ``text`` at ``path`` on ``branch`` over blob ``sha``; the commit sha. Given
        ``parent``, Conflict when GitHub made it on another commit (a push meanwhile: GitHub
        commits on the branch's head of the moment, and refs have no compare-and-swap)."""
        ...

    def pulls_for(self, branch: str) -> list[Pull]:
        """Every PR (any state) whose head is ``branch`` in this repository, newest first."""
        ...

    def open_pulls(self) -> list[Pull]:
        """Every open PR: all pages."""
        ...

    def closed_pulls(self, since: str) -> list[Pull]:
        """Closed PRs updated at or after ``since`` (ISO 8601), most recently updated first."""
        ...

    def open_pull(self, *, branch: str, base: str, title: str, body: str) -> Pull: ...

    def edit_pull(
        self,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
    ) -> None: ...

    def commit_message(self, sha: str) -> str: ...

    def compare(self, base: str, head: str) -> Comparison:
        """``base...head`` in one call: commits each side lacks, and the files that differ."""
        ...

    def comments(self, number: int) -> list[Comment]:
        """Every comment on issue ``number``, oldest first: all pages."""
        ...

    def get_comment(self, comment_id: int) -> Comment | None:
        """One comment by id; None when it was deleted."""
        ...

    def add_comment(self, number: int, body: str) -> Comment: ...

    def edit_comment(self, comment_id: int, body: str) -> None: ...

    def add_labels(self, number: int, labels: list[str]) -> None: ...

    def remove_label(self, number: int, label: str) -> None: ...

    def request_reviewers(self, number: int, logins: list[str]) -> None: ...

    def role(self, login: str) -> str:
        """The user's role on the repo: admin, maintain, write, triage, read or none."""
        ...

    def bot_login(self) -> str:
        """The login paperbot writes as (an App's ``<slug>[bot]``, a token's user); learned
        once per process."""
        ...

    def known_login(self) -> str | None:
        """``bot_login()`` if it is known already, without asking GitHub."""
        ...

    def issues_by(self, login: str, *, page: int = 1) -> list[Issue]:
        """Issues and PRs (any state) opened by ``login``, oldest first, 100 per page."""
        ...

    def create_issue(self, *, title: str, body: str) -> Issue: ...

    def edit_issue(
        self, number: int, *, title: str | None = None, body: str | None = None
    ) -> None: ...
