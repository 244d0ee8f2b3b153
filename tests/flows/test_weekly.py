"""The dashboard issue and the reminder against the fake GitHub, with an injected clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from app.core.dashboard import MARK
from app.flows.context import Context, Ledger, MemoryLedger
from app.flows.lifecycle import pull_closed, regenerate
from app.flows.submission import process_issue
from app.flows.weekly import find_dashboard, refresh, tick
from app.github.fake.pulls import merge_pull, push_file
from app.github.fake.server import FakeGitHub
from app.github.pygithub import Clients
from tests.fakes import MEMBER, REPO, report_body, settings_for

CONFIG = """\
dashboard: true
reminders: {weekday: sunday, time: "20:00"}
members:
  zhangyu: 张宇
  newbie: 新人
  lin: 林
  quiet: {name: 安静, remind: false}
"""
# Sunday 2025-07-06 20:00 in Shanghai
DUE = dt.datetime(2025, 7, 6, 12, 0, tzinfo=dt.UTC)


class Clock:
    """A settable 'now' for the flows."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def clients(gh: FakeGitHub) -> Iterator[Clients]:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text=CONFIG)
    got = Clients(settings_for(gh))
    yield got
    got.close()


def context(clients: Clients, clock: Clock, ledger: Ledger | None = None) -> Context:
    return Context(
        port=clients.repo(REPO, None),
        base="main",
        clock=lambda zone: clock().date(),
        now=clock,
        ledger=ledger or MemoryLedger(),
    )


def dashboards(gh: FakeGitHub) -> list[dict[str, object]]:
    return [
        i
        for i in gh.repos[REPO].issues.values()
        if str(i.get("body") or "").startswith(MARK) and i["user"]["login"] == gh.token_user
    ]


def issue_writes(gh: FakeGitHub) -> int:
    return gh.requests["POST issues"] + gh.requests["PATCH issue"]


def reminders(gh: FakeGitHub) -> list[str]:
    return [c["body"] for c in gh.repos[REPO].comments.values() if "paperbot:reminder" in c["body"]]


def test_one_dashboard_written_only_when_its_text_changes(gh: FakeGitHub, clients: Clients) -> None:
    clock = Clock(DUE - dt.timedelta(days=2))
    ctx = context(clients, clock)
    assert refresh(ctx) == "dashboard created"
    (board,) = dashboards(gh)
    assert board["title"] == "📚 精读看板" and "- ❌ **新人** 尚无记录" in str(board["body"])
    assert refresh(ctx) == "dashboard unchanged" and issue_writes(gh) == 1
    clock.at += dt.timedelta(days=7)  # a new week: the text changes
    assert refresh(ctx) == "dashboard updated"
    assert len(dashboards(gh)) == 1 and issue_writes(gh) == 2


def test_a_copied_marker_or_title_in_someone_elses_issue_is_not_the_dashboard(
    gh: FakeGitHub, clients: Clients
) -> None:
    fake = gh.create_issue(REPO, title="📚 精读看板", body=MARK + "\nmine", login=MEMBER)
    ctx = context(clients, Clock(DUE))
    assert refresh(ctx) == "dashboard created"
    found = find_dashboard(ctx.port, ctx.ledger)
    assert found is not None and found.number != fake["number"]
    assert gh.repos[REPO].issues[fake["number"]]["body"] == MARK + "\nmine"  # untouched


