"""Weekly mode: every pending submission in one rolling PR on ``paperbot/batch``.

Rules:
- The rolling PR is a function of the open issues, the README on the default branch head and
  the config: the README gets every pending block, inserted in date order at the marker, in
  one bot commit on ``paperbot/batch``; one PR, opened by the bot, is open for it. Running
  twice writes nothing.
- Pending: an open submission whose author may submit, that is valid and not already in the
  README, and not *held*: an issue that a rolling PR closed unmerged by someone else still
  holds with the same body (the rejected-PR rule: an edit, or ``/paperbot retry``, submits
  it again).
- The human-edit guard: the branch moves only by ``branch.claim``'s rule (its head is the
  commit the bot last wrote there, which the PR's hidden state records, or adds nothing to
  the default branch), and not at all when the open PR on it is not the bot's; the status
  comments say so, and the bot's open PR is told once.
- Switching modes is safe: in weekly mode the bot's open ``paperbot/issue-N`` PRs are closed
  with a note linking the rolling PR (lifecycle.py does the way back).
- Status comments link the rolling PR; they are written for the issue an event is about,
  and for every pending issue when the rolling PR is new or on reconcile.
- An issue whose judging raises a bug is left out, logged and counted (``Batch.failed``,
  ``sweep.isolated``), and the others are written; its own event's job then raises it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

from app.core import batch as texts
from app.core import held, messages
from app.core.batch import BRANCH, Item
from app.core.config import Config
from app.core.entry import Entry
from app.core.errors import BotError, InvalidSubmission
from app.core.paper import Found
from app.core.submission import apply, build
from app.core.week import week_of
from app.flows import papers, sweep
from app.flows.branch import NotOurs, claim, commit, tell_once
from app.flows.context import (
    Context,
    NotAllowed,
    Status,
    authorise,
    base_readme,
    is_submission,
    set_label,
)
from app.github.port import FileText, Issue, Pull, RepoPort, Unprocessable


@dataclass
class Verdict:
    """What became of one open submission in this run."""

    issue: Issue
    kind: str  # batched | present | invalid | not allowed | rejected
    item: Item | None = None
    error: BotError | None = None


@dataclass
class Batch:
    """One sync: the verdicts, the rolling PR, and whether it is new or a person's now."""

    verdicts: dict[int, Verdict] = field(default_factory=dict)
    pull: Pull | None = None
    created: bool = False
    human: bool = False
    failed: dict[int, Exception] = field(default_factory=dict)  # bugs, by issue: left out
    head: str | None = None  # the bot's commit on the branch, recorded in the PR
    recorded: str | None = None  # the bot's last commit there, as its newest PR recorded it

    @property
    def items(self) -> list[Item]:
        return [v.item for v in self.verdicts.values() if v.item is not None]

    def summary(self) -> str:
        """For a job's outcome: what is pending, and how many issues a bug left out."""
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return f"rolling pull: {len(self.items)} pending{failed}"


def process(ctx: Context, issue: Issue, *, config: Config, retry: bool = False) -> str:
    """Weekly mode's answer to an event on ``issue``: regenerate the PR, tell the issue."""
    got = sync(ctx, config, retry=issue.number if retry else None)
    verdict = got.verdicts.get(issue.number)
    if verdict is None and issue.number not in got.failed:
        return "ignored: not among the open issues"
    announce(ctx, config, got=got, only=None if got.created else {issue.number})
    if verdict is None:  # its judging raised a bug: the job's own retries and failure note
        raise got.failed[issue.number]
    if got.human and verdict.kind == "batched":
        return "human-touched"
    return "submitted" if verdict.kind == "batched" else verdict.kind


def open_pull(port: RepoPort) -> Pull | None:
    """The open PR on ``paperbot/batch``, whoever opened it."""
    return next((p for p in port.pulls_for(BRANCH) if p.state == "open"), None)


