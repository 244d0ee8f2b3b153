"""One delivery, run synchronously: ``paperbot receive`` (replay, dry run) and ``paperbot action``.

The same routing table and flows as the service; only the port differs: GitHub, GitHub with
writes recorded instead of made (dry run), or local files with writes recorded (offline).
Every outcome is one line; an ignored delivery says which rule ignored it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.flows import FLOWS
from app.flows.base_branch import default_branch
from app.flows.context import Clock, Context, MemoryLedger, today_in
from app.flows.routing import Payload, Skip
from app.github.dryrun import DryRun, Offline
from app.github.port import Issue, RepoPort
from app.lookup.port import Disabled, Lookup
from app.service.routes import router

PortFor = Callable[[str, "int | None"], "RepoPort | DryRun"]


def issue_from_payload(payload: Payload) -> Issue | None:
    """The issue as the delivery saw it (the offline mode has no GitHub to ask), if any."""
    d = payload.get("issue")
    if not isinstance(d, dict) or not isinstance(d.get("number"), int):
        return None
    user: dict[str, Any] = d["user"] if isinstance(d.get("user"), dict) else {}
    return Issue(
        number=d["number"],
        title=_text(d.get("title")) or "",
        body=_text(d.get("body")),
        author=user.get("login", ""),
        author_id=user.get("id") or 0,
        author_association=d.get("author_association", "NONE"),
        state=d.get("state", "open"),
        labels=tuple(label["name"] for label in d.get("labels") or []),
        comments=0,
        is_pull=bool(d.get("pull_request")),
        url=d.get("html_url") or "",
    )


def _text(value: object) -> str | None:
    """A string field as GitHub sends it; anything else reads as absent."""
    return value if isinstance(value, str) else None


def offline_port(
    payload: Payload, *, readme: str, readme_path: str, config_text: str | None
) -> DryRun:
    files = {readme_path: readme}
    if config_text is not None:
        files[".github/paperbot.yml"] = config_text
    repo = payload.get("repository") or {}
    base = repo.get("default_branch") or "main"
    reads = Offline(repo.get("full_name", ""), issue_from_payload(payload), files=files, base=base)
    return DryRun(reads)


def run_delivery(
    event: str,
    payload: Payload,
    *,
    port_for: PortFor,
    clock: Clock = today_in,
    lookup: Lookup | None = None,
) -> str:
    """Route the delivery and run its flow now; the flow's outcome, or why nothing ran.

    ``port_for(repo, installation)`` gives the port, asked only when there is work to do.
    """
    task = router.decide(event, payload)
    if isinstance(task, Skip):
        return f"ignored: {task.why}"
    args: dict[str, Any] = dict(task.args)
    given = args.pop("base", None)
    port = port_for(str(args.pop("repo")), args.pop("installation", None))
    ledger = MemoryLedger()
    base = default_branch(port, given=given and str(given))
    ctx = Context(port=port, base=base, clock=clock, ledger=ledger, lookup=lookup or Disabled())
    return FLOWS[task.name](ctx, **args)
