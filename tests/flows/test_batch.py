"""Weekly mode end to end: one rolling PR for every pending submission, on the fake GitHub."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest

from app.core.batch import BRANCH
from app.core.dashboard import MARK
from app.core.paper import Found
from app.flows.context import Context, MemoryLedger
from app.flows.lifecycle import issue_closed, pull_closed, regenerate
from app.flows.reconcile import reconcile
from app.flows.submission import process_issue
from app.flows.weekly import refresh
from app.github.fake.pulls import merge_pull, push_file
from app.github.fake.server import FakeGitHub
from app.github.pygithub import Clients
from app.lookup.port import Disabled
from tests.fakes import MEMBER, REPO, report_body, settings_for
from tests.flows.test_weekly import Clock

WEEKLY = "pull_requests: weekly\ndashboard: true\nmembers: {zhangyu: 张宇, chenyin: 陈银}\n"
NOW = dt.datetime(2025, 7, 9, 4, 0, tzinfo=dt.UTC)  # Wednesday noon in Shanghai


@pytest.fixture
def ctx(gh: FakeGitHub) -> Iterator[Context]:
    config(gh, WEEKLY)
    gh.repos[REPO].permissions["chenyin"] = "triage"
    clients = Clients(settings_for(gh))
    yield Context(
        port=clients.repo(REPO, None),
        base="main",
        clock=lambda zone: dt.date(2025, 7, 9),
        now=Clock(NOW),
        ledger=MemoryLedger(),
    )
    clients.close()


def config(gh: FakeGitHub, text: str) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text=text)


def submit(gh: FakeGitHub, ctx: Context, *, login: str = MEMBER, **fields: str) -> int:
    number = int(
        gh.create_issue(REPO, title="x", body=report_body(**fields), login=login)["number"]
    )
    process_issue(ctx, number)
    return number


def pulls(gh: FakeGitHub, state: str = "open") -> list[dict[str, object]]:
    return [p for p in gh.repos[REPO].pulls.values() if p["state"] == state]


def readme(gh: FakeGitHub, ref: str) -> str:
    got = gh.repos[REPO].git.read(ref, "README.md")
    assert got is not None
    return got[0].decode()


def status(gh: FakeGitHub, number: int) -> str:
    found = [c["body"] for c in gh.repos[REPO].comments.values() if c["issue"] == number]
    return found[-1] if found else ""


def three(gh: FakeGitHub, ctx: Context) -> list[int]:
    return [
        submit(gh, ctx, date="2025-07-06", name="", title="Paper A"),
        submit(gh, ctx, login="chenyin", date="2025-07-08", name="", title="Paper B"),
        submit(gh, ctx, date="2025-07-07", name="新人", title="Paper C"),
    ]


def test_three_submissions_make_one_pr_with_three_blocks_in_date_order(
    gh: FakeGitHub, ctx: Context
) -> None:
    numbers = three(gh, ctx)
    (pull,) = pulls(gh)
    assert pull["head"] == BRANCH and pull["title"] == "周报：2025-07-07 周（3 篇）"
    in_date_order = [numbers[0], numbers[2], numbers[1]]  # 07-06, 07-07, 07-08
    assert [x for x in str(pull["body"]).splitlines() if x.startswith("Closes")] == [
        f"Closes #{n}" for n in in_date_order
    ]
    text = readme(gh, BRANCH)
    at = [text.index(f"[Paper {x}]") for x in "BCA"]  # 07-08, 07-07, 07-06: newest first
    assert at == sorted(at) and text.index("==> 时间倒序") < at[0]
    assert text.replace("\n", "").count("https://arxiv.org/abs/2401.00001") >= 3
    assert all(
        f"/pull/{pull['number']}" in status(gh, n) and "已加入本周的合并 PR" in status(gh, n)
        for n in numbers
    )
    commits = gh.repos[REPO].git.message(gh.repos[REPO].git.head(BRANCH) or "") or ""
    assert "Paperbot-Issue: " + ", ".join(f"#{n}" for n in in_date_order) in commits


def test_an_edit_updates_the_same_pr(gh: FakeGitHub, ctx: Context) -> None:
    numbers = three(gh, ctx)
    (before,) = pulls(gh)
    gh.repos[REPO].issues[numbers[0]]["body"] = report_body(
        date="2025-07-06", name="", title="Paper A2"
    )
    assert process_issue(ctx, numbers[0]) == "submitted"
    (after,) = pulls(gh)
    assert after["number"] == before["number"] and len(gh.repos[REPO].pulls) == 1
    assert "[Paper A2]" in readme(gh, BRANCH) and "[Paper A]" not in readme(gh, BRANCH)
    writes = sum(n for k, n in gh.requests.items() if not k.startswith("GET"))
    assert process_issue(ctx, numbers[0]) == "submitted"  # again: nothing to write
    assert sum(n for k, n in gh.requests.items() if not k.startswith("GET")) == writes


def test_merge_closes_all_and_updates_the_dashboard_in_place(gh: FakeGitHub, ctx: Context) -> None:
    refresh(ctx)
    numbers = three(gh, ctx)
    (pull,) = pulls(gh)
    merge_pull(gh, REPO, number=int(str(pull["number"])))
    assert pull_closed(ctx, branch=BRANCH, merged=True, pull=int(str(pull["number"]))) == "merged"
    for n in numbers:
        issue = gh.repos[REPO].issues[n]
        assert issue["state"] == "closed" and "merged" in issue["labels"]
        assert "已合并" in status(gh, n)
        issue_closed(ctx, n)
    ctx.now.at += dt.timedelta(minutes=11)  # type: ignore[attr-defined]
    assert regenerate(ctx).endswith("dashboard updated")
    boards = [
        i for i in gh.repos[REPO].issues.values() if str(i.get("body") or "").startswith(MARK)
    ]
    assert len(boards) == 1 and "Paper C" in str(boards[0]["body"])
    assert pulls(gh) == []  # nothing pending: no new rolling PR
    later = submit(gh, ctx, date="2025-07-09", name="", title="Paper D")
    (fresh,) = pulls(gh)  # a later submission starts a new rolling PR on the same branch
    assert fresh["number"] != pull["number"] and f"Closes #{later}" in str(fresh["body"])
    assert "Paper A" not in str(fresh["body"])


def test_someone_elses_push_stops_the_bot(gh: FakeGitHub, ctx: Context) -> None:
    first = submit(gh, ctx, date="2025-07-06", name="", title="Paper A")
    push_file(gh, REPO, branch=BRANCH, path="README.md", text=readme(gh, BRANCH) + "\nhand edit\n")
    head = gh.repos[REPO].git.head(BRANCH)
    second = submit(gh, ctx, login="chenyin", date="2025-07-08", name="", title="Paper B")
    assert gh.repos[REPO].git.head(BRANCH) == head
    assert "不再覆盖" in status(gh, second) and "已加入" in status(gh, first)
    assert process_issue(ctx, second) == "human-touched"


def test_a_rejected_rolling_pr_holds_its_issues_until_edited(gh: FakeGitHub, ctx: Context) -> None:
    first = submit(gh, ctx, date="2025-07-06", name="", title="Paper A")
    (pull,) = pulls(gh)
    gh.repos[REPO].pulls[int(str(pull["number"]))]["state"] = "closed"  # a maintainer closes it
    assert (
        pull_closed(ctx, branch=BRANCH, merged=False, pull=int(str(pull["number"]))) == "not merged"
    )
    assert "not-merged" in gh.repos[REPO].issues[first]["labels"] and "未被合并" in status(
        gh, first
    )
    second = submit(gh, ctx, login="chenyin", date="2025-07-08", name="", title="Paper B")
    (fresh,) = pulls(gh)
    assert f"Closes #{second}" in str(fresh["body"]) and f"Closes #{first}" not in str(
        fresh["body"]
    )
    assert process_issue(ctx, first) == "rejected"  # a comment or redelivery: still held
    gh.repos[REPO].issues[first]["body"] = report_body(date="2025-07-06", name="", title="Paper A+")
    assert process_issue(ctx, first) == "submitted"
    (again,) = pulls(gh)
    assert again["number"] == fresh["number"] and f"Closes #{first}" in str(again["body"])


def test_invalid_and_closed_issues_stay_out(gh: FakeGitHub, ctx: Context) -> None:
    good = submit(gh, ctx, date="2025-07-06", name="", title="Paper A")
    bad = submit(gh, ctx, login="chenyin", date="someday", name="", title="Paper B")
    assert "日期" in status(gh, bad) and "needs-fix" in gh.repos[REPO].issues[bad]["labels"]
    other = submit(gh, ctx, date="2025-07-07", name="新人", title="Paper C")
    gh.repos[REPO].issues[other]["state"] = "closed"
    assert issue_closed(ctx, other) == "rolling pull regenerated"
    (pull,) = pulls(gh)
    assert [x for x in str(pull["body"]).splitlines() if x.startswith("Closes")] == [
        f"Closes #{good}"
    ]
    gh.repos[REPO].issues[good]["state"] = "closed"
    issue_closed(ctx, good)
    assert pulls(gh) == [] and "没有待合并" in status(gh, int(str(pull["number"])))


def test_switching_modes_moves_pending_submissions(gh: FakeGitHub, ctx: Context) -> None:
    config(gh, "members: {zhangyu: 张宇, chenyin: 陈银}\n")
    a = submit(gh, ctx, date="2025-07-06", name="", title="Paper A")
    b = submit(gh, ctx, login="chenyin", date="2025-07-08", name="", title="Paper B")
    singles = pulls(gh)
    assert len(singles) == 2
    config(gh, WEEKLY)  # a push to main: regenerate
    regenerate(ctx)
    (rolling,) = pulls(gh)
    assert rolling["head"] == BRANCH and {f"Closes #{a}", f"Closes #{b}"} <= set(
        str(rolling["body"]).splitlines()
    )
    assert all("已移入" in status(gh, int(str(p["number"]))) for p in singles)
    assert "已加入" in status(gh, a) and "已加入" in status(gh, b)
    config(gh, "members: {zhangyu: 张宇, chenyin: 陈银}\n")  # and back
    regenerate(ctx)
    back = pulls(gh)
    assert sorted(str(p["head"]) for p in back) == [f"paperbot/issue-{a}", f"paperbot/issue-{b}"]
    assert "每个提交一个 PR" in status(gh, int(str(rolling["number"])))
    assert "已通过检查，PR" in status(gh, a)


def test_reconcile_rewrites_every_status(gh: FakeGitHub, ctx: Context) -> None:
    numbers = three(gh, ctx)
    for c in list(gh.repos[REPO].comments.values()):
        if c["issue"] == numbers[1]:
            del gh.repos[REPO].comments[c["id"]]
    assert reconcile(ctx).startswith("rolling pull: 3 pending")
    assert "已加入" in status(gh, numbers[1])


def test_the_rolling_prs_close_is_routed_with_its_number() -> None:
    from app.service.routes import router

    payload = {
        "action": "closed",
        "pull_request": {"number": 7, "merged": True, "head": {"ref": BRANCH}},
        "repository": {"full_name": REPO, "default_branch": "main"},
        "sender": {"login": "maintainer", "type": "User"},
    }
    task = router.route("pull_request", payload)
    assert task is not None and task.name == "pull_closed"
    assert (task.args["number"], task.args["branch"], task.args["merged"]) == (7, BRANCH, True)


def test_notes_on_a_valid_entry_are_shown_beside_the_rolling_pr(
    gh: FakeGitHub, ctx: Context
) -> None:
    body = report_body(date="2025-07-06", name="", title="Paper A") + "\n\n### 心得\n\n很好"
    number = int(gh.create_issue(REPO, title="x", body=body, login=MEMBER)["number"])
    assert process_issue(ctx, number) == "submitted"
    text = status(gh, number)
    assert "已加入本周的合并 PR" in text and "请留意以下几点" in text and "心得" in text


class BuggyLookup(Disabled):
    """A lookup with a bug for one paper link (lookups must never raise; this one does)."""

    def lookup(self, link: str) -> Found:
        if link.endswith(BUGGY):
            raise RuntimeError("a bug in a lookup adapter")
        return super().lookup(link)


BUGGY = "2401.99999"


def test_a_bug_on_one_issue_leaves_it_out_and_the_rolling_pr_goes_on(
    gh: FakeGitHub, ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = three(gh, ctx)[:2]
    buggy = replace(ctx, lookup=BuggyLookup())
    link = f"https://arxiv.org/abs/{BUGGY}"
    body = report_body(date="2025-07-08", name="", title="Paper D", link=link)
    bad = int(gh.create_issue(REPO, title="x", body=body, login=MEMBER)["number"])
    with pytest.raises(RuntimeError):  # its own job fails (retries, then a failure note)
        process_issue(buggy, bad)
    issues = gh.repos[REPO].issues
    issues[first]["body"] = report_body(date="2025-07-06", name="", title="Paper A2")
    assert process_issue(buggy, first) == "submitted"  # the others' rebuild goes on
    text = readme(gh, BRANCH)
    assert "[Paper A2]" in text and "[Paper B]" in text and "[Paper D]" not in text
    assert reconcile(buggy).startswith("rolling pull: 3 pending, 1 failed")
    failed = [r for r in caplog.records if r.getMessage() == "sweep item failed"]
    assert failed and all(getattr(r, "item", None) == f"#{bad}" for r in failed)
    assert f"/pull/{pulls(gh)[0]['number']}" in status(gh, second)
