"""The dashboard issue's text and the reminder comment, from the weekly facts (board.py).

Rules:
- The body starts with ``MARK`` and stays under ``LIMIT`` characters: when the group is too
  big, the member lines and grid rows are cut, and a line says how many were left out.
- The text depends only on the README, the open submissions, the config and the week, so
  an unchanged group gives an unchanged body (and no write); it carries no timestamp.
- Text taken from the README or issues is made inert: it mentions nobody, references no
  issue, and cannot break the table or the links.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from app.core.board import WEEKS, Board, Cell, Pending, Person, board, fold
from app.core.config import Config
from app.core.i18n import Lang, pick
from app.core.text import inline, quiet, unescape

MARK = "<!-- paperbot:dashboard -->"
REMINDER_MARK = "<!-- paperbot:reminder {week} {logins} -->"
LIMIT = 60_000
_TITLE_MAX = 120
_SAFE_LINK = re.compile(r"^https?://[^\s()<>\[\]]+$")

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("📚 精读看板", "📚 Reading dashboard"),
    "this_week": ("本周 · {start} 至 {end}", "This week · {start} to {end}"),
    "pending": ("已提交，待合并：{links}", "submitted, awaiting merge: {links}"),
    "skipped": ("本周未精读", "no paper this week"),
    "nothing": ("尚无记录", "nothing yet"),
    "recent": ("最近 {n} 周", "The last {n} weeks"),
    "columns": ("成员 | {span} | {n} 周 | 累计 | 连续", "Member | {span} | {n} wks | All | Streak"),
    "legend": (
        "✅ 精读 · 💤 未精读 · ⏳ 已提交待合并 · ❌ 尚无记录。{n} 周：这几周读的篇数；"
        "累计：README 中的全部篇数；连续：连续有精读的周数。",
        "✅ read · 💤 skipped · ⏳ submitted, not merged yet · ❌ nothing. {n} wks: papers in "
        "these weeks; All: every paper in the README; Streak: weeks in a row with a paper read.",
    ),
    "chart": ("每周篇数", "Papers per week"),
    "chart_title": ("每周精读篇数", "Papers read per week"),
    "axis": ("篇", "papers"),
    "more": ("……另有 {n} 位成员未列出（看板长度有限）", "… and {n} more members (length limit)"),
    "footer": (
        "由 paperbot 根据默认分支上的 README 和未合并的提交生成，推送、每天和提醒时更新；"
        "手动编辑会被覆盖。",
        "Made by paperbot from the README on the default branch and the open submissions; "
        "refreshed on pushes, daily and at the reminder. Edits by hand are overwritten.",
    ),
    "remind": (
        "⏰ 本周（{start} 起）还没有记录：{who}。请提交本周精读的论文，或说明本周未精读。",
        "⏰ Nothing yet for the week of {start}: {who}. Please report this week's paper, "
        "or say that you skipped it.",
    ),
    "unreachable": (
        "未配置 GitHub 账号、无法提醒的成员：{names}。",
        "Also without an entry (no GitHub login configured): {names}.",
    ),
}


def _t(key: str, lang: Lang, **values: object) -> str:
    return pick(_TEXT[key], lang, **values)


def title(config: Config) -> str:
    """The dashboard issue's title."""
    return config.dashboard_title or _t("title", config.language)


def dashboard(
    readme: str, *, config: Config, today: dt.date, pending: Iterable[Pending] = ()
) -> str:
    """The dashboard body for ``today`` (a date in the configured time zone)."""
    return render(board(readme, config=config, today=today, pending=pending), config.language)


