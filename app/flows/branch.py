"""The bot's branches: one ownership rule for every branch it writes, and the submission's.

Rules:
- Every branch the bot writes (``paperbot/issue-N``, ``paperbot/batch``, ``paperbot/normalize``
  and any later one) is moved through ``claim`` and written through ``commit``.
- ``claim`` force-moves a branch only when its head is exactly the commit the bot last wrote
  there, or the branch adds nothing to the default branch. The bot's last commit is recorded
  at ``commit`` in the ledger and in the PR's hidden state (``head``). A commit message is no
  proof: ``git commit --amend`` keeps the trailer. The ledger's record (one per repository,
  bounded) bridges a commit to the PR that records it; a job that died before GitHub
  answered its commit left the parent and content it was writing there, and a head that is
  exactly one commit on that parent changing only that file, to that content, is that
  commit. Anything else raises ``NotOurs`` and the branch is left alone; an open PR on it
  is told once (``tell_once``). The head is read again just before the force-move (a head
  listed before seconds of lookups may be stale), and judged again when it moved.
- A submission is up to date when built from the same issue body, base commit and README:
  then nothing is written and the branch is not read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.core import held, messages
from app.core.config import Config
from app.core.errors import BotError
from app.core.i18n import Lang
from app.core.submission import Result
from app.flows.context import Context
from app.github.port import Conflict, FileText, Issue, Pull, Unprocessable

KEPT = 64  # the bot's last commits the ledger keeps per repository: they bridge commit → PR


class HumanTouched(BotError):
    """Someone other than the bot pushed to the submission's branch."""


class BranchExists(Exception):
    """The branch of an issue the bot never answered exists: look its PRs up first."""


class NotOurs(Exception):
    """The branch holds work the bot did not write: it is left alone."""

    def __init__(self, name: str, head: str) -> None:
        super().__init__(f"{name} is at {head}, which paperbot did not write")
        self.name, self.head = name, head


def _written(ctx: Context) -> dict[str, dict[str, str]]:
    """Branch → what the ledger recorded of the bot's last write there: ``head`` once
    written; ``parent``, ``path`` and ``blob`` while writing."""
    raw = ctx.ledger.read(f"branch-heads:{ctx.port.full_name}")
    try:
        got = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {k: v for k, v in got.items() if isinstance(v, dict)} if isinstance(got, dict) else {}


def _remember(ctx: Context, name: str, *, record: dict[str, str]) -> None:
    """Record the bot's write on ``name`` (the newest ``KEPT`` branches per repository)."""
    records = _written(ctx)
    records.pop(name, None)
    records[name] = record
    kept = dict(list(records.items())[-KEPT:])
    ctx.ledger.write(f"branch-heads:{ctx.port.full_name}", json.dumps(kept).encode())


def movable(ctx: Context, name: str, *, head: str, base_sha: str, recorded: str | None) -> bool:
    """True when moving branch ``name`` off ``head`` loses nobody's work: ``head`` is the
    bot's last commit there (``recorded`` by its PR, or in the ledger), or the one it was
    writing when it stopped, or adds nothing to the default branch at ``base_sha``."""
    record = _written(ctx).get(name, {})
    if head in (recorded, base_sha, record.get("head")):
        return True
    return ctx.port.compare(base_sha, head).ahead_by == 0 or _was_writing(ctx, head, record=record)


def _was_writing(ctx: Context, head: str, *, record: dict[str, str]) -> bool:
    """``head`` is the commit the bot was writing when it stopped before learning its sha:
    exactly one commit on the recorded parent that changes only the path, to the recorded
    blob (an amend adding another file keeps the parent and the README: it is not ours)."""
    parent, path = record.get("parent"), record.get("path")
    if not (parent and path and record.get("blob")):
        return False
    got = ctx.port.compare(parent, head)
    return (got.ahead_by, got.behind_by, got.files) == (1, 0, {path: record["blob"]})


