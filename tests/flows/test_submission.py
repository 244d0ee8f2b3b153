"""A submission end to end: the flow, the real PyGithub adapter, the fake GitHub over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.config import Config
from app.core.submission import apply
from app.flows.context import Context
from app.flows.lifecycle import issue_closed, pull_closed, regenerate
from app.flows.submission import process_issue
from app.github.fake.pulls import merge_pull, push_file
from app.github.fake.server import FakeGitHub, Fault
from app.github.pygithub import Clients
from tests.conftest import TODAY
from tests.fakes import MEMBER, REPO, context_for, report_body, settings_for


def writes(gh: FakeGitHub) -> int:
    return sum(n for k, n in gh.requests.items() if not k.startswith("GET"))


def readme_at(gh: FakeGitHub, ref: str) -> str:
    got = gh.repos[REPO].git.read(ref, "README.md")
    assert got is not None
    return got[0].decode()


def comments(gh: FakeGitHub, number: int) -> list[str]:
    return [c["body"] for c in gh.repos[REPO].comments.values() if c["issue"] == number]


def test_new_submission_opens_one_pr(gh: FakeGitHub, ctx: Context) -> None:
    issue = gh.create_issue(REPO, title="[周报] x", body=report_body(), login=MEMBER)
    assert process_issue(ctx, issue["number"]) == "submitted"
    expected = apply(readme_at(gh, "main"), report_body(), config=Config(), today=TODAY).readme
    assert readme_at(gh, "paperbot/issue-1") == expected
    (pull,) = gh.repos[REPO].pulls.values()
    assert pull["title"] == "周报: 2025-07-06 新人 — A Paper" and pull["state"] == "open"
    assert pull["body"].startswith("Closes #1\n\n由 @zhangyu 在 #1 中提交")
    assert gh.repos[REPO].issues[2]["labels"] == []  # no PR label by default
    (status,) = comments(gh, 1)
    assert "已通过检查" in status and f"{gh.base_url}/group/log/pull/2" in status
    message = gh.repos[REPO].git.message(gh.repos[REPO].git.head("paperbot/issue-1") or "")
    assert message and "Co-authored-by: zhangyu <" in message
    assert writes(gh) == 4 and sum(gh.requests.values()) == 10, gh.requests


def test_processing_twice_changes_nothing(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    process_issue(ctx, 1)
    before, head = writes(gh), gh.repos[REPO].git.head("paperbot/issue-1")
    assert process_issue(ctx, 1) == "submitted"
    assert writes(gh) == before and gh.repos[REPO].git.head("paperbot/issue-1") == head
    assert len(gh.repos[REPO].pulls) == 1 and len(comments(gh, 1)) == 1


def test_invalid_then_fixed_uses_one_sticky_comment(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(date="next week"), login=MEMBER)
    assert process_issue(ctx, 1) == "invalid"
    (status,) = comments(gh, 1)
    assert "**日期**" in status and "YYYY-MM-DD" in status
    assert gh.repos[REPO].issues[1]["labels"] == ["needs-fix"] and not gh.repos[REPO].pulls
    gh.repos[REPO].issues[1]["body"] = report_body()
    assert process_issue(ctx, 1) == "submitted"
    (status,) = comments(gh, 1)
    assert "已通过检查" in status and gh.repos[REPO].issues[1]["labels"] == []


def test_edit_regenerates_branch_and_pr_with_at_most_three_writes(
    gh: FakeGitHub, ctx: Context
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    process_issue(ctx, 1)
    before = writes(gh)
    gh.repos[REPO].issues[1]["body"] = report_body(title="A Better Title")
    assert process_issue(ctx, 1) == "submitted"
    branch = readme_at(gh, "paperbot/issue-1")
    assert "[A Better Title]" in branch and "[A Paper]" not in branch
    assert writes(gh) - before == 3  # reset ref, commit, PR title/body
    assert len(gh.repos[REPO].pulls) == 1 and len(comments(gh, 1)) == 1


def test_someone_elses_push_stops_force_updates(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    process_issue(ctx, 1)
    human = push_file(gh, REPO, branch="paperbot/issue-1", path="README.md", text="by hand\n")
    gh.repos[REPO].issues[1]["body"] = report_body(title="Changed")
    assert process_issue(ctx, 1) == "human-touched"
    assert gh.repos[REPO].git.head("paperbot/issue-1") == human
    assert "paperbot/issue-1" in comments(gh, 1)[0]


def test_merge_then_edit_replaces_the_entry_in_place(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    process_issue(ctx, 1)
    merge_pull(gh, REPO, number=2)
    assert pull_closed(ctx, branch="paperbot/issue-1", merged=True) == "merged"
    assert gh.repos[REPO].issues[1]["state"] == "closed"
    assert "merged" in gh.repos[REPO].issues[1]["labels"]
    assert process_issue(ctx, 1) == "present"  # a redelivery after the merge: nothing to do
    gh.repos[REPO].issues[1]["body"] = report_body(title="Renamed Paper")
    assert process_issue(ctx, 1) == "submitted"
    merge_pull(gh, REPO, number=max(gh.repos[REPO].pulls))
    final = readme_at(gh, "main")
    assert "[Renamed Paper]" in final and "[A Paper]" not in final
    assert final.count("[2025-07-06]-[新人]") == 1


def test_concurrent_submissions_all_land_after_regeneration(gh: FakeGitHub, ctx: Context) -> None:
    for i in range(3):
        issue = gh.create_issue(REPO, title="x", body=report_body(name=f"成员{i}"), login=MEMBER)
        assert process_issue(ctx, issue["number"]) == "submitted"
    pulls = sorted(gh.repos[REPO].pulls)
    for number in pulls:
        merge_pull(gh, REPO, number=number)  # raises if the PR conflicts
        regenerate(ctx)
    final = readme_at(gh, "main")
    assert all(final.count(f"[2025-07-06]-[成员{i}]") == 1 for i in range(3))


def test_authors_must_be_allowed(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login="reader")
    assert process_issue(ctx, 1) == (
        "not allowed: reader's permission is read; submitting needs triage or higher"
    )
    assert "协作者" in comments(gh, 1)[0] and not gh.repos[REPO].pulls
    gh.create_issue(REPO, title="y", body=report_body(date="next week"), login="reader")
    assert process_issue(ctx, 2).startswith("not allowed")  # as the README says: fields unread,
    assert gh.repos[REPO].issues[2]["labels"] == [] and "日期" not in comments(gh, 2)[0]  # no label


def test_close_and_reopen_follow_the_issue(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    process_issue(ctx, 1)
    gh.repos[REPO].issues[1]["state"] = "closed"
    assert issue_closed(ctx, 1) == "closed pull"
    assert gh.repos[REPO].pulls[2]["state"] == "closed"
    gh.repos[REPO].issues[1]["state"] = "open"
    assert process_issue(ctx, 1) == "submitted"  # GitHub reopens no force-pushed PR: a new one
    assert [p["state"] for p in gh.repos[REPO].pulls.values()] == ["closed", "open"]


def test_pr_created_despite_a_5xx_is_found_not_duplicated(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("pulls", 502, after_success=True))
    with pytest.raises(Exception, match="502"):
        process_issue(ctx, 1)
    assert process_issue(ctx, 1) == "submitted"
    assert len(gh.repos[REPO].pulls) == 1 and len(comments(gh, 1)) == 1


def test_unrelated_issues_are_ignored(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="question", body="How do I submit?", login=MEMBER)
    assert process_issue(ctx, 1) == "ignored: not a submission: no form headings and no entry line"
    assert comments(gh, 1) == [] and writes(gh) == 0


def test_future_date_is_judged_in_the_repo_time_zone(gh: FakeGitHub) -> None:
    clients = Clients(settings_for(gh))
    ctx = context_for(clients, today=dt.date(2025, 6, 1))
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert process_issue(ctx, 1) == "invalid"
    clients.close()


def test_reconcile_picks_up_a_submission_whose_webhook_was_lost(
    gh: FakeGitHub, ctx: Context
) -> None:
    from app.flows.reconcile import reconcile

    gh.create_issue(REPO, title="x", body=report_body(name="甲"), login=MEMBER)
    gh.create_issue(REPO, title="q", body="just a question", login=MEMBER)
    assert reconcile(ctx) == "checked 2 issue(s), 1 submitted"
    assert [p["head"] for p in gh.repos[REPO].pulls.values()] == ["paperbot/issue-1"]
    before = writes(gh)
    reconcile(ctx)
    assert writes(gh) == before


BIG = "@octocat #1 " * 5300  # with the form's other fields, an issue body GitHub accepts


@pytest.mark.parametrize(
    "body",
    [
        report_body(date=f"2025-13-45 {BIG}"),  # quoted back in the field's message
        report_body() + "".join(f"\n\n### 备注{i}\n\n@octocat #{i}" for i in range(2000)),
        report_body() + f"\n\n### 备注0 {BIG}\n\n-",
    ],
    ids=["huge-bad-date", "many-unknown-headings", "huge-unknown-heading"],
)
def test_a_huge_issue_still_gets_its_status_comment(
    gh: FakeGitHub, ctx: Context, body: str
) -> None:
    """GitHub refuses a comment over 65,536 characters: what the bot quotes back is cut."""
    assert len(body) < 65536
    issue = gh.create_issue(REPO, title="x", body=body, login=MEMBER)
    process_issue(ctx, issue["number"])
    (said,) = comments(gh, issue["number"])
    assert len(said) < 20_000
    assert "日期" in said.splitlines()[2] or "备注0" in said
