"""One bad item never stops a sweep (reconcile, regenerate on a push, a merged rolling PR's
issues); reconcile covers the rolling PR and reads each open issue once."""

from __future__ import annotations

import dataclasses
from typing import Any

from app.core.batch import BRANCH
from app.flows.context import Context
from app.flows.lifecycle import pull_closed, regenerate
from app.flows.reconcile import reconcile
from app.flows.submission import process_issue
from app.github.fake.pulls import merge_pull, push_file
from app.github.fake.server import FakeGitHub
from app.github.port import RepoPort
from tests.fakes import MEMBER, REPO, report_body, submit


class Broken:
    """The real port, except that every call about issue 1 raises (a bug, say)."""

    def __init__(self, port: RepoPort) -> None:
        self.port = port

    def __getattr__(self, name: str) -> Any:
        real = getattr(self.port, name)
        if not callable(real):
            return real

        def call(*args: Any, **kwargs: Any) -> Any:
            if (
                1 in args
                or "paperbot/issue-1" in args
                or kwargs.get("branch") == "paperbot/issue-1"
            ):
                raise RuntimeError("boom")
            return real(*args, **kwargs)

        return call


def broken(ctx: Context) -> Context:
    return dataclasses.replace(ctx, port=Broken(ctx.port))  # type: ignore[arg-type]


def file(gh: FakeGitHub, title: str) -> int:
    return int(
        gh.create_issue(REPO, title="x", body=report_body(title=title), login=MEMBER)["number"]
    )


def labels(gh: FakeGitHub, number: int) -> list[str]:
    return [str(label) for label in gh.repos[REPO].issues[number]["labels"]]


def weekly(gh: FakeGitHub) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text="pull_requests: weekly\n")


def test_reconcile_goes_past_an_issue_that_raises(gh: FakeGitHub, ctx: Context) -> None:
    first, second = file(gh, "A"), file(gh, "B")  # both webhooks were lost
    assert (first, second) == (1, 2)
    assert reconcile(broken(ctx)) == "checked 2 issue(s), 1 submitted"
    assert [p["head"] for p in gh.repos[REPO].pulls.values()] == ["paperbot/issue-2"]


def test_reconcile_reads_each_open_issue_once(gh: FakeGitHub, ctx: Context) -> None:
    for title in ("A", "B", "C"):
        submit(gh, ctx, title=title)
    gh.requests.clear()
    assert reconcile(ctx) == "checked 3 issue(s), 3 submitted"
    assert gh.requests["GET issues"] == 1 and gh.requests["GET issue"] == 0


def test_a_push_regenerates_past_a_pr_that_raises(gh: FakeGitHub, ctx: Context) -> None:
    first, second = submit(gh, ctx, title="A"), submit(gh, ctx, title="B")
    assert first == 1
    push_file(gh, REPO, branch="main", path="NEWS.md", text="news\n")
    got = regenerate(broken(ctx))
    assert "#1: failed: RuntimeError" in got and f"#{second}: submitted" in got


def test_a_deleted_issue_in_a_merged_rolling_pr_leaves_no_other_unlabelled(
    gh: FakeGitHub, ctx: Context
) -> None:
    weekly(gh)
    first, second = submit(gh, ctx, title="A"), submit(gh, ctx, title="B")
    (pull,) = gh.repos[REPO].pulls
    gh.delete_issue(REPO, first)
    merge_pull(gh, REPO, number=pull)
    assert pull_closed(ctx, branch=BRANCH, merged=True, pull=pull) == "merged"
    assert "merged" in labels(gh, second)


def test_reconcile_records_a_merged_rolling_pr_whose_webhook_was_lost(
    gh: FakeGitHub, ctx: Context
) -> None:
    weekly(gh)
    numbers = [submit(gh, ctx, title="A"), submit(gh, ctx, title="B")]
    (pull,) = gh.repos[REPO].pulls
    merge_pull(gh, REPO, number=pull)  # the pull_request.closed delivery never came
    assert reconcile(ctx).endswith("1 closed PR(s) recorded")
    assert all("merged" in labels(gh, n) for n in numbers)


def test_reconcile_unbatches_a_rolling_pr_left_from_weekly_mode(
    gh: FakeGitHub, ctx: Context
) -> None:
    weekly(gh)
    number = submit(gh, ctx, title="A")
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text="labels: {}\n")
    assert process_issue(ctx, number) == "submitted"  # back in per-submission mode
    reconcile(ctx)  # the push that would close the rolling PR was lost
    states = {p["head"]: p["state"] for p in gh.repos[REPO].pulls.values()}
    assert states == {BRANCH: "closed", f"paperbot/issue-{number}": "open"}
