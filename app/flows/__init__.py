"""Plain, idempotent functions that apply the core's decisions to GitHub through the port."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.flows import commands
from app.flows.context import Context
from app.flows.lifecycle import issue_closed, pull_closed, regenerate
from app.flows.normalize import normalize_readme
from app.flows.onboarding import onboard, pushed
from app.flows.reconcile import reconcile
from app.flows.submission import process_issue
from app.flows.weekly import tick

Flow = Callable[..., str]


def unless_own(flow: Flow) -> Flow:
    """``flow``, except for an event about what the bot itself wrote: a comment or issue
    that carries paperbot's marker (``own``) sent by the bot's login. A person whose token
    the bot uses is the bot's login too: their own comments, commands, submissions and
    merges carry no marker, and run."""

    def run(ctx: Context, *, sender: str | None = None, own: bool = False, **args: Any) -> str:
        if own and sender and sender == ctx.port.bot_login():
            return "own event"
        return flow(ctx, **args)

    return run


def _process(
    ctx: Context, number: int, *, retry_by: str | None = None, retry_comment: int | None = None
) -> str:
    """A submission re-checked; ``/paperbot retry`` (read back by the flow) acts once."""
    if commands.ran(ctx, retry_comment):
        retry_by = None
    outcome = process_issue(ctx, number, retry_by=retry_by, retry_comment=retry_comment)
    commands.record(ctx, retry_comment if retry_by else None)
    return outcome


def _normalize(ctx: Context, number: int, *, by: str, comment: int | None = None) -> str:
    """``/paperbot normalize`` (read back by the flow), once per comment."""
    if commands.ran(ctx, comment):
        return f"done before: comment {comment} was acted on"
    outcome = normalize_readme(ctx, number, by=by, comment=comment)
    commands.record(ctx, comment)
    return outcome


_PLAIN: dict[str, Flow] = {
    "process_issue": _process,
    "issue_closed": lambda ctx, number, moved_to=None: issue_closed(ctx, number, moved_to=moved_to),
    "pull_closed": lambda ctx, branch, merged, number=None: pull_closed(
        ctx, branch=branch, merged=merged, pull=number
    ),
    "regenerate": lambda ctx, setup=False: "; ".join(
        [*([pushed(ctx)] if setup else []), regenerate(ctx)]
    ),
    "reconcile": lambda ctx: reconcile(ctx),
    "weekly": lambda ctx: tick(ctx),
    "normalize": _normalize,
    "onboard": lambda ctx, repos: onboard(ctx, repos),
}
FLOWS: dict[str, Flow] = {name: unless_own(flow) for name, flow in _PLAIN.items()}
