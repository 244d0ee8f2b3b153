"""Who is who: a person's own token does not make their acts the bot's own, and a command acts
only as its comment reads on GitHub now, once (a replayed delivery does nothing again)."""

from __future__ import annotations

from typing import Any

from app.core import messages
from app.flows.context import Context
from app.github.fake.pulls import merge_pull
from app.github.fake.server import FakeGitHub
from tests.fakes import REPO, pull_of, report_body, submit
from tests.flows.payloads import commented, deliver, payload
from tests.flows.test_rejection import reject


def asking(gh: FakeGitHub, number: int, who: str, text: str = "/paperbot retry") -> dict[str, Any]:
    return commented(gh, number, who, text)


def test_with_a_persons_token_their_own_acts_count_and_only_the_bots_writes_are_dropped(
    gh: FakeGitHub, ctx: Context
) -> None:
    gh.token_user = "maintainer"  # the bot runs on the maintainer's own token
    number = submit(gh, ctx)
    assert ctx.port.known_login() == "maintainer"
    own = gh.create_issue(REPO, title="x", body=report_body(name="维护者"), login="maintainer")
    opened = payload(
        "issues.opened",
        issue__number=own["number"],
        issue__body=own["body"],
        issue__user__login="maintainer",
        sender__login="maintainer",
    )
    assert deliver(ctx, "issues", opened) == "submitted"  # their submission
    reject(gh, ctx, number)
    assert deliver(ctx, "issue_comment", asking(gh, number, "maintainer")) == "submitted"
    pull = pull_of(gh, number)
    merge_pull(gh, REPO, number=int(pull["number"]))  # type: ignore[call-overload]
    merged = payload(
        "pull_request.closed",
        number=pull["number"],
        pull_request__number=pull["number"],
        pull_request__merged=True,
        pull_request__head__ref=f"paperbot/issue-{number}",
        sender__login="maintainer",
    )
    assert deliver(ctx, "pull_request", merged) == "merged"  # their merge
    status = payload(
        "issue_comment.created",
        issue__number=number,
        comment__body=f"{messages.STATUS_MARK}\n已合并",
        comment__user__login="maintainer",
        sender__login="maintainer",
    )
    assert deliver(ctx, "issue_comment", status) == "own event"  # the bot's own comment


def test_a_retry_acts_once_and_only_while_its_comment_stands(gh: FakeGitHub, ctx: Context) -> None:
    number = submit(gh, ctx)
    reject(gh, ctx, number)
    asked = asking(gh, number, "maintainer")
    assert deliver(ctx, "issue_comment", asked) == "submitted"
    reject(gh, ctx, number)
    assert deliver(ctx, "issue_comment", asked) == "rejected"  # replayed: done already
    again = asking(gh, number, "maintainer")
    gh.repos[REPO].comments[again["comment"]["id"]]["body"] = "never mind"  # edited since
    assert deliver(ctx, "issue_comment", again) == "rejected"
    deleted = asking(gh, number, "maintainer")
    del gh.repos[REPO].comments[deleted["comment"]["id"]]
    assert deliver(ctx, "issue_comment", deleted) == "rejected"
    forged = asking(gh, number, "reader")  # the comment's author is not who the payload says
    forged["comment"]["user"]["login"] = forged["sender"]["login"] = "maintainer"
    assert deliver(ctx, "issue_comment", forged) == "rejected"
    assert sum(p["head"] == f"paperbot/issue-{number}" for p in gh.repos[REPO].pulls.values()) == 2


def test_a_normalize_command_replayed_does_nothing_again(gh: FakeGitHub, ctx: Context) -> None:
    issue = gh.create_issue(REPO, title="格式", body="请统一格式", login="maintainer")
    asked = asking(gh, issue["number"], "maintainer", "/paperbot normalize")
    assert not deliver(ctx, "issue_comment", asked).startswith(("done before", "not asked"))
    replies = len(gh.repos[REPO].comments)
    assert deliver(ctx, "issue_comment", asked).startswith("done before")
    assert len(gh.repos[REPO].comments) == replies
