"""A bot branch that holds someone else's work: the note on its PR, told once per head."""

from __future__ import annotations

from app.core.i18n import Lang
from app.core.messages import pr_state, restate

_NOTE = (
    "分支 {branch} 的最新提交 {sha} 不是 paperbot 写入的，paperbot 不会覆盖它，这个 PR 也不再"
    "自动更新。可以在这里继续完成；若想让 paperbot 重新生成，请关闭这个 PR 并删除该分支。",
    "The head of {branch} ({sha}) is not a commit paperbot wrote, so paperbot will not "
    "overwrite it and no longer updates this pull request. Finish it here; to have paperbot "
    "build it again, close this pull request and delete the branch.",
)


def note(branch: str, head: str, *, lang: Lang) -> str:
    """The PR comment saying the bot leaves ``branch`` (at ``head``) alone."""
    return _NOTE[lang == "en"].format(branch=branch, sha=head[:7])


def last_written(pr_body: str) -> str | None:
    """The head the PR's hidden state says the bot last wrote on its branch."""
    got = pr_state(pr_body).get("head")
    return got if isinstance(got, str) else None


def told(pr_body: str, head: str) -> bool:
    """True when the PR was already told that its branch at ``head`` is left alone."""
    return pr_state(pr_body).get("held") == head


def mark_told(pr_body: str, head: str) -> str:
    """``pr_body`` recording that the PR was told about ``head``."""
    return restate(pr_body, held=head)


def with_head(pr_body: str, head: str) -> str:
    """``pr_body`` recording ``head`` as the commit the bot last wrote on the branch."""
    return restate(pr_body, head=head)