def render(facts: Board, lang: Lang) -> str:
    """The dashboard body, cut to fit ``LIMIT`` when the group is very large."""
    shown = len(facts.people)
    text = _render(facts, lang, shown=shown)
    while len(text) >= LIMIT and shown > 0:
        shown = min(shown - 1, shown * (LIMIT - 2_000) // len(text))
        text = _render(facts, lang, shown=shown)
    return text


def _render(facts: Board, lang: Lang, *, shown: int) -> str:
    people, more = facts.people[:shown], len(facts.people) - shown
    cut = [_t("more", lang, n=more)] if more else []
    parts = [
        MARK,
        _this_week(facts, people, lang=lang) + cut,
        _grid(facts, people, lang=lang) + cut,
        _chart(facts, lang),
        [f"<sub>{_t('footer', lang)}</sub>"],
    ]
    return "\n".join(MARK if p is MARK else "\n".join(p) + "\n" for p in parts).strip() + "\n"


def _this_week(facts: Board, people: list[Person], *, lang: Lang) -> list[str]:
    start = facts.weeks[-1]
    end = start + dt.timedelta(days=6)
    lines = [f"## {_t('this_week', lang, start=start, end=end)}", ""]
    for person in people:
        cell = facts.cell(person, start)
        lines.append(f"- {cell.symbol} **{_inline(person.name)}** {_what(cell, lang)}")
    return lines


def _what(cell: Cell, lang: Lang) -> str:
    if cell.reads:
        return "；".join(_paper(r.title, r.link) for r in cell.reads)
    if cell.pending:
        return _t("pending", lang, links="、".join(_pull(p) for p in cell.pending))
    if cell.skips:
        reasons = [_inline(s.reason) for s in cell.skips if s.reason]
        return "；".join(reasons) or _t("skipped", lang)
    return _t("nothing", lang)


def _paper(title: str, link: str) -> str:
    typed = unescape(title)
    shown = _inline(typed if len(typed) <= _TITLE_MAX else typed[: _TITLE_MAX - 1] + "…")
    return f"[{shown}]({link})" if _SAFE_LINK.match(link) else shown


def _pull(sub: Pending) -> str:
    return f"[PR {sub.url.rsplit('/', 1)[-1]}]({sub.url})" if _SAFE_LINK.match(sub.url) else ""


def _inline(text: str) -> str:
    """README or issue text on one line, as it reads there, quiet, safe inside a table cell."""
    return quiet(inline(" ".join(unescape(text).split())))


def _grid(facts: Board, people: list[Person], *, lang: Lang) -> list[str]:
    span = f"{facts.weeks[0]:%m-%d} → {facts.weeks[-1]:%m-%d}"
    header = _t("columns", lang, span=span, n=len(facts.weeks))
    lines = [f"## {_t('recent', lang, n=len(facts.weeks))}", "", f"| {header} |"]
    lines.append("|:--|:--|--:|--:|--:|")
    for person in people:
        row = "".join(facts.cell(person, w).symbol for w in facts.weeks)
        key = fold(person.name)
        counts = f"{facts.count(person)} | {facts.totals.get(key, 0)} | {facts.streaks[key]}"
        lines.append(f"| {_inline(person.name)} | {row} | {counts} |")
    return [*lines, "", _t("legend", lang, n=len(facts.weeks))]


def _chart(facts: Board, lang: Lang) -> list[str]:
    counts = [facts.papers(w) for w in facts.weeks]
    labels = ", ".join(f'"{w:%m-%d}"' for w in facts.weeks)
    return [
        f"## {_t('chart', lang)}",
        "",
        "```mermaid",
        "xychart-beta",
        f'    title "{_t("chart_title", lang)}"',
        f"    x-axis [{labels}]",
        f'    y-axis "{_t("axis", lang)}" 0 --> {max([*counts, 1])}',
        f"    bar [{', '.join(map(str, counts))}]",
        "```",
    ]


def reminder(week: dt.date, *, logins: list[str], names: list[str], lang: Lang) -> str:
    """The reminder comment: mentions ``logins``; ``names`` (no login) are shown, not mentioned."""
    who = " ".join(f"@{login}" for login in logins)
    mark = REMINDER_MARK.format(week=week.isoformat(), logins=",".join(logins))
    lines = [mark, _t("remind", lang, start=week, who=who)]
    if names:
        lines.append(_t("unreachable", lang, names="、".join(_inline(n) for n in names)))
    return "\n".join(lines) + "\n"


__all__ = ["LIMIT", "MARK", "WEEKS", "dashboard", "reminder", "render", "title"]
