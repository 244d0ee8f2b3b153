"""The dashboard of the real README at a fixed date, open submissions, limits and inert text."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.core.board import Pending, board, to_remind
from app.core.config import DEFAULT_MARKER, Template, load_config
from app.core.dashboard import LIMIT, MARK, dashboard, reminder, title
from app.core.entry import Report
from app.core.render import render
from tests.core.markdown import Links, html

SUNDAY = dt.date(2025, 7, 6)
MEMBERS = load_config(
    "members:\n  zhangyu: 张宇\n  chenyin: {name: 陈银, remind: false}\n  newbie: 新人\n"
)


def row(text: str, name: str) -> list[str]:
    line = next(x for x in text.splitlines() if x.startswith(f"| {name} |"))
    return [c.strip() for c in line.strip("|").split("|")]


def test_the_real_readme_at_a_fixed_date(seed: str) -> None:
    text = dashboard(seed, config=MEMBERS, today=SUNDAY)
    assert text.startswith(MARK + "\n## 本周 · 2025-06-30 至 2025-07-06\n")
    assert "- ✅ **张宇** [Understanding and Mitigating Annotation Bias in Facial" in text
    assert "- ✅ **徐赟博** VLN-R1: Vision-Language Navigation" in text  # no link in the README
    assert "- ❌ **陈银** 尚无记录" in text and "- ❌ **新人** 尚无记录" in text
    # 12 weeks oldest first: 04-14 … 06-30; 张宇 skipped 05-05 and 06-09; nothing 04-28, 05-26
    assert row(text, "张宇") == ["张宇", "✅✅❌💤✅✅❌✅💤✅✅✅", "8", "13", "3"]
    assert row(text, "何艺超") == ["何艺超", "✅✅❌💤✅💤❌💤💤💤💤❌", "3", "8", "0"]
    assert row(text, "新人") == ["新人", "❌" * 12, "0", "0", "0"]
    assert 'x-axis ["04-14", "04-21",' in text
    assert "bar [10, 7, 0, 7, 4, 5, 0, 4, 3, 3, 5, 3]" in text
    assert len(text) < LIMIT


def test_members_come_first_then_every_name_of_the_twelve_weeks(seed: str) -> None:
    facts = board(seed, config=MEMBERS, today=SUNDAY)
    names = [p.name for p in facts.people]
    assert names[:3] == ["张宇", "陈银", "新人"]
    assert sorted(names[3:]) == sorted(
        ["贾朋", "徐赟博", "何艺超", "戴逦", "于洋晨", "张雪松", "程浩", "聂建涛"]
    )
    late = board(seed, config=MEMBERS, today=dt.date(2026, 1, 4))
    assert [p.name for p in late.people] == ["张宇", "陈银", "新人"]  # nobody wrote since


def test_this_week_shows_a_pending_submission_and_a_skip_reason(seed: str) -> None:
    pr = Pending("chenyin", "陈银", dt.date(2025, 7, 5), "https://github.com/g/r/pull/41", 40)
    text = dashboard(seed, config=MEMBERS, today=SUNDAY, pending=[pr])
    assert "- ⏳ **陈银** 已提交，待合并：[PR 41](https://github.com/g/r/pull/41)" in text
    assert row(text, "陈银")[1].endswith("⏳")
    earlier = dashboard(seed, config=MEMBERS, today=dt.date(2025, 6, 22))
    assert "- 💤 **张雪松** 调试SPOC代码，略读相关文章" in earlier
    assert "- 💤 **戴逦** 本周未精读" in earlier


@pytest.mark.parametrize(
    ("today", "streak"),
    [
        (dt.date(2025, 7, 6), "3"),  # this week read: 06-16, 06-23, 06-30
        (dt.date(2025, 7, 8), "3"),  # a new week with nothing yet keeps last week's streak
        (dt.date(2025, 7, 15), "0"),  # a whole week missed ends it
    ],
)
def test_the_streak_waits_for_the_week_to_end(seed: str, today: dt.date, streak: str) -> None:
    assert row(dashboard(seed, config=MEMBERS, today=today), "张宇")[4] == streak


def test_it_renders_as_a_table_and_a_mermaid_chart_on_github(seed: str) -> None:
    page = html(dashboard(seed, config=MEMBERS, today=SUNDAY))
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    assert len(rows) == 1 + 11
    assert all(r.count("<td") == 5 or r.count("<th") == 5 for r in rows)
    assert '<pre lang="mermaid"><code>xychart-beta' in page


def test_english() -> None:
    config = load_config("language: en\nmembers: {ann: Ann}\n")
    text = dashboard(f"> {DEFAULT_MARKER}\n", config=config, today=SUNDAY)
    assert "## This week · 2025-06-30 to 2025-07-06" in text and "- ❌ **Ann** nothing yet" in text
    assert title(config) == "📚 Reading dashboard" and title(MEMBERS) == "📚 精读看板"
    assert title(load_config("dashboard_title: 组会\n")) == "组会"


def entry(day: str, name: str, paper: str) -> str:
    return f"> > [{day}]-[{name}]-[{paper}](https://arxiv.org/abs/2401.00001)\n>\n"


def test_readme_text_mentions_nobody_and_cannot_break_the_table() -> None:
    readme = f"> {DEFAULT_MARKER}\n" + entry("2025-07-05", "@octocat|x", "Fix #12 | by @bob")
    page = html(dashboard(readme, config=MEMBERS, today=SUNDAY))
    assert "@octocat" not in page and "@bob" not in page and "#12" not in page
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    assert all(r.count("<td") == 5 or r.count("<th") == 5 for r in rows)


def test_a_huge_group_is_cut_to_the_limit_and_says_so() -> None:
    readme = f"> {DEFAULT_MARKER}\n" + "".join(
        entry("2025-07-05", f"成员{i}", "A Rather Long Paper Title " * 6) for i in range(2000)
    )
    text = dashboard(readme, config=MEMBERS, today=SUNDAY)
    assert len(text) < LIMIT
    assert re.search(r"另有 \d+ 位成员未列出", text) and text.rstrip().endswith("</sub>")


def test_reminder_mentions_logins_and_only_names_the_rest(seed: str) -> None:
    facts = board(seed, config=MEMBERS, today=SUNDAY)
    logins, names = to_remind(facts, facts.weeks[-1])
    assert logins == ["newbie"]  # 张宇 read; 陈银 has remind: false
    assert names[:2] == ["何艺超", "戴逦"] and "贾朋" not in names
    text = reminder(facts.weeks[-1], logins=logins, names=names, lang="zh")
    assert text.startswith("<!-- paperbot:reminder 2025-06-30 newbie -->\n") and "@newbie" in text
    assert "@何艺超" not in text and "何艺超" in text


def test_a_pending_submission_or_a_skip_means_no_reminder(seed: str) -> None:
    pr = Pending("newbie", "新人", dt.date(2025, 7, 4), "https://github.com/g/r/pull/9", 8)
    facts = board(seed, config=MEMBERS, today=SUNDAY, pending=[pr])
    assert to_remind(facts, facts.weeks[-1])[0] == []
    skipped = f"> {DEFAULT_MARKER}\n> > [2025-07-01]-[新人]-本周未精读\n>\n"
    facts = board(skipped, config=MEMBERS, today=SUNDAY)
    assert to_remind(facts, facts.weeks[-1])[0] == ["zhangyu"]


def test_titles_and_names_the_bot_wrote_read_as_in_the_readme() -> None:
    typed = Report(
        date=dt.date(2025, 7, 5),
        name="li_ming|x",
        title="The __init__ `x` [y] a|b <b>",
        link="https://x.org/a",
        summary="S",
    )
    readme = f"> {DEFAULT_MARKER}\n>\n" + render(typed, Template())
    page = html(dashboard(readme, config=MEMBERS, today=SUNDAY))
    assert ("https://x.org/a", typed.title) in Links.of(page).links
    assert "li_ming|x" in Links.of(page).text
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    assert all(r.count("<td") == 5 or r.count("<th") == 5 for r in rows)
