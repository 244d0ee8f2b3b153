"""Captured deliveries replayed under new delivery ids (anyone who saw one can): the flows act
on what GitHub holds now, never on the replayed payload's word."""

from __future__ import annotations

from app.flows.context import Context
from app.flows.submission import process_issue
from app.github.fake.pulls import close_pull
from app.github.fake.server import FakeGitHub
from tests.fakes import REPO, comments_on, pull_of, submit, writes
from tests.flows.payloads import deliver, payload


def test_a_replayed_close_leaves_the_pr_of_the_reopened_issue(gh: FakeGitHub, ctx: Context) -> None:
    number = submit(gh, ctx)
    gh.repos[REPO].issues[number]["state"] = "closed"
    closed = payload(
        "issues.reopened", action="closed", issue__number=number, issue__state="closed"
    )
    assert deliver(ctx, "issues", closed) == "closed pull"
    gh.repos[REPO].issues[number]["state"] = "open"
    assert process_issue(ctx, number) == "submitted"  # reopened: a new PR
    before = writes(gh)
    deliver(ctx, "issues", closed)
    assert pull_of(gh, number)["state"] == "open" and writes(gh) == before


def test_a_replayed_rejection_says_nothing_of_the_pr_opened_since(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = submit(gh, ctx)
    pr = int(pull_of(gh, number)["number"])  # type: ignore[call-overload]
    close_pull(gh, REPO, number=pr)
    closed = payload(
        "pull_request.closed",
        pull_request__number=pr,
        pull_request__merged=False,
        pull_request__head__ref=f"paperbot/issue-{number}",
    )
    assert deliver(ctx, "pull_request", closed) == "not merged"
    retry = gh.add_comment(REPO, number, login="maintainer", body="/paperbot retry")
    asked = payload(
        "issue_comment.created",
        issue__number=number,
        comment__id=retry["id"],
        comment__body=retry["body"],
        comment__user__login="maintainer",
        sender__login="maintainer",
    )
    assert deliver(ctx, "issue_comment", asked) == "submitted"
    status, before = comments_on(gh, number)[0]["body"], writes(gh)
    deliver(ctx, "pull_request", closed)
    assert pull_of(gh, number)["state"] == "open" and writes(gh) == before
    assert comments_on(gh, number)[0]["body"] == status
