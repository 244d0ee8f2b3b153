"""What a README says about its reading group, and the files that set paperbot up for it.

Rules:
- Only a README with the marker line is set up; what is detected comes from its entries
  alone: the language (Chinese text under the marker, else English; with no entries yet,
  the whole README's), each member's entries and newest date, and the week (it ends on the
  weekday most entries are dated; with none dated, Monday starts it and no weekday is
  claimed). A language or week start that a config file sets wins over what is detected.
- The setup is three files: the two issue forms and ``.github/paperbot.yml``. The config
  sets only what was detected; ``members`` and the weekly options are written commented
  out, one line each saying what it does, since a README gives names but no GitHub logins.
- A config in force is never replaced (``ConfigPlan``): the owner's ``.github`` one gets no
  repository config over it; the repository's own is kept byte for byte, with only a
  ``language`` line added at its end when it sets none and the bot would otherwise speak
  another language than the README's (and only when the result is that config otherwise).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from app.core.config import DEFAULT_MARKER, WEEKDAYS, Config, Weekday, load_config
from app.core.dates import day_name, parse_date
from app.core.errors import ConfigError
from app.core.forms import render_forms
from app.core.grammar import RawEntry
from app.core.i18n import Lang
from app.core.lint import Finding, lint
from app.core.readme import entries, find_marker

FORMS_DIR = ".github/ISSUE_TEMPLATE"
CONFIG_PATH = ".github/paperbot.yml"
WORKFLOW_PATH = ".github/workflows/paperbot.yml"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LETTER = re.compile(r"[A-Za-z\u4e00-\u9fff]")
_ZONE: dict[Lang, str] = {"zh": "Asia/Shanghai", "en": "UTC"}
# What the setup does with .github/paperbot.yml: writes it; keeps the repository's own;
# keeps it with a language line added; adds none, the owner's .github one being in force.
ConfigPlan = Literal["new", "kept", "language", "owner"]


@dataclass(frozen=True)
class Member:
    """A name found in the README's entries: how many entries, papers, and the newest date."""

    name: str
    entries: int
    papers: int
    newest: dt.date | None


@dataclass(frozen=True)
class Found:
    """What the README tells about its group."""

    path: str
    marker: str
    entries: int
    papers: int
    members: tuple[Member, ...]
    newest: dt.date | None
    language: Lang
    report_day: Weekday | None
    week_start: Weekday
    findings: tuple[Finding, ...]


def detect(readme: str, *, config: Config, today: dt.date | None = None) -> Found:
    """Read the README's entries; a MarkerError when it has no (single) marker line."""
    start = find_marker(readme, config.marker, path=config.path, lang=config.language)
    read = [raw for _, raw in entries(readme, marker=config.marker) if raw is not None]
    days = [d for raw in read if (d := parse_date(raw.date)) is not None]
    report_day = _modal_weekday(days)
    week_start = WEEKDAYS[(WEEKDAYS.index(report_day) + 1) % 7] if report_day else "monday"
    chosen = config.model_fields_set  # what a config file set wins over what is detected
    words = _below(readme, start)  # no entries yet: the README's own words
    lang = config.language if "language" in chosen else _language(words if read else readme)
    limits = config.limits
    return Found(
        path=config.path,
        marker=config.marker,
        entries=len(read),
        papers=sum(raw.kind == "report" for raw in read),
        members=_members(read),
        newest=max(days, default=None),
        language=lang,
        report_day=report_day,
        week_start=config.week_start if "week_start" in chosen else week_start,
        findings=tuple(
            lint(readme, marker=config.marker, today=today, late_days=limits.late_days, lang=lang)
        ),
    )


def _below(text: str, marker_at: int) -> str:
    """The README under the marker line, without it."""
    return text[text.find("\n", marker_at) + 1 :] if "\n" in text[marker_at:] else ""


def _language(text: str) -> Lang:
    """Chinese when at least a tenth of the letters under the marker are Chinese."""
    letters = len(_LETTER.findall(text))
    return "zh" if letters and len(_CJK.findall(text)) * 10 >= letters else "en"


def _modal_weekday(days: list[dt.date]) -> Weekday | None:
    if not days:
        return None
    counts = Counter(day.weekday() for day in days)
    return WEEKDAYS[max(sorted(counts), key=lambda d: counts[d])]


def _members(read: list[RawEntry]) -> tuple[Member, ...]:
    names: dict[str, list[tuple[str, dt.date | None]]] = {}
    for raw in read:
        if name := raw.name.strip("[] "):
            names.setdefault(name, []).append((raw.kind, parse_date(raw.date)))
    found = [
        Member(
            name,
            entries=len(seen),
            papers=sum(kind == "report" for kind, _ in seen),
            newest=max((d for _, d in seen if d), default=None),
        )
        for name, seen in names.items()
    ]
    return tuple(sorted(found, key=lambda m: (-m.entries, m.name)))


