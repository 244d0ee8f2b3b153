"""The human-edit guard always runs: a branch whose head is not the bot's commit is never
force-updated, whether or not the issue has comments or a PR."""

from __future__ import annotations

from app.flows.context import Context, clear_caches
from app.flows.submission import process_issue
from app.github.fake.pulls import push_file
from app.github.fake.server import FakeGitHub
from tests.fakes import MEMBER, REPO, report_body, submit

BRANCH = "paperbot/issue-1"


def test_a_human_commit_survives_the_status_comment_being_deleted(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = submit(gh, ctx)
    gh.repos[REPO].comments.clear()  # a maintainer deleted the status comment
    clear_caches()
    human = push_file(gh, REPO, branch=BRANCH, path="README.md", text="by hand\n")
    gh.repos[REPO].issues[number]["body"] = report_body(title="Changed")
    assert process_issue(ctx, number) == "human-touched"
    assert gh.repos[REPO].git.head(BRANCH) == human


def test_a_branch_without_a_pr_holding_a_human_commit_is_left_alone(
    gh: FakeGitHub, ctx: Context
) -> None:
    main = gh.repos[REPO].git.head("main")
    assert main
    gh.repos[REPO].git.set_ref(BRANCH, main)
    human = push_file(gh, REPO, branch=BRANCH, path="NOTES.md", text="草稿\n")
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert process_issue(ctx, 1) == "human-touched"
    assert gh.repos[REPO].git.head(BRANCH) == human and not gh.repos[REPO].pulls


def test_a_branch_left_by_a_crash_is_reused_after_main_moved(gh: FakeGitHub, ctx: Context) -> None:
    old = gh.repos[REPO].git.head("main")
    assert old
    gh.repos[REPO].git.set_ref(BRANCH, old)  # created, then the worker died
    push_file(gh, REPO, branch="main", path="NEWS.md", text="news\n")
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert process_issue(ctx, 1) == "submitted"
    assert len(gh.repos[REPO].pulls) == 1