def test_at_most_one_write_per_ten_minutes_then_the_tick_catches_up(
    gh: FakeGitHub, clients: Clients
) -> None:
    clock = Clock(DUE - dt.timedelta(days=3))
    ledger = MemoryLedger()
    ctx = context(clients, clock, ledger)
    refresh(ctx)
    gh.create_issue(REPO, title="x", body=report_body(date="2025-07-03"), login=MEMBER)
    process_issue(ctx, 2)  # a new submission: no dashboard write
    assert issue_writes(gh) == 1
    merge_pull(gh, REPO, number=3)
    clock.at += dt.timedelta(minutes=4)
    assert regenerate(ctx).endswith("dashboard throttled") and issue_writes(gh) == 1
    clock.at += dt.timedelta(minutes=4)
    assert tick(ctx) == "dashboard throttled"  # still inside the window: stays dirty
    clock.at += dt.timedelta(minutes=3)
    assert tick(ctx) == "dashboard updated" and issue_writes(gh) == 2
    assert "- ✅ **新人** [A Paper]" in str(dashboards(gh)[0]["body"])
    assert tick(ctx) == "nothing due"


def test_a_merge_updates_the_dashboard_in_place(gh: FakeGitHub, clients: Clients) -> None:
    ctx = context(clients, Clock(DUE - dt.timedelta(hours=1)))
    refresh(ctx)
    gh.create_issue(REPO, title="x", body=report_body(date="2025-07-05"), login="newbie")
    gh.repos[REPO].permissions["newbie"] = "triage"
    assert process_issue(ctx, 2) == "submitted"
    ctx.now.at += dt.timedelta(minutes=11)  # type: ignore[attr-defined]
    assert refresh(ctx) == "dashboard updated"  # the ⏳ of the open submission
    assert "- ⏳ **新人** 已提交，待合并：[PR 3]" in str(dashboards(gh)[0]["body"])
    merge_pull(gh, REPO, number=3)
    pull_closed(ctx, branch="paperbot/issue-2", merged=True)
    ctx.now.at += dt.timedelta(minutes=11)  # type: ignore[attr-defined]
    assert regenerate(ctx) == "no open paperbot PRs; dashboard updated"
    (board,) = dashboards(gh)
    assert "- ✅ **新人** [A Paper](https://arxiv.org/abs/2401.00001)" in str(board["body"])


def test_the_reminder_mentions_each_member_once_a_week(gh: FakeGitHub, clients: Clients) -> None:
    clock = Clock(DUE - dt.timedelta(minutes=1))
    ctx = context(clients, clock)
    assert tick(ctx) == "dashboard created"  # the daily refresh; not due yet
    clock.at = DUE + dt.timedelta(hours=3)  # the cron ran late: it catches up
    assert tick(ctx).endswith("reminded 2")
    (text,) = reminders(gh)
    assert "@newbie" in text and "@lin" in text  # neither has an entry for 06-30 … 07-06
    assert "@zhangyu" not in text  # read on 07-06
    assert "@quiet" not in text and "安静" not in text  # remind: false
    assert "贾朋" not in text  # read this week
    assert "何艺超" in text and "@何艺超" not in text  # no login: named, never mentioned
    clock.at += dt.timedelta(hours=2)
    # Monday 01:00 there: a new week on the dashboard; a fresh process finds the comment
    assert tick(context(clients, clock)) == "dashboard updated; nobody to remind"
    assert tick(ctx) == "dashboard unchanged" and len(reminders(gh)) == 1  # a new day
    clock.at = DUE + dt.timedelta(days=1, minutes=1)  # past the catch-up window
    assert tick(context(clients, clock)) == "dashboard unchanged" and len(reminders(gh)) == 1


def test_a_pending_submission_spares_the_reminder(gh: FakeGitHub, clients: Clients) -> None:
    ctx = context(clients, Clock(DUE))
    gh.create_issue(REPO, title="x", body=report_body(date="2025-07-05", name=""), login="newbie")
    assert process_issue(ctx, 1) == "submitted"
    assert tick(ctx).endswith("reminded 1")
    (text,) = reminders(gh)
    assert "@lin" in text and "@newbie" not in text


def test_nothing_when_the_loop_is_off(gh: FakeGitHub, clients: Clients) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text="language: zh\n")
    ctx = context(clients, Clock(DUE))
    assert (refresh(ctx), tick(ctx)) == ("dashboard off", "weekly off")
    assert issue_writes(gh) == 0
