"""The setup in words: the onboarding PR's title, body and commit, and ``paperbot init``'s report.

Rule: README text reaches the PR body only quiet (``text.quiet``: it mentions nobody and links
no issue), lint findings inside a code fence longer than any backtick run they hold.
"""

from __future__ import annotations

import re

from app.core.dates import day_name
from app.core.fields import FORMS
from app.core.i18n import Lang, counted, listing, pick
from app.core.messages import form_url
from app.core.onboarding import CONFIG_PATH, FORMS_DIR, ConfigPlan, Found
from app.core.text import quiet

BRANCH = "paperbot/setup"
TRAILER = "Paperbot-Setup"
MARK = "<!-- paperbot:setup -->"
SHOWN_FINDINGS = 5
SHOWN_MEMBERS = 12

_TEXT: dict[str, tuple[str, str]] = {
    "title": (
        "配置 paperbot：精读报告表单与设置",
        "Set up paperbot: the report forms and settings",
    ),
    "read": ("paperbot 读了 `{path}`：", "paperbot read `{path}`:"),
    "entries": (
        "{entries} 条记录（{papers} 篇精读，{skips} 次本周未精读），最近一条 {newest}",
        "{n_entries} ({n_papers}, {n_skips} skipped), the newest {newest}",
    ),
    "none": (
        "标记下还没有 paperbot 能读的记录（`[日期]-[姓名]-[标题]`）",
        "no entries paperbot can read under the marker yet (`[date]-[name]-[title]`)",
    ),
    "members": ("{n} 位成员（记录数）：{names}", "{n_members} (entries each): {names}"),
    "more": ("等 {n} 位", "and {n} more"),
    "language": ("语言：中文（`language: zh`）", "language: English (`language: en`)"),
    "week": (
        "每周从 {start} 开始（记录大多写在 {day}）",
        "weeks start on {start} (most entries are dated {day})",
    ),
    "week_start": ("每周从 {start} 开始", "weeks start on {start}"),
    "clean": ("`paperbot lint` 没有发现问题。", "`paperbot lint` found nothing to fix."),
    "findings": (
        "`paperbot lint` 发现 {n} 处可能的问题（前 {shown} 处，改不改由你决定）：",
        "`paperbot lint` found {n} possible problems (the first {shown}; fixing them is up to "
        "you):",
    ),
    "adds": ("这个 PR 添加：", "This pull request adds:"),
    "forms": (
        "`{dir}/`：两个 issue 表单（精读报告、本周未精读）",
        "`{dir}/`: the two issue forms (paper report, week skipped)",
    ),
    "config_kept": ("`{path}`：你的设置，保持不变", "`{path}`: yours, kept as it is"),
    "config_language": (
        "`{path}`：你的设置，保持不变；末尾加上 `language: {language}`（README 是中文的，"
        "paperbot 就用中文留言）",
        "`{path}`: yours, kept; `language: {language}` added at its end (the README reads as "
        "English, so paperbot writes English)",
    ),
    "config_owner": (
        "不添加 `{path}`：仓库所有者的 `.github` 仓库中的 `{path}` 生效",
        "no `{path}` added: the owner's `.github` repository's `{path}` applies",
    ),
    "config_new": (
        "`{path}`：上面推断的设置；成员和每周功能（看板、提醒、每周一个 PR）"
        "写成注释，去掉 # 即生效",
        "`{path}`: the settings above; members and the weekly loop (dashboard, reminders, one PR "
        "a week) are there commented out: remove the # to turn them on",
    ),
    "after": (
        "合并之后，成员这样提交，paperbot 检查每个字段并打开一个插入记录的 PR：",
        "After the merge, members file one of these and paperbot checks every field and opens "
        "a pull request that adds the entry:",
    ),
    "report": (
        "读完一篇论文：[填写精读报告]({url})",
        "read a paper in full: [file a paper report]({url})",
    ),
    "skip": ("本周没有精读：[本周未精读]({url})", "no paper this week: [skip the week]({url})"),
    "close": (
        "不想用 paperbot？关闭这个 PR 即可，它不会被重新打开。",
        "Not now? Close this pull request unmerged; paperbot will not open it again.",
    ),
    "commit": ("配置 paperbot：{path}", "Set up paperbot: {path}"),
}


def say(key: str, lang: Lang, **values: object) -> str:
    return pick(_TEXT[key], lang, **values)


def pr_title(lang: Lang) -> str:
    return say("title", lang)


def facts(found: Found) -> list[str]:
    """What was detected, one line each (the PR body's list, ``paperbot init``'s report)."""
    lang = found.language
    lines = [_counts(found) if found.entries else say("none", lang)]
    lines += [_members(found)] if found.members else []
    lines.append(say("language", lang))
    start = day_name(found.week_start, lang)
    if found.report_day is None:
        lines.append(say("week_start", lang, start=start))
    else:
        lines.append(say("week", lang, start=start, day=day_name(found.report_day, lang)))
    return lines


def _counts(found: Found) -> str:
    """How many entries, papers and skips, and the newest date."""
    skips, newest = found.entries - found.papers, found.newest.isoformat() if found.newest else "—"
    english = {  # English needs its nouns' number: 1 entry, 2 entries
        "n_entries": counted(found.entries, ("entry", "entries")),
        "n_papers": counted(found.papers, ("paper", "papers")),
        "n_skips": counted(skips, ("week", "weeks")),
    }
    numbers = {"entries": found.entries, "papers": found.papers, "skips": skips}
    return say("entries", found.language, newest=newest, **numbers, **english)


def _members(found: Found) -> str:
    """The members, most entries first, with their counts (the first ``SHOWN_MEMBERS``)."""
    lang, n = found.language, len(found.members)
    names = [f"{m.name} ({m.entries})" for m in found.members[:SHOWN_MEMBERS]]
    if n > SHOWN_MEMBERS:
        names.append(say("more", lang, n=n - SHOWN_MEMBERS))
    many = counted(n, ("member", "members"))
    return say("members", lang, n=n, n_members=many, names=listing(names, lang))


def findings(found: Found) -> list[str]:
    """The first lint findings, as ``line: code: message``."""
    return [str(f) for f in found.findings[:SHOWN_FINDINGS]]


def pr_body(found: Found, *, repo_url: str, config: ConfigPlan = "new") -> str:
    """What was found, what the PR adds (``config``: what it does with the config), and what
    members do after the merge."""
    lang = found.language
    parts = [say("read", lang, path=found.path), _items(facts(found)), _lint(found)]
    told = say(f"config_{config}", lang, path=CONFIG_PATH, language=lang)
    adds = [say("forms", lang, dir=FORMS_DIR), told]
    parts += [say("adds", lang), _items(adds)]
    links = [
        say(kind, lang, url=form_url(repo_url, kind))
        for kind in FORMS  # report, then skip
    ]
    parts += [say("after", lang), _items(links), say("close", lang), MARK]
    return "\n\n".join(parts) + "\n"


def _items(lines: list[str]) -> str:
    return "\n".join(f"- {quiet(line)}" for line in lines)


def _lint(found: Found) -> str:
    lang = found.language
    if not found.findings:
        return say("clean", lang)
    shown = findings(found)
    longest = max((len(run) for line in shown for run in re.findall("`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    head = say("findings", lang, n=len(found.findings), shown=len(shown))
    return "\n".join([head, "", fence, *shown, fence])  # a fence links and mentions nothing


def commit_message(path: str, lang: Lang) -> str:
    """The setup commit's message (its trailer names what was set up; it proves nothing)."""
    return f"{say('commit', lang, path=path)}\n\n{TRAILER}: {path}\n"
