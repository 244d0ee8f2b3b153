"""Real webhook payloads (tests/fixtures/webhooks), re-pointed at the fake's repository."""

from __future__ import annotations

import copy
import json
from typing import Any

from app.flows import FLOWS
from app.flows.context import Context
from app.github.fake.server import FakeGitHub
from app.service.routes import router
from tests.conftest import FIXTURES
from tests.fakes import REPO


def payload(name: str, **changes: Any) -> dict[str, Any]:
    """A GitHub payload example for group/log; ``changes`` are set by dotted path."""
    data = json.loads((FIXTURES / "webhooks" / f"{name}.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["repository"].update(full_name=REPO, default_branch="main")
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    return data


def deliver(ctx: Context, event: str, body: dict[str, Any]) -> str:
    """Route the delivery as the webhook does and run its flow as a worker does."""
    task = router.route(event, body)
    if task is None:
        return "no task"
    args = {k: v for k, v in task.args.items() if k not in ("repo", "installation", "base")}
    return FLOWS[task.name](ctx, **args)


def commented(gh: FakeGitHub, number: int, who: str, text: str) -> dict[str, Any]:
    """``who`` comments ``text`` on issue ``number``; the delivery GitHub sends for it."""
    made = gh.add_comment(REPO, number, login=who, body=text)
    return payload(
        "issue_comment.created",
        issue__number=number,
        comment__id=made["id"],
        comment__body=text,
        comment__user__login=who,
        sender__login=who,
    )
