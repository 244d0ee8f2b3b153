"""Batches (regenerate after a push, reconcile) go on past a bad item, and reconcile covers
what lost webhooks leave behind: closed issues with open PRs, closes without a record."""

from __future__ import annotations

from app.flows.context import Context
from app.flows.lifecycle import regenerate
from app.flows.reconcile import reconcile
from app.flows.submission import process_issue
from app.github.fake.pulls import close_pull, merge_pull, push_file
from app.github.fake.server import FakeGitHub
from tests.fakes import MEMBER, REPO, comments_on, pull_of, report_body, submit


def three(gh: FakeGitHub, ctx: Context) -> list[int]:
    return [submit(gh, ctx, name=name) for name in ("甲", "乙", "丙")]


def test_regenerate_closes_the_pr_of_a_deleted_issue_and_goes_on(
    gh: FakeGitHub, ctx: Context
) -> None:
    first, middle, last = three(gh, ctx)
    gh.delete_issue(REPO, middle)
    main = push_file(gh, REPO, branch="main", path="NEWS.md", text="news\n")
    done = regenerate(ctx)
    assert f"#{middle}: closed: issue deleted" in done
    orphan = pull_of(gh, middle)
    assert orphan["state"] == "closed"
    (note,) = comments_on(gh, int(orphan["number"]))  # type: ignore[call-overload]
    assert f"&#35;{middle}" in str(note["body"]) and "已被删除" in str(note["body"])
    for number in (first, last):  # the batch went on: both rebuilt on the new main
        head = gh.repos[REPO].git.head(f"paperbot/issue-{number}")
        assert head and gh.repos[REPO].git.is_ancestor(main, head)


def test_reconcile_goes_on_past_a_deleted_issue(gh: FakeGitHub, ctx: Context) -> None:
    first, middle, last = three(gh, ctx)
    gh.delete_issue(REPO, middle)
    gh.create_issue(REPO, title="x", body=report_body(name="丁"), login=MEMBER)  # webhook lost
    assert reconcile(ctx).startswith("checked 4 issue(s), 3 submitted")
    assert pull_of(gh, middle)["state"] == "closed"
    assert all(pull_of(gh, n)["state"] == "open" for n in (first, last, 7))


def test_reconcile_closes_an_open_pr_whose_issue_was_closed(gh: FakeGitHub, ctx: Context) -> None:
    number = submit(gh, ctx)
    gh.repos[REPO].issues[number]["state"] = "closed"  # the `issues.closed` webhook was lost
    reconcile(ctx)
    assert pull_of(gh, number)["state"] == "closed"
    gh.repos[REPO].issues[number]["state"] = "open"  # reopened: a new PR, not a rejection
    assert reconcile(ctx) == "checked 1 issue(s), 1 submitted"
    assert pull_of(gh, number)["state"] == "open"


def test_reconcile_records_closes_whose_webhook_was_lost(gh: FakeGitHub, ctx: Context) -> None:
    rejected, merged = submit(gh, ctx, name="甲"), submit(gh, ctx, name="乙")
    close_pull(gh, REPO, int(pull_of(gh, rejected)["number"]))  # type: ignore[call-overload]
    merge_pull(gh, REPO, int(pull_of(gh, merged)["number"]))  # type: ignore[call-overload]
    assert reconcile(ctx).endswith("2 closed PR(s) recorded")
    assert "not-merged" in gh.repos[REPO].issues[rejected]["labels"]
    assert "merged" in gh.repos[REPO].issues[merged]["labels"]
    assert "未被合并" in str(comments_on(gh, rejected)[0]["body"])
    assert not reconcile(ctx).endswith("recorded")  # recorded once


def test_reconcile_keeps_the_new_pr_of_an_edited_merged_submission(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = submit(gh, ctx)
    merge_pull(gh, REPO, int(pull_of(gh, number)["number"]))  # type: ignore[call-overload]
    reconcile(ctx)
    gh.repos[REPO].issues[number]["body"] = report_body(title="Renamed")
    assert process_issue(ctx, number) == "submitted"  # a PR replacing the merged entry
    pull = pull_of(gh, number)
    assert pull["state"] == "open" and "Renamed" in str(pull["title"])
    reconcile(ctx)
    assert pull_of(gh, number)["state"] == "open"


def test_batches_leave_prs_someone_else_opened_alone(gh: FakeGitHub, ctx: Context) -> None:
    number = submit(gh, ctx)
    pull_of(gh, number)["user"] = {"login": MEMBER, "type": "User"}
    gh.delete_issue(REPO, number)
    assert "#" not in regenerate(ctx)  # no PR of ours is open
    reconcile(ctx)
    assert pull_of(gh, number)["state"] == "open"