_CONFIG_WORDS: dict[str, tuple[str, str]] = {
    "head": (
        "# paperbot 的配置，由 {path} 中的 {entries} 条记录推断；所有选项见 paperbot 的 README。",
        "# paperbot's settings, inferred from the {entries} entries in {path}; every option is "
        "in paperbot's README.",
    ),
    "language": ("# 机器人留言、PR 和表单的语言：zh 或 en", "# The bot's language: zh or en"),
    "timezone": ("# 计算「今天」和每周的时区", "# The time zone for 'today' and the weeks"),
    "week": (
        "# 每周的第一天：记录大多写在{day}，所以一周到{day}结束",
        "# First day of a week: most entries are dated {day}, so a week ends on {day}",
    ),
    "start": ("# 每周的第一天", "# First day of a week"),
    "members": (
        "# 成员（GitHub 登录名: README 中的名字）。README 里找到下面这些人（记录数）；\n"
        "# 把 LOGIN 换成各自的 GitHub 登录名并去掉 #，提醒才能 @ 到他们：",
        "# Members (GitHub login: the name in README.md). README.md names these people "
        "(entries each);\n# replace LOGIN with each one's GitHub login and remove the #, "
        "so reminders can mention them:",
    ),
    "counted": ("{entries} 条记录（{papers} 篇精读）", "{entries} entries ({papers} papers)"),
    "newest": ("，最近 {day}", ", newest {day}"),
    "weekly": (
        "# 每周功能，默认关闭；去掉 # 即开启：",
        "# The weekly loop, off until you remove the # of a line:",
    ),
    "dashboard": (
        "一个看板 issue：本周谁读了、谁请假、谁还没交",
        "one dashboard issue: who read, skipped or is missing this week",
    ),
    "reminders": (
        "在这个时间 @ 本周还没有记录的成员",
        "mention members with no entry this week, at this time",
    ),
    "pull_requests": (
        "每周一个合并所有提交的 PR，而不是每份提交一个",
        "one rolling PR a week instead of one per submission",
    ),
}


def _say(key: str, lang: Lang, **values: object) -> str:
    return _CONFIG_WORDS[key][lang != "zh"].format(**values)


def config_text(found: Found) -> str:
    """``.github/paperbot.yml`` for the README: detected values set, the rest commented."""
    lang = found.language
    lines = [_say("head", lang, path=found.path, entries=found.entries)]
    if found.path != "README.md":
        lines.append(f"path: {found.path}")
    if found.marker != DEFAULT_MARKER:
        lines.append(f"marker: {_quoted(found.marker)}")
    lines += ["", _say("language", lang), f"language: {lang}"]
    lines += ["", _say("timezone", lang), f"timezone: {_ZONE[lang]}"]
    day = found.report_day or "sunday"
    week = _say("week", lang, day=day_name(day, lang)) if found.report_day else _say("start", lang)
    lines += ["", week, f"week_start: {found.week_start}"]
    lines += ["", _say("members", lang), "# members:"]
    for m in found.members:
        counted = _say("counted", lang, entries=m.entries, papers=m.papers)
        newest = _say("newest", lang, day=m.newest.isoformat()) if m.newest else ""
        lines.append(f"#   LOGIN: {_quoted(m.name)}  # {counted}{newest}")
    weekly = [
        ("dashboard", "dashboard: true"),
        ("reminders", f'reminders: {{weekday: {day}, time: "20:00"}}'),
        ("pull_requests", "pull_requests: weekly"),
    ]
    lines += ["", _say("weekly", lang)]
    lines += [f"# {setting:<44} # {_say(key, lang)}" for key, setting in weekly]
    return "\n".join(lines) + "\n"


def with_language(text: str, lang: Lang) -> str | None:
    """A config written by hand with ``language: lang`` added at its end, when it sets no
    language and would speak another; None when it needs nothing or cannot take the line."""
    config = load_config(text)
    if "language" in config.model_fields_set or config.language == lang:
        return None
    sep = "\n" if text and not text.endswith("\n") else ""
    added = f"{text}{sep}\n{_say('language', lang)}\nlanguage: {lang}\n"
    meant = {**config.model_dump(exclude_unset=True), "language": lang}
    try:  # the language, and what it brings (English words in entries), and nothing else
        same = load_config(added) == Config.model_validate(meant)
    except ConfigError:
        same = False
    return added if same else None


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def setup_files(found: Found) -> dict[str, str]:
    """Path in the repository → text, for the three files of a setup."""
    forms = {f"{FORMS_DIR}/{name}": text for name, text in render_forms(found.language).items()}
    return {**forms, CONFIG_PATH: config_text(found)}
