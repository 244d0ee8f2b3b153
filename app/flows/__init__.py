"""Plain, idempotent functions that apply the core's decisions to GitHub through the port."""

from __future__ import annotations

from collections.abc import Callable

from app.flows.lifecycle import issue_closed, pull_closed, regenerate
from app.flows.reconcile import reconcile
from app.flows.submission import process_issue
from app.flows.weekly import tick

FLOWS: dict[str, Callable[..., str]] = {
    "process_issue": lambda ctx, number: process_issue(ctx, number),
    "issue_closed": lambda ctx, number: issue_closed(ctx, number),
    "pull_closed": lambda ctx, branch, merged, number=None: pull_closed(
        ctx, branch=branch, merged=merged
    ),
    "regenerate": lambda ctx: regenerate(ctx),
    "reconcile": lambda ctx: reconcile(ctx),
    "weekly": lambda ctx: tick(ctx),
}