def claim(
    ctx: Context, name: str, *, base_sha: str, head: str | None, recorded: str | None
) -> None:
    """Point branch ``name`` (now at ``head``; None: absent) at ``base_sha`` for the bot's
    next commit; NotOurs, touching nothing, when it holds work the bot did not write."""
    port = ctx.port
    if head is None:
        try:
            port.create_branch(name, base_sha)
            return
        except Unprocessable:  # created meanwhile, or by a try that answered an error
            head = port.branch_sha(name)
            if head is None:
                raise Conflict(f"{name} was created and deleted meanwhile") from None
    if not movable(ctx, name, head=head, base_sha=base_sha, recorded=recorded):
        raise NotOurs(name, head)
    if head == base_sha:
        return
    now = port.branch_sha(name)  # GitHub's refs have no compare-and-swap: read it again last
    if now != head:  # moved (or deleted) since it was listed: judged as it is now
        claim(ctx, name, base_sha=base_sha, head=now, recorded=recorded)
        return
    port.reset_branch(name, base_sha)


def commit(
    ctx: Context, name: str, *, parent: str, path: str, text: str, sha: str, message: str
) -> str:
    """Commit ``text`` at ``path`` (over blob ``sha``) on branch ``name`` at ``parent``; the
    commit, recorded in the ledger as the bot's last one there (record it in the PR too:
    ``held.with_head``). What is being written is recorded first, for a job that dies
    before GitHub answers."""
    _remember(ctx, name, record={"parent": parent, "path": path, "blob": messages.blob_sha(text)})
    head = ctx.port.commit_file(
        branch=name, path=path, text=text, sha=sha, message=message, parent=parent
    )
    _remember(ctx, name, record={"head": head})
    return head


def tell_once(ctx: Context, pull: Pull, *, left: NotOurs, lang: Lang) -> None:
    """Tell the bot's open PR that its branch is left alone, once per head."""
    if held.told(pull.body, left.head):
        return
    ctx.port.add_comment(pull.number, held.note(left.name, left.head, lang=lang))
    ctx.port.edit_pull(pull.number, body=held.mark_told(pull.body, left.head))


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


def write_branch(
    ctx: Context, plan: Plan, *, current: Pull | None, latest: Pull | None, fresh: bool
) -> str:
    """Make the branch hold the plan's commit; its head sha. ``current``: the bot's open PR;
    ``latest``: the bot's newest PR of the branch; ``fresh``: no PR was looked up, so an
    existing branch raises BranchExists (look its PRs up, then come back)."""
    head = None
    if current is not None:
        state = messages.pr_state(current.body)
        if state.get("head") == current.head_sha and plan.state().items() <= state.items():
            return current.head_sha
        head = current.head_sha
    elif fresh:
        try:
            ctx.port.create_branch(plan.name, plan.base_sha)
        except Unprocessable:
            raise BranchExists(plan.name) from None
        return _commit(ctx, plan)
    source = current or latest
    recorded = held.last_written(source.body) if source is not None else None
    try:
        claim(ctx, plan.name, base_sha=plan.base_sha, head=head, recorded=recorded)
    except NotOurs as left:
        if current is not None:
            tell_once(ctx, current, left=left, lang=plan.config.language)
        lang = plan.config.language
        raise HumanTouched(messages.status("human", lang, branch=plan.name)) from left
    return _commit(ctx, plan)


def _commit(ctx: Context, plan: Plan) -> str:
    issue, result = plan.issue, plan.result
    message = messages.commit_message(
        result.entry,
        issue=issue.number,
        author=issue.author,
        author_id=issue.author_id,
        lang=plan.config.language,
    )
    assert result.readme is not None
    return commit(
        ctx,
        plan.name,
        parent=plan.base_sha,
        path=plan.config.path,
        text=result.readme,
        sha=plan.readme.sha,
        message=message,
    )