def sync(
    ctx: Context, config: Config, *, retry: int | None = None, issues: list[Issue] | None = None
) -> Batch:
    """Bring ``paperbot/batch`` and its PR in line with the open submissions (``issues``)."""
    port = ctx.port
    readme, base_sha = base_readme(port, config, base=ctx.base, sha=port.branch_sha(ctx.base))
    history = port.pulls_for(BRANCH)
    holds = {n: f for n, f in _held(history, port.bot_login()).items() if n != retry}
    listed = ctx.port.open_issues() if issues is None else issues
    got, text = _judge(ctx, config, readme=readme.text, held=holds, issues=listed)
    got.pull = next((p for p in history if p.state == "open"), None)
    mine = next((p for p in history if p.author == port.bot_login()), None)
    got.recorded = held.last_written(mine.body) if mine is not None else None
    if got.pull is not None and got.pull.author != port.bot_login():
        got.human = True
        return got
    if not got.items:
        if got.pull is not None:
            close(port, got.pull, note=texts.note("emptied", config.language), why="emptied")
        got.pull = None
        return got
    if not _write(ctx, config, got=got, text=text, readme=readme, base_sha=base_sha):
        got.human = True
        return got
    _ensure_pull(ctx, config, got=got)
    _move_singles(ctx, config, got=got)
    return got


def _held(history: list[Pull], me: str) -> dict[int, str]:
    """Issue → the body fingerprint a rolling PR rejected (closed unmerged) it with."""
    held: dict[int, str] = {}
    for pull in reversed([p for p in history if p.author == me]):  # oldest first: later wins
        rejected = pull.state == "closed" and not pull.merged
        for number, seen in texts.fingerprints(pull.body).items():
            if rejected and not texts.closed_by_bot(pull.body):
                held[number] = seen
            else:
                held.pop(number, None)
    return held


def _judge(
    ctx: Context, config: Config, *, readme: str, held: dict[int, str], issues: list[Issue]
) -> tuple[Batch, str]:
    """Every open submission's verdict, and the README with every pending block."""
    got, today, repo = Batch(), ctx.clock(config.timezone), ctx.port.full_name
    dated: list[tuple[Entry, Issue]] = []
    found: dict[int, Found | None] = {}
    for issue in issues:
        if issue.is_pull or not is_submission(issue):
            continue
        if held.get(issue.number) == messages.fingerprint(issue.body):
            got.verdicts[issue.number] = Verdict(issue, "rejected")
            continue
        try:
            run = partial(_entry, ctx, config, issue=issue, found=found, today=today)
            entry = sweep.isolated(repo, issue.number, run=run, failed=got.failed)
        except (NotAllowed, InvalidSubmission) as exc:
            kind = "not allowed" if isinstance(exc, NotAllowed) else "invalid"
            got.verdicts[issue.number] = Verdict(issue, kind, error=exc)
            continue
        dated.extend([(entry, issue)] if entry is not None else [])
    for _, issue in sorted(dated, key=lambda d: (d[0].date, d[1].number)):
        paper = found[issue.number]
        add = partial(_add, got, config, readme=readme, issue=issue, today=today, paper=paper)
        added = sweep.isolated(repo, issue.number, run=add, failed=got.failed)
        readme = readme if added is None else added
    return got, readme


def _entry(
    ctx: Context, config: Config, *, issue: Issue, found: dict[int, Found | None], today: dt.date
) -> Entry:
    """``issue``'s entry (its paper looked up into ``found``), once its author may submit."""
    authorise(ctx.port, issue, config=config)
    paper = found[issue.number] = papers.paper(ctx, issue, config=config)
    defaults = _defaults(issue, config)
    return build(issue.body, config=config, today=today, defaults=defaults, paper=paper).entry


def _add(
    got: Batch, config: Config, *, readme: str, issue: Issue, today: dt.date, paper: Found | None
) -> str:
    """``readme`` with ``issue``'s block (its verdict recorded)."""
    defaults = _defaults(issue, config)
    try:
        result = apply(
            readme, issue.body, config=config, today=today, defaults=defaults, paper=paper
        )
    except InvalidSubmission as exc:  # e.g. the same paper as another pending entry
        got.verdicts[issue.number] = Verdict(issue, "invalid", error=exc)
        return readme
    if result.readme is None or result.readme == readme:
        got.verdicts[issue.number] = Verdict(issue, "present")
        return readme
    fingerprint = messages.fingerprint(issue.body)
    item = Item(
        issue.number, issue.author, issue.author_id, result.entry, fingerprint, result.notes
    )
    got.verdicts[issue.number] = Verdict(issue, "batched", item=item)
    return result.readme


