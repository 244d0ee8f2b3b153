"""A PR closed unmerged stays closed: comments, pushes and reconcile never bring it back; an
edit of the issue after the close, or `/paperbot retry` from triage or higher, submits again."""

from __future__ import annotations

import pytest

from app.flows.context import Context
from app.flows.lifecycle import pull_closed, regenerate
from app.flows.reconcile import reconcile
from app.flows.submission import is_retry, process_issue
from app.github.fake.pulls import close_pull, merge_pull, push_file
from app.github.fake.server import FakeGitHub
from tests.fakes import MEMBER, REPO, comments_on, pull_of, report_body, submit, writes
from tests.flows.payloads import commented, deliver, payload


def reject(gh: FakeGitHub, ctx: Context, number: int) -> int:
    """A maintainer closes the issue's PR unmerged; GitHub tells paperbot. The PR's number."""
    pr = int(pull_of(gh, number)["number"])  # type: ignore[call-overload]
    close_pull(gh, REPO, number=pr)
    assert pull_closed(ctx, branch=f"paperbot/issue-{number}", merged=False) == "not merged"
    return pr


def asked_retry(gh: FakeGitHub, number: int, who: str = "maintainer") -> dict[str, object]:
    """A real ``/paperbot retry`` comment on the issue, and its delivery's payload."""
    return commented(gh, number, who, "/paperbot retry\r\n")


def test_closing_unmerged_labels_the_issue_and_says_how_to_resubmit(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = submit(gh, ctx)
    reject(gh, ctx, number)
    assert "not-merged" in gh.repos[REPO].issues[number]["labels"]
    (status,) = comments_on(gh, number)
    assert "未被合并" in str(status["body"]) and "/paperbot retry" in str(status["body"])


def test_comments_pushes_and_reconcile_never_revive_a_rejected_pr(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = submit(gh, ctx)
    pr = reject(gh, ctx, number)
    head, before = gh.repos[REPO].git.head(f"paperbot/issue-{number}"), writes(gh)
    gh.add_comment(REPO, number, login=MEMBER, body="这个为什么关了？")
    assert deliver(ctx, "issue_comment", payload("issue_comment.created", issue__number=number))
    assert process_issue(ctx, number) == "rejected"
    push_file(gh, REPO, branch="main", path="NEWS.md", text="moved on\n")
    assert "#" not in regenerate(ctx)  # no PR of ours is open
    assert reconcile(ctx) == "checked 1 issue(s), 0 submitted"
    assert writes(gh) == before and gh.repos[REPO].pulls[pr]["state"] == "closed"
    assert gh.repos[REPO].git.head(f"paperbot/issue-{number}") == head
    assert len(gh.repos[REPO].pulls) == 1


def test_an_edit_of_the_issue_after_the_close_submits_a_new_pr(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = submit(gh, ctx)
    pr = reject(gh, ctx, number)
    gh.repos[REPO].issues[number]["body"] = report_body(title="A Corrected Title")
    assert process_issue(ctx, number) == "submitted"
    new = pull_of(gh, number)
    assert new["number"] != pr and new["state"] == "open"
    assert (
        "A Corrected Title" in str(new["title"]) and gh.repos[REPO].pulls[pr]["state"] == "closed"
    )
    assert process_issue(ctx, number) == "submitted"  # and it is a normal PR from now on
    assert len(gh.repos[REPO].pulls) == 2


@pytest.mark.parametrize(
    ("who", "outcome"), [("maintainer", "submitted"), (MEMBER, "submitted"), ("reader", "rejected")]
)
def test_paperbot_retry_needs_triage_or_higher(
    gh: FakeGitHub, ctx: Context, who: str, outcome: str
) -> None:
    number = submit(gh, ctx)
    reject(gh, ctx, number)
    assert deliver(ctx, "issue_comment", asked_retry(gh, number, who)) == outcome
    assert pull_of(gh, number)["state"] == ("open" if outcome == "submitted" else "closed")


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/paperbot retry", True),
        ("  /Paperbot   RETRY\r\nplease", True),
        ("/paperbot retry now", False),
        ("please /paperbot retry", False),
        ("> /paperbot retry", False),
        ("/paperbot", False),
    ],
)
def test_the_retry_command_is_the_comments_first_line(text: str, command: bool) -> None:
    assert is_retry(text) is command


@pytest.mark.parametrize("then", ["deleted", "edited", "kept"])
def test_a_replayed_retry_acts_only_while_its_comment_still_asks(
    gh: FakeGitHub, ctx: Context, then: str
) -> None:
    """A captured delivery re-sent under a new delivery id: the retry is not asked again,
    whether the comment is gone, says something else or still stands (a comment acts once;
    the PR rejected meanwhile stays so)."""
    number = submit(gh, ctx)
    reject(gh, ctx, number)
    captured = asked_retry(gh, number)
    assert deliver(ctx, "issue_comment", captured) == "submitted"
    reject(gh, ctx, number)
    comment = gh.repos[REPO].comments[captured["comment"]["id"]]  # type: ignore[index]
    if then == "deleted":
        del gh.repos[REPO].comments[comment["id"]]
    elif then == "edited":
        comment["body"] = "never mind"
    assert deliver(ctx, "issue_comment", captured) == "rejected"
    assert len(gh.repos[REPO].pulls) == 2


def test_a_resubmission_merged_after_a_rejection_is_labelled_merged_only(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = submit(gh, ctx)
    reject(gh, ctx, number)
    gh.repos[REPO].issues[number]["body"] = report_body(title="A Corrected Title")
    assert process_issue(ctx, number) == "submitted"
    merge_pull(gh, REPO, number=int(pull_of(gh, number)["number"]))  # type: ignore[call-overload]
    assert pull_closed(ctx, branch=f"paperbot/issue-{number}", merged=True) == "merged"
    assert gh.repos[REPO].issues[number]["labels"] == ["merged"]
