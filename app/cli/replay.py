"""One delivery, run synchronously: ``paperbot receive`` (replay, dry run) and ``paperbot action``.

The same routing table and flows as the service; only the port differs: GitHub, GitHub with
writes recorded instead of made (dry run), or local files with writes recorded (offline).
"""

from __future__ import annotations

from typing import Any

from app.flows import FLOWS
from app.flows.context import Clock, Context, today_in
from app.flows.routing import Payload
from app.github.dryrun import DryRun, Offline
from app.github.port import Issue, RepoPort
from app.service.routes import router


def issue_from_payload(payload: Payload) -> Issue:
    """The issue as the delivery saw it (for the offline mode, which has no GitHub to ask)."""
    d = payload["issue"]
    return Issue(
        number=d["number"],
        title=d.get("title", ""),
        body=d.get("body"),
        author=d["user"]["login"],
        author_id=d["user"].get("id", 0),
        author_association=d.get("author_association", "NONE"),
        state=d.get("state", "open"),
        labels=tuple(label["name"] for label in d.get("labels", [])),
        comments=0,
        is_pull=bool(d.get("pull_request")),
    )


def offline_port(
    payload: Payload, *, readme: str, readme_path: str, config_text: str | None
) -> DryRun:
    files = {readme_path: readme}
    if config_text is not None:
        files[".github/paperbot.yml"] = config_text
    base = payload["repository"].get("default_branch") or "main"
    reads = Offline(payload["repository"]["full_name"], issue_from_payload(payload), files, base)
    return DryRun(reads)


def run_delivery(
    event: str, payload: Payload, *, port: RepoPort | DryRun, clock: Clock = today_in
) -> str:
    """Route the delivery and run its flow now; the flow's outcome, or why nothing ran."""
    task = router.route(event, payload)
    if task is None:
        return f"ignored: no job for {event}.{payload.get('action', '')}"
    args: dict[str, Any] = dict(task.args)
    base = str(args.pop("base", "main"))
    args.pop("repo", None)
    args.pop("installation", None)
    return FLOWS[task.name](Context(port=port, base=base, clock=clock), **args)
