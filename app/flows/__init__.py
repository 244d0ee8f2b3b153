"""Plain, idempotent functions that apply the core's decisions to GitHub through the port."""

from __future__ import annotations

from collections.abc import Callable

from app.flows.lifecycle import issue_closed, pull_closed, regenerate
from app.flows.reconcile import reconcile
from app.flows.submission import process_issue

FLOWS: dict[str, Callable[..., str]] = {
    "process_issue": lambda job, number: process_issue(job, number),
    "issue_closed": lambda job, number: issue_closed(job, number),
    "pull_closed": lambda job, branch, merged, number=None: pull_closed(
        job, branch=branch, merged=merged
    ),
    "regenerate": lambda job: regenerate(job),
    "reconcile": lambda job: reconcile(job),
}
