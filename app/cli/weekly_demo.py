"""``paperbot demo --weekly``: one week of the weekly loop in fast-forward, on this machine.

The GitHub stand-in (real HTTP, real git) holds the seed README and a config turning on the
dashboard, the Sunday reminder and the rolling PR. A clock steps through Monday to Sunday;
at each step the flow that GitHub's webhook or the scheduler would start runs through
paperbot's real GitHub adapter, and what people would see on GitHub is printed.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

from app.cli.demo import REPO, Story, data
from app.core.batch import BRANCH
from app.core.fields import FORMS, Kind
from app.core.forms import render_forms
from app.core.i18n import Lang, pick
from app.flows.context import Context, MemoryLedger
from app.flows.lifecycle import issue_closed, pull_closed, regenerate
from app.flows.submission import process_issue
from app.flows.weekly import find_dashboard, tick
from app.github.fake.pulls import merge_pull
from app.github.fake.server import FakeGitHub
from app.github.fake.start import serve
from app.github.pygithub import Clients
from app.service.settings import Settings

CONFIG = """\
language: {lang}
dashboard: true
reminders: {{weekday: sunday, time: "20:00"}}
pull_requests: weekly
members:
  zhangyu: 张宇
  chenyin: 陈银
  lisi: 李四
  wangwu: 王五
  zhaoliu: {{name: 赵六, remind: false}}
