"""``/paperbot normalize``: one pull request that brings the README's history into house style.

Rules:
- Only a comment whose first line is the command runs it, and only for a collaborator with
  maintain or admin permission; anyone else is told who may.
- The pull request lives on ``paperbot/normalize``, built on the default branch's head. The
  branch moves only by ``branch.claim``'s rule (its head is the commit the bot last wrote
  there, recorded in the PR's hidden state, or adds nothing to the base); otherwise the bot
  says so (and its open PR is told once) and writes nothing. A branch already holding this
  very normalisation on the current base is left as it is.
- When nothing would change, the reply says so and no pull request is opened (an open one,
  no longer needed, is closed with a note).
- Every run answers with one comment on the issue where it was asked, once the comment is
  read back still asking (``commands``).
"""

from __future__ import annotations

import re

from app.core import held
from app.core import normalize_text as texts
from app.core.config import Config
from app.core.errors import BotError
from app.core.i18n import Lang
from app.core.normalize import Normalized, normalize
from app.flows.base_branch import base_sha as base_head
from app.flows.branch import NotOurs, claim, commit, tell_once
from app.flows.commands import still_asked
from app.flows.context import Context, repo_config, role
from app.flows.routing import Payload, Router, Task, base_args
from app.github.port import FileText, Pull, Unprocessable

_COMMAND = re.compile(r"\A\s*/paperbot\s+normalize\s*(?:\n|\Z)", re.IGNORECASE)
_MAINTAINERS = {"admin", "maintain"}
router = Router()


class _Refused(BotError):
    """The run stops here; the message is the reply."""


def asked(payload: Payload) -> bool:
    """True when a comment's first line is the command ``/paperbot normalize``."""
    text = (payload.get("comment") or {}).get("body") or ""
    return isinstance(text, str) and _asks(text)


def _asks(text: str) -> bool:
    return bool(_COMMAND.match(text.replace("\r\n", "\n")))


@router.register("issue_comment", "created", when=asked)
def normalize_route(payload: Payload) -> Task:
    comment = payload["comment"]
    by, number = (comment.get("user") or {}).get("login"), payload["issue"]["number"]
    return Task(
        "normalize",
        {**base_args(payload), "number": number, "by": by, "comment": comment.get("id")},
    )


def normalize_readme(ctx: Context, number: int, *, by: str, comment: int | None = None) -> str:
    """Run the command asked for on issue ``number`` by ``by`` in ``comment`` (read back
    first: a replayed delivery does nothing once it is gone); the outcome for the log."""
    if not still_asked(ctx.port, comment, by=by, asks=_asks):
        return f"not asked: comment {comment} no longer asks for it"
    config = repo_config(ctx.port, ctx.base)
    try:
        outcome, reply = _run(ctx, config, by=by)
    except _Refused as exc:
        outcome, reply = exc.message.split("\n", 1)
    ctx.port.add_comment(number, reply)
    return outcome


def _run(ctx: Context, config: Config, *, by: str) -> tuple[str, str]:
    lang = config.language
    if role(ctx.port, by) not in _MAINTAINERS:
        raise _Refused("not allowed\n" + texts.say("not_allowed", lang))
    base_sha = base_head(ctx)
    readme = ctx.port.read_file(config.path, base_sha) if base_sha else None
    if base_sha is None or readme is None:
        raise _Refused(f"no readme\n{config.path}: not found on {ctx.base}")
    got = normalize(readme.text, config=config)
    pulls = ctx.port.pulls_for(texts.BRANCH)
    current = _open_pull(ctx, pulls, lang=lang)
    if not got.changes:
        if current is not None:
            ctx.port.add_comment(current.number, texts.say("closed", lang))
            ctx.port.edit_pull(current.number, state="closed")
        return "nothing to change", texts.describe(got, path=config.path, lang=lang)
    mine = current or next((p for p in pulls if p.author == ctx.port.bot_login()), None)
    recorded = held.last_written(mine.body) if mine is not None else None
    head = _write_branch(
        ctx, config, readme=readme, base_sha=base_sha, got=got, recorded=recorded, current=current
    )
    pull = _ensure_pull(ctx, config, got=got, current=current, by=by, head=head)
    key = "updated" if current is not None else "opened"
    return key, texts.say(key, lang, url=pull.url)


def _open_pull(ctx: Context, pulls: list[Pull], *, lang: Lang) -> Pull | None:
    """The open normalisation PR; one that someone else opened from the branch stops us."""
    found = next((p for p in pulls if p.state == "open"), None)
    if found is not None and found.author != ctx.port.bot_login():
        raise _Refused("human-touched\n" + texts.say("human", lang, branch=texts.BRANCH))
    return found


def _write_branch(
    ctx: Context,
    config: Config,
    *,
    readme: FileText,
    base_sha: str,
    got: Normalized,
    recorded: str | None,
    current: Pull | None,
) -> str:
    """The branch holding ``got`` on ``base_sha`` (``branch.claim``'s rule); its head."""
    port, lang = ctx.port, config.language
    head = port.branch_sha(texts.BRANCH)
    if head is not None and head != base_sha and port.compare(head, base_sha).ahead_by == 0:
        built = port.read_file(config.path, head)
        if built is not None and built.text == got.text:
            return head  # this normalisation, on the current base, is there already
    try:
        claim(ctx, texts.BRANCH, base_sha=base_sha, head=head, recorded=recorded)
    except NotOurs as left:
        if current is not None:
            tell_once(ctx, current, left=left, lang=lang)
        raise _Refused("human-touched\n" + texts.say("human", lang, branch=texts.BRANCH)) from left
    message = texts.commit_message(got, lang)
    return commit(
        ctx,
        texts.BRANCH,
        parent=base_sha,
        path=config.path,
        text=got.text,
        sha=readme.sha,
        message=message,
    )


def _ensure_pull(
    ctx: Context, config: Config, *, got: Normalized, current: Pull | None, by: str, head: str
) -> Pull:
    lang = config.language
    title = texts.pr_title(got, lang)
    body = held.with_head(texts.pr_body(got, path=config.path, by=by, lang=lang), head)
    if current is not None:
        if (current.title, current.body.strip()) != (title, body.strip()):
            ctx.port.edit_pull(current.number, title=title, body=body)
        return current
    try:
        pull = ctx.port.open_pull(branch=texts.BRANCH, base=ctx.base, title=title, body=body)
    except Unprocessable:  # created by an earlier try that answered an error
        found = next((p for p in ctx.port.pulls_for(texts.BRANCH) if p.state == "open"), None)
        if found is None:
            raise
        return found
    if config.labels.pull_request:
        ctx.port.add_labels(pull.number, [config.labels.pull_request])
    return pull
