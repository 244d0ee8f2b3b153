"""What a job costs on GitHub, counted by the fake: the budgets of issue #9 (bench.api_cost
prints the figures)."""

from __future__ import annotations

from app.core.config import DEFAULT_MARKER
from app.flows.context import Context
from app.flows.lifecycle import regenerate
from app.flows.submission import process_issue
from app.github.fake.pulls import merge_pull, push_file
from app.github.fake.server import FakeGitHub
from tests.fakes import MEMBER, REPO, pull_of, report_body, submit, writes


def requests(gh: FakeGitHub) -> int:
    return sum(gh.requests.values())


def test_a_first_submission_takes_four_writes_and_ten_requests(
    gh: FakeGitHub, ctx: Context
) -> None:
    first = submit(gh, ctx, name="甲")  # a new process: no login, role or config known yet
    assert (writes(gh), requests(gh)) == (4, 10)
    gh.requests.clear()
    submit(gh, ctx, name="乙")  # main has not moved: config and README are not read again
    assert (writes(gh), requests(gh)) == (4, 6)
    gh.requests.clear()
    assert process_issue(ctx, first) == "submitted"  # a redelivery
    assert (writes(gh), requests(gh)) == (0, 4)


def test_an_edit_and_a_regeneration_take_at_most_three_writes(gh: FakeGitHub, ctx: Context) -> None:
    first, second = (
        submit(gh, ctx, name="甲"),
        submit(gh, ctx, name="乙", title="B Paper", link="https://arxiv.org/abs/2402.00002"),
    )
    gh.requests.clear()
    gh.repos[REPO].issues[first]["body"] = report_body(name="甲", title="Edited")
    assert process_issue(ctx, first) == "submitted"
    assert writes(gh) == 3  # branch reset, commit, PR title and body
    merge_pull(gh, REPO, number=int(pull_of(gh, first)["number"]))  # type: ignore[call-overload]
    gh.requests.clear()
    assert f"#{second}: submitted" in regenerate(ctx)
    assert writes(gh) == 3 and pull_of(gh, second)["state"] == "open"


def test_a_readme_over_1_mb_is_read_once_per_job(gh: FakeGitHub, ctx: Context) -> None:
    filler = "".join(f"> > [2024-01-{i % 28 + 1:02d}]-[旧]-本周未精读\n>\n" for i in range(40_000))
    text = f"# Log\n\n> {DEFAULT_MARKER}\n> \n{filler}"
    push_file(gh, REPO, branch="main", path="README.md", text=text)
    assert len(text.encode()) > 1024 * 1024
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.requests.clear()
    assert process_issue(ctx, 1) == "submitted"
    assert gh.requests["GET blob"] == 1
    push_file(gh, REPO, branch="main", path="NEWS.md", text="main moved\n")
    gh.repos[REPO].issues[1]["body"] = report_body(title="Edited")
    gh.requests.clear()
    assert process_issue(ctx, 1) == "submitted"  # an edit on a new head: read once again
    assert gh.requests["GET blob"] == 1 and gh.requests["GET contents"] == 2
