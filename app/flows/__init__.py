"""Plain, idempotent functions that apply the core's decisions to GitHub through the port."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.flows.context import Context
from app.flows.lifecycle import issue_closed, pull_closed, regenerate
from app.flows.normalize import normalize_readme
from app.flows.onboarding import onboard
from app.flows.reconcile import reconcile
from app.flows.submission import process_issue
from app.flows.weekly import tick

Flow = Callable[..., str]


def unless_own(flow: Flow) -> Flow:
    """``flow``, except for an event the bot itself caused (its sender is the bot's login,
    once that is known), which is dropped whatever the sender's type."""

    def run(ctx: Context, *, sender: str | None = None, **args: Any) -> str:
        if sender and sender == ctx.port.known_login():
            return "own event"
        return flow(ctx, **args)

    return run


_PLAIN: dict[str, Flow] = {
    "process_issue": lambda ctx, number, retry_by=None, retry_comment=None: process_issue(
        ctx, number, retry_by=retry_by, retry_comment=retry_comment
    ),
    "issue_closed": lambda ctx, number: issue_closed(ctx, number),
    "pull_closed": lambda ctx, branch, merged, number=None: pull_closed(
        ctx, branch=branch, merged=merged, pull=number
    ),
    "regenerate": lambda ctx: regenerate(ctx),
    "reconcile": lambda ctx: reconcile(ctx),
    "weekly": lambda ctx: tick(ctx),
    "normalize": lambda ctx, number, by, comment=None: normalize_readme(
        ctx, number, by=by, comment=comment
    ),
    "onboard": lambda ctx, repos: onboard(ctx, repos),
}
FLOWS: dict[str, Flow] = {name: unless_own(flow) for name, flow in _PLAIN.items()}