def _defaults(issue: Issue, config: Config) -> dict[str, str]:
    name = config.member_name(issue.author)
    return {"name": name} if name else {}


def _write(
    ctx: Context, config: Config, *, got: Batch, text: str, readme: FileText, base_sha: str
) -> bool:
    """Make the branch hold one bot commit with ``text`` (``branch.claim``'s rule); False,
    touching nothing, when it holds work the bot did not write."""
    port, head = ctx.port, got.pull.head_sha if got.pull is not None else None
    if got.pull is not None:
        got.head = held.last_written(got.pull.body) or head
        on_branch = port.read_file(config.path, got.pull.head_sha)
        if on_branch is not None and on_branch.text == text:
            return True
    try:
        claim(ctx, BRANCH, base_sha=base_sha, head=head, recorded=got.recorded)
    except NotOurs as left:
        if got.pull is not None:
            tell_once(ctx, got.pull, left=left, lang=config.language)
        return False
    message = texts.commit_message(got.items, _week(config, got), lang=config.language)
    got.head = commit(
        ctx, BRANCH, parent=base_sha, path=config.path, text=text, sha=readme.sha, message=message
    )
    return True


def _week(config: Config, got: Batch) -> dt.date:
    return week_of(max(i.entry.date for i in got.items), config.week_start)


def _ensure_pull(ctx: Context, config: Config, *, got: Batch) -> None:
    port, lang = ctx.port, config.language
    title, body = texts.title(got.items, _week(config, got), lang=lang), texts.body(got.items, lang)
    body = held.with_head(body, got.head) if got.head else body
    if got.pull is not None:
        if (got.pull.title, got.pull.body.strip()) != (title, body.strip()):
            port.edit_pull(got.pull.number, title=title, body=body)
        return
    try:
        got.pull = port.open_pull(branch=BRANCH, base=ctx.base, title=title, body=body)
    except Unprocessable:  # created, though GitHub answered an error
        got.pull = open_pull(port)
        if got.pull is None:
            raise
    got.created = True
    if config.labels.pull_request:
        port.add_labels(got.pull.number, [config.labels.pull_request])
    if config.reviewers:
        port.request_reviewers(got.pull.number, config.reviewers)


def _move_singles(ctx: Context, config: Config, *, got: Batch) -> None:
    """Close the bot's per-submission PRs left from before the switch, linking the rolling PR."""
    assert got.pull is not None
    me, note = ctx.port.bot_login(), texts.note("moved", config.language, url=got.pull.url)
    for pull in ctx.port.open_pulls():
        if pull.author == me and messages.issue_of(pull.head) is not None:
            ctx.port.add_comment(pull.number, note)
            body = messages.restate(pull.body, closed="moved")
            ctx.port.edit_pull(pull.number, state="closed", body=body)
            got.created = True  # their issues' status comments must now link the rolling PR


def close(port: RepoPort, pull: Pull, *, note: str, why: str) -> None:
    """Close the rolling PR with a note, recording that paperbot closed it (not a rejection)."""
    port.add_comment(pull.number, note)
    port.edit_pull(pull.number, state="closed", body=texts.mark_closed(pull.body, why))


def announce(ctx: Context, config: Config, *, got: Batch, only: set[int] | None) -> None:
    """Write each judged issue's status comment (only ``only``'s, unless None)."""
    for verdict in (v for n, v in got.verdicts.items() if only is None or n in only):
        Status(ctx.port, verdict.issue, config.language).say(_status(got, verdict, config=config))
        invalid = verdict.kind == "invalid"
        set_label(ctx.port, verdict.issue, label=config.labels.needs_fix, on=invalid)


def _status(got: Batch, verdict: Verdict, *, config: Config) -> str:
    lang, error = config.language, verdict.error
    if isinstance(error, InvalidSubmission):
        return messages.status("invalid", lang, problems=error.problems)
    if error is not None:
        return error.message
    if verdict.kind in ("present", "rejected"):
        return messages.status("present" if verdict.kind == "present" else "not_merged", lang)
    if got.human or got.pull is None:
        return messages.status("human", lang, branch=BRANCH)
    notes = verdict.item.notes if verdict.item else ()
    return texts.status("batched", lang, url=got.pull.url, notes=notes)
