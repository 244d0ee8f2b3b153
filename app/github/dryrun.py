"""A port that writes nothing: reads go to GitHub (or to local files), writes are recorded.

Used by ``paperbot receive --dry-run`` and the offline ``--readme`` mode, like Probot's and
openedx-webhooks' dry runs: the same flows run, and what they would change is shown, in the
language of the config the flow read (zh when it read none).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from app.core.config import CONFIG_PATH, load_config
from app.core.errors import ConfigError
from app.core.i18n import Lang, pick
from app.github.port import Comment, Comparison, FileText, Gone, Issue, Pull, RepoPort, Repository

NO_SHA = "0" * 40
BOT = "paperbot[bot]"  # whom the offline mode writes as


@dataclass(frozen=True)
class Action:
    """One write the flow asked for."""

    kind: str
    target: str
    detail: str = ""


class Offline:
    """The reads of a port, answered from an issue and local files: no GitHub at all."""

    def __init__(
        self, full_name: str, issue: Issue | None, *, files: dict[str, str], base: str
    ) -> None:
        self.full_name, self.issue, self.files, self.base = full_name, issue, files, base

    def repository(self) -> Repository:
        return Repository(self.base, "")

    def get_issue(self, number: int) -> Issue:
        if self.issue is None or self.issue.number != number:
            raise Gone(
                f"issue #{number} is not in this delivery (offline, only its issue is known)"
            )
        return self.issue

    def open_issues(self) -> list[Issue]:
        return [self.issue] if self.issue else []

    def closed_issues(self, since: str) -> list[Issue]:
        return []

    def read_file(self, path: str, ref: str) -> FileText | None:
        text = self.files.get(path)
        return FileText(text, f"local:{path}") if text is not None else None

    def read_org_file(self, path: str) -> FileText | None:
        return None

    def branch_sha(self, branch: str) -> str | None:
        return NO_SHA if branch == self.base else None

    def pulls_for(self, branch: str) -> list[Pull]:
        return []

    def open_pulls(self) -> list[Pull]:
        return []

    def closed_pulls(self, since: str) -> list[Pull]:
        return []

    def commit_message(self, sha: str) -> str:
        return ""

    def compare(self, base: str, head: str) -> Comparison:
        return Comparison(0, 0, {})

    def comments(self, number: int) -> list[Comment]:
        return []

    def get_comment(self, comment_id: int) -> Comment | None:
        return None

    def role(self, login: str) -> str:
        return "admin"

    def bot_login(self) -> str:
        return BOT

    def known_login(self) -> str | None:
        return BOT

    def issues_by(self, login: str, *, page: int = 1) -> list[Issue]:
        return []


@dataclass
class DryRun:
    """RepoPort whose reads go to ``reads`` and whose writes are only recorded."""

    reads: RepoPort | Offline
    actions: list[Action] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return self.reads.full_name

    def repository(self) -> Repository:
        return self.reads.repository()

    def get_issue(self, number: int) -> Issue:
        return self.reads.get_issue(number)

    def open_issues(self) -> list[Issue]:
        return self.reads.open_issues()

    def closed_issues(self, since: str) -> list[Issue]:
        return self.reads.closed_issues(since)

    def read_file(self, path: str, ref: str) -> FileText | None:
        got = self.reads.read_file(path, ref)
        if got is not None:
            self.seen.setdefault(path, got.text)
        return got

    def read_org_file(self, path: str) -> FileText | None:
        got = self.reads.read_org_file(path)
        if got is not None:
            self.seen.setdefault(f"org:{path}", got.text)
        return got

    def language(self) -> Lang:
        """The language of the config the flow read (the repository's, else the owner's)."""
        text = self.seen.get(CONFIG_PATH, self.seen.get(f"org:{CONFIG_PATH}"))
        try:
            return load_config(text).language
        except ConfigError:
            return "zh"

    def branch_sha(self, branch: str) -> str | None:
        return self.reads.branch_sha(branch)

    def pulls_for(self, branch: str) -> list[Pull]:
        return self.reads.pulls_for(branch)

    def open_pulls(self) -> list[Pull]:
        return self.reads.open_pulls()

    def closed_pulls(self, since: str) -> list[Pull]:
        return self.reads.closed_pulls(since)

    def commit_message(self, sha: str) -> str:
        return self.reads.commit_message(sha)

    def compare(self, base: str, head: str) -> Comparison:
        return self.reads.compare(base, head)

    def comments(self, number: int) -> list[Comment]:
        return self.reads.comments(number)

    def get_comment(self, comment_id: int) -> Comment | None:
        return self.reads.get_comment(comment_id)

    def role(self, login: str) -> str:
        return self.reads.role(login)

    def bot_login(self) -> str:
        return self.reads.bot_login()

    def known_login(self) -> str | None:
        return self.reads.known_login()

    def issues_by(self, login: str, *, page: int = 1) -> list[Issue]:
        return self.reads.issues_by(login, page=page)

    def create_issue(self, *, title: str, body: str) -> Issue:
        self.actions.append(Action("open issue", title, body))
        return Issue(0, title, body, self.bot_login(), 0, "NONE", "open", (), 0, False)

    def edit_issue(self, number: int, *, title: str | None = None, body: str | None = None) -> None:
        shown = "\n".join(f"{k}: {v}" for k, v in {"title": title, "body": body}.items() if v)
        self.actions.append(Action("edit issue", f"#{number}", shown))

    def create_branch(self, branch: str, sha: str) -> None:
        self.actions.append(Action("create branch", branch, f"← {sha}"))

    def reset_branch(self, branch: str, sha: str) -> None:
        self.actions.append(Action("reset branch", branch, f"← {sha}"))

    def commit_file(
        self, *, branch: str, path: str, text: str, sha: str, message: str, parent: str = ""
    ) -> str:
        before = self.seen.get(path, "")
        diff = "".join(
            difflib.unified_diff(
                before.splitlines(True), text.splitlines(True), f"a/{path}", f"b/{path}"
            )
        )
        self.actions.append(Action("commit", branch, f"{message}\n{diff}"))
        return NO_SHA

    def open_pull(self, *, branch: str, base: str, title: str, body: str) -> Pull:
        self.actions.append(Action("open pull request", f"{branch} → {base}", f"{title}\n\n{body}"))
        url = "(dry run: no PR opened)"
        return Pull(0, "open", False, title, body, branch, NO_SHA, url, self.bot_login())

    def edit_pull(
        self,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
    ) -> None:
        changes = {"title": title, "body": body, "state": state}
        shown = "\n".join(f"{k}: {v}" for k, v in changes.items() if v)
        self.actions.append(Action("edit pull request", f"#{number}", shown))

    def add_comment(self, number: int, body: str) -> Comment:
        self.actions.append(Action("comment", f"#{number}", body))
        return Comment(0, body, self.bot_login())

    def edit_comment(self, comment_id: int, body: str) -> None:
        self.actions.append(Action("edit comment", str(comment_id), body))

    def add_labels(self, number: int, labels: list[str]) -> None:
        self.actions.append(Action("add labels", f"#{number}", ", ".join(labels)))

    def remove_label(self, number: int, label: str) -> None:
        self.actions.append(Action("remove label", f"#{number}", label))

    def request_reviewers(self, number: int, logins: list[str]) -> None:
        self.actions.append(Action("request reviewers", f"#{number}", ", ".join(logins)))


_WOULD: dict[str, tuple[str, str]] = {
    "open issue": ("将新建 issue", "would open issue"),
    "edit issue": ("将修改 issue", "would edit issue"),
    "create branch": ("将创建分支", "would create branch"),
    "reset branch": ("将重置分支", "would reset branch"),
    "commit": ("将提交到", "would commit"),
    "open pull request": ("将打开 PR", "would open pull request"),
    "edit pull request": ("将修改 PR", "would edit pull request"),
    "comment": ("将评论", "would comment"),
    "edit comment": ("将修改评论", "would edit comment"),
    "add labels": ("将添加标签", "would add labels"),
    "remove label": ("将移除标签", "would remove label"),
    "request reviewers": ("将请求评审", "would request reviewers"),
}
_NOTHING = (
    "没有改动：不会向 GitHub 写入任何内容。",
    "No changes: nothing would be written to GitHub.",
)


def describe(actions: list[Action], lang: Lang = "zh") -> str:
    """The recorded writes as text for a terminal, in ``lang``."""
    if not actions:
        return pick(_NOTHING, lang) + "\n"
    return "".join(
        f"== {pick(_WOULD[a.kind], lang)}: {a.target}\n{a.detail.rstrip()}\n\n" for a in actions
    )
