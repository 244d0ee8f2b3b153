"""Event routing, declared in one place: which deliveries become which jobs, with primitives.

Rules:
- A route turns a payload into a ``Job`` of primitives (repo, numbers, installation id) or
  None; the worker re-reads everything else from GitHub, so a job never carries a payload.
- Events sent by a bot (``sender.type == "Bot"``), the bot itself included, make no job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Payload = dict[str, Any]


@dataclass(frozen=True)
class Job:
    """A job name and its primitive arguments."""

    name: str
    args: dict[str, str | int | bool | None] = field(default_factory=dict)


Handler = Callable[[Payload], Job | None]


class Router:
    """Maps (event, action) to the one handler that makes its job."""

    def __init__(self) -> None:
        self.handlers: dict[tuple[str, str | None], Handler] = {}

    def register(self, event: str, *actions: str) -> Callable[[Handler], Handler]:
        def add(handler: Handler) -> Handler:
            for action in actions or (None,):
                self.handlers[(event, action)] = handler
            return handler

        return add

    def route(self, event: str, payload: Payload) -> Job | None:
        if (payload.get("sender") or {}).get("type") == "Bot":
            return None
        handler = self.handlers.get((event, payload.get("action"))) or self.handlers.get(
            (event, None)
        )
        return handler(payload) if handler else None


router = Router()


def _base(payload: Payload) -> dict[str, str | int | bool | None]:
    return {
        "repo": payload["repository"]["full_name"],
        "installation": (payload.get("installation") or {}).get("id"),
        "base": payload["repository"].get("default_branch") or "main",
    }


@router.register("issues", "opened", "edited", "reopened", "labeled")
def issue_changed(payload: Payload) -> Job:
    """Any change that may make an issue a (different) submission."""
    return Job("process_issue", {**_base(payload), "number": payload["issue"]["number"]})


@router.register("issue_comment", "created")
def issue_commented(payload: Payload) -> Job | None:
    """A comment on a submission re-checks it (e.g. after a maintainer fixed the config)."""
    if payload["issue"].get("pull_request"):
        return None
    return Job("process_issue", {**_base(payload), "number": payload["issue"]["number"]})


@router.register("issues", "closed")
def issue_closed(payload: Payload) -> Job:
    return Job("issue_closed", {**_base(payload), "number": payload["issue"]["number"]})


@router.register("pull_request", "closed")
def pull_closed(payload: Payload) -> Job | None:
    """Only the bot's own PRs matter: their head branch is ``paperbot/issue-N``."""
    pull = payload["pull_request"]
    if not pull["head"]["ref"].startswith("paperbot/issue-"):
        return None
    return Job(
        "pull_closed",
        {
            **_base(payload),
            "number": pull["number"],
            "merged": bool(pull.get("merged")),
            "branch": pull["head"]["ref"],
        },
    )


@router.register("push")
def pushed(payload: Payload) -> Job | None:
    """A push to the default branch may make every open bot PR conflict: regenerate them."""
    default = payload["repository"].get("default_branch")
    if payload.get("ref") != f"refs/heads/{default}" or payload.get("deleted"):
        return None
    return Job("regenerate", _base(payload))


@router.register("installation_repositories", "added", "removed")
@router.register(
    "installation", "created", "deleted", "suspend", "unsuspend", "new_permissions_accepted"
)
def installation_changed(payload: Payload) -> None:
    """Nothing to do: tokens are minted per job, and jobs for a removed install end cleanly."""
    return None