"""
MONDAY = dt.date(2025, 7, 7)
_SAY: dict[str, tuple[str, str]] = {
    "intro": (
        "paperbot 每周循环演示：{repo} 打开了看板、周日 20:00 的提醒和每周一个合并 PR。"
        "时钟从 {monday}（周一）快进到周日。",
        "paperbot weekly-loop demo: {repo} has the dashboard, the Sunday 20:00 reminder and one "
        "weekly pull request turned on. The clock runs from Monday {monday} to Sunday.",
    ),
    "at": ("\n##### 周{day} {when:%m-%d %H:%M}  {what}", "\n##### {when:%a %m-%d %H:%M}  {what}"),
    "dashboard": ("=== 看板 issue #{n}：{title}", "=== dashboard issue #{n}: {title}"),
    "comment": ("=== paperbot 在 #{n} 的评论", "=== paperbot's comment on #{n}"),
    "pull": ("=== 合并 PR #{n}：{title}", "=== weekly pull request #{n}: {title}"),
    "done": (
        "\n一周结束：{subs} 次提交和编辑只用了一个 PR（#{pull}，合并后关闭了 {closed} 个 issue），"
        "看板 issue #{board} 原地更新、从未重复创建；共 {writes} 次 GitHub 写操作。",
        "\nThe week is over: {subs} submissions and edits made one pull request (#{pull}, whose "
        "merge closed {closed} issues); dashboard issue #{board} was edited in place, never "
        "created twice; {writes} GitHub writes in all.",
    ),
}


def say(key: str, lang: Lang, **values: object) -> str:
    return pick(_SAY[key], lang, **values)


def form_body(kind: Kind, lang: Lang, **answers: str) -> str:
    """An issue body as the issue form writes it."""
    form = FORMS[kind]
    return "\n\n".join(
        f"### {f.label(lang)}\n\n{answers.get(f.id) or '_No response_'}" for f in form.fields
    )


class Week:
    """The fake GitHub, the clock and the flows, stepping through one week."""

    def __init__(self, gh: FakeGitHub, clients: Clients, *, lang: Lang) -> None:
        self.gh, self.lang, self.story = gh, lang, Story(gh, lang)
        self.at = dt.datetime(2025, 7, 7, 1, 0, tzinfo=dt.UTC)
        self.ctx = Context(
            port=clients.repo(REPO, None),
            base="main",
            clock=lambda zone: self.local().date(),
            now=lambda: self.at,
            ledger=MemoryLedger(),
        )

    def local(self) -> dt.datetime:
        return self.at.astimezone(dt.timezone(dt.timedelta(hours=8)))

    def step(self, day: int, hour: int, *, what: str, flow: Callable[[], str]) -> str:
        """Move the clock to ``day`` (0 = Monday) at ``hour`` in Shanghai, run ``flow``."""
        local = dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour))
        self.at = local.replace(tzinfo=dt.timezone(dt.timedelta(hours=8))).astimezone(dt.UTC)
        print(say("at", self.lang, when=local, day="一二三四五六日"[day], what=what))
        outcome = flow()
        print(f"(paperbot: {outcome})")
        return outcome

    def file(self, login: str, kind: Kind, **answers: str) -> int:
        title = FORMS[kind].title_prefix + (answers.get("title") or answers.get("reason", ""))
        body = form_body(kind, self.lang, **answers)
        number = int(self.gh.create_issue(REPO, title=title, body=body, login=login)["number"])
        self.gh.repos[REPO].issues[number]["labels"] = [FORMS[kind].label]
        return number

    def show_dashboard(self) -> int:
        found = find_dashboard(self.ctx.port, self.ctx.ledger)
        assert found is not None
        print(say("dashboard", self.lang, n=found.number, title=found.title))
        print(self.story.shown(found.body or ""))
        return found.number

    def show_pull(self) -> int:
        pull = next(p for p in self.gh.repos[REPO].pulls.values() if p["head"] == BRANCH)
        print(say("pull", self.lang, n=pull["number"], title=pull["title"]))
        print(self.story.shown(pull["body"]))
        return int(pull["number"])

    def show_comment(self, number: int) -> None:
        found = [c for c in self.gh.repos[REPO].comments.values() if c["issue"] == number]
        print(say("comment", self.lang, n=number))
        print(self.story.shown(found[-1]["body"]))


_WHAT: dict[str, tuple[str, str]] = {
    "tick": ("定时任务（每日刷新）", "scheduled tick (daily refresh)"),
    "filed": ("@{who} 提交 issue #{n}", "@{who} files issue #{n}"),
    "edited": ("@{who} 编辑 issue #{n}", "@{who} edits issue #{n}"),
    "remind": ("定时任务（提醒时间）", "scheduled tick (reminder time)"),
    "merge": ("维护者合并 PR #{n}（推送到 main）", "a maintainer merges #{n} (a push to main)"),
}


def _what(key: str, lang: Lang, **values: object) -> str:
    return pick(_WHAT[key], lang, **values)


PAPERS = {  # login: date, title, link, venue
    "zhangyu": (
        "2025-07-08",
        "Attention Is All You Need",
        "https://arxiv.org/abs/1706.03762",
        "NeurIPS",
    ),
    "chenyin": (
        "2025-07-09",
        "Deep Residual Learning for Image Recognition",
        "https://arxiv.org/abs/1512.03385",
        "CVPR 2016",
    ),
}


def _report(week: Week, login: str, *, when: tuple[int, int]) -> int:
    """``login`` files the report of ``PAPERS[login]`` on day ``when[0]`` at ``when[1]`` h."""
    day, title, link, venue = PAPERS[login]
    summary = "一句话总结。" if week.lang == "zh" else "One line on what it does."
    n = week.file(login, "report", date=day, title=title, link=link, venue=venue, summary=summary)
    what = _what("filed", week.lang, who=login, n=n)
    week.step(*when, what=what, flow=lambda: process_issue(week.ctx, n))
    return n


def _merge(week: Week, pull: int) -> str:
    """What GitHub and the webhooks do when the rolling PR is merged."""
    merge_pull(week.gh, REPO, number=pull)
    done = [pull_closed(week.ctx, branch=BRANCH, merged=True, pull=pull)]
    issues = week.gh.repos[REPO].issues
    done += [issue_closed(week.ctx, n) for n, i in issues.items() if i["state"] == "closed"]
    return "; ".join([done[0], regenerate(week.ctx)])


def _monday_to_friday(week: Week) -> list[int]:
    lang, ctx = week.lang, week.ctx
    week.step(0, 9, what=_what("tick", lang), flow=lambda: tick(ctx))
    week.show_dashboard()
    a = _report(week, "zhangyu", when=(1, 10))
    week.show_pull()
    week.show_comment(a)
    b = _report(week, "chenyin", when=(2, 21))
    reason = "准备考试" if lang == "zh" else "exam week"
    c = week.file("lisi", "skip", date="2025-07-11", reason=reason)
    week.step(4, 18, what=_what("filed", lang, who="lisi", n=c), flow=lambda: process_issue(ctx, c))
    week.show_pull()
    return [a, b, c]


def _weekend(week: Week, issues: list[int]) -> tuple[int, int]:
    lang, ctx, a = week.lang, week.ctx, issues[0]
    week.gh.repos[REPO].issues[a]["body"] = form_body(
        "report",
        lang,
        date="2025-07-08",
        title="Attention Is All You Need",
        link="https://arxiv.org/abs/1706.03762",
        venue="NeurIPS 2017",
        summary="Transformer：完全基于注意力。" if lang == "zh" else "The Transformer.",
    )
    week.step(
        5, 11, what=_what("edited", lang, who="zhangyu", n=a), flow=lambda: process_issue(ctx, a)
    )
    pull = week.show_pull()
    week.step(6, 20, what=_what("remind", lang), flow=lambda: tick(ctx))
    board = week.show_dashboard()
    week.show_comment(board)
    week.step(6, 21, what=_what("merge", lang, n=pull), flow=lambda: _merge(week, pull))
    week.show_dashboard()
    return pull, board


def run(lang: Lang = "zh") -> int:
    """Run the week; 0 when it went as told."""
    with tempfile.TemporaryDirectory() as tmp:
        gh = FakeGitHub(Path(tmp) / "github", schemas=find_spec("jsonschema") is not None)
        fake = serve(gh)
        files = {
            "README.md": data("seed_README.md"),
            ".github/paperbot.yml": CONFIG.format(lang=lang),
        }
        files.update({f".github/ISSUE_TEMPLATE/{k}": v for k, v in render_forms(lang).items()})
        gh.create_repo(REPO, files).permissions.update(
            dict.fromkeys(["zhangyu", "chenyin", "lisi", "wangwu"], "triage")
        )
        gh.tokens["demo-token"] = float("inf")
        clients = Clients(
            Settings(
                GITHUB_WEBHOOK_SECRET="demo-secret",
                GITHUB_TOKEN="demo-token",
                GITHUB_API_URL=gh.base_url,
                PAPERBOT_WRITE_INTERVAL=0,
            )
        )
        try:
            print(say("intro", lang, repo=REPO, monday=MONDAY))
            week = Week(gh, clients, lang=lang)
            issues = _monday_to_friday(week)
            pull, board = _weekend(week, issues)
            writes = sum(n for k, n in gh.requests.items() if not k.startswith("GET"))
            closed = sum(gh.repos[REPO].issues[n]["state"] == "closed" for n in issues)
            print(say("done", lang, subs=4, pull=pull, closed=closed, board=board, writes=writes))
        finally:
            clients.close()
            fake.shutdown()
            fake.server_close()
    return 0
