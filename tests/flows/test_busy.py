"""Busy issues: every list is read to its end, and a normal job lists nothing: the status
comment is found again by its remembered id."""

from __future__ import annotations

from app.flows.context import Context, clear_caches
from app.flows.reconcile import reconcile
from app.flows.submission import process_issue
from app.github.fake.server import FakeGitHub
from tests.fakes import MEMBER, REPO, comments_on, pull_of, report_body, submit


def chatter(gh: FakeGitHub, number: int, count: int) -> None:
    for i in range(count):
        gh.add_comment(REPO, number, login=MEMBER, body=f"第 {i} 条讨论")


def test_the_status_comment_is_found_among_250_comments(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(date="next week"), login=MEMBER)
    chatter(gh, 1, 150)
    assert process_issue(ctx, 1) == "invalid"
    chatter(gh, 1, 99)
    clear_caches()  # a new process: nothing remembered
    gh.requests.clear()
    gh.repos[REPO].issues[1]["body"] = report_body()
    assert process_issue(ctx, 1) == "submitted"
    ours = [c for c in comments_on(gh, 1) if c["user"]["login"] == "group-bot"]  # type: ignore[index]
    assert len(comments_on(gh, 1)) == 250 and len(ours) == 1
    assert "已通过检查" in str(ours[0]["body"])
    assert gh.requests["GET comments"] == 3  # pages of 100


def test_a_normal_job_reads_its_status_comment_by_id(gh: FakeGitHub, ctx: Context) -> None:
    number = submit(gh, ctx)
    chatter(gh, number, 120)
    gh.requests.clear()
    assert process_issue(ctx, number) == "submitted"  # same process: remembered
    assert gh.requests["GET comments"] == 0 and gh.requests["GET comment"] == 1
    clear_caches()  # a new process lists once, and records the id in the PR
    gh.repos[REPO].issues[number]["body"] = report_body(title="Edited")
    assert process_issue(ctx, number) == "submitted"
    assert '"status": ' in str(pull_of(gh, number)["body"])
    clear_caches()
    gh.requests.clear()
    gh.repos[REPO].issues[number]["body"] = report_body(title="Edited Again")
    assert process_issue(ctx, number) == "submitted"
    assert gh.requests["GET comments"] == 0 and len(comments_on(gh, number)) == 121


def test_reconcile_reads_every_page_of_open_issues(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)  # the oldest: page 2
    for i in range(120):
        gh.create_issue(REPO, title=f"q{i}", body="会议室在哪？", login=MEMBER)
    assert reconcile(ctx) == "checked 121 issue(s), 1 submitted"
    assert pull_of(gh, 1)["state"] == "open" and gh.requests["GET issues"] == 2
