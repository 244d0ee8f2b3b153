"""Weekly mode's rolling PR once closed: its issues labelled and told, merged or not.

Rules:
- A closing delivery acts only while GitHub agrees (``still_closed``): a captured one may be
  replayed at any time, after a reopen or a retry.
- One issue that is deleted or fails stops no other (``sweep.item``).
"""

from __future__ import annotations

from functools import partial

from app.core import batch as texts
from app.core import messages
from app.core.batch import BRANCH
from app.core.config import Config
from app.flows.context import Context, Status, set_label
from app.flows.sweep import item
from app.github.port import Pull


def still_closed(pull: Pull, *, number: int | None, merged: bool) -> bool:
    """GitHub agrees with a closing delivery: ``pull`` is PR ``number`` (None: any), closed,
    and ``merged`` or not as the delivery said (a captured one may be replayed any time)."""
    return number in (None, pull.number) and pull.state == "closed" and pull.merged == merged


def closed(ctx: Context, config: Config, *, number: int, merged: bool) -> str:
    """The rolling PR ``number`` was merged or closed: label and tell each of its issues."""
    pull = next((p for p in ctx.port.pulls_for(BRANCH) if p.number == number), None)
    if pull is None or pull.author != ctx.port.bot_login():
        return "ignored: not paperbot's rolling pull request"
    if not still_closed(pull, number=number, merged=merged):
        return "ignored: reopened or merged since"
    if not merged and texts.closed_by_bot(pull.body):
        return "closed by paperbot"
    for n in texts.fingerprints(pull.body):  # a deleted or failing one stops no other
        item(
            ctx.port.full_name,
            f"issue #{n}",
            run=partial(_tell_closed, ctx, config, number=n, merged=merged),
        )
    return "merged" if merged else "not merged"


def _tell_closed(ctx: Context, config: Config, *, number: int, merged: bool) -> str:
    issue = ctx.port.get_issue(number)
    if merged or issue.state == "open":
        kind = "merged" if merged else "not_merged"
        Status(ctx.port, issue, config.language).say(messages.status(kind, config.language))
    set_label(
        ctx.port, issue, label=config.labels.merged if merged else config.labels.not_merged, on=True
    )
    return "told"
